"""A client library for accessing Customer Interface API - Event Groups"""

from ._runtime import (
    ApiConnectionError,
    ApiError,
    ApiStatusError,
    ApiTimeoutError,
    AsyncPage,
    AsyncPager,
    BadRequestError,
    ConflictError,
    ForbiddenError,
    InsecureTransportWarning,
    NotFoundError,
    Page,
    RateLimitedError,
    RetryPolicy,
    ServerError,
    UnauthorizedError,
    UnexpectedResponseError,
)
from .api import AsyncCustomerInterface, CustomerInterface
from .client import AuthenticatedClient, Client

__all__ = (
    "ApiConnectionError",
    "ApiError",
    "ApiStatusError",
    "ApiTimeoutError",
    "AsyncCustomerInterface",
    "AsyncPage",
    "AsyncPager",
    "AuthenticatedClient",
    "BadRequestError",
    "Client",
    "ConflictError",
    "CustomerInterface",
    "ForbiddenError",
    "InsecureTransportWarning",
    "NotFoundError",
    "Page",
    "RateLimitedError",
    "RetryPolicy",
    "ServerError",
    "UnauthorizedError",
    "UnexpectedResponseError",
)
