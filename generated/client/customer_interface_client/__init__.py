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
    InvalidParameterError,
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

# The client's own version, then the version of the API it was generated for: they move apart.
__version__ = "2.0.0"
API_VERSION = "1.0.0"

__all__ = (
    "API_VERSION",
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
    "InvalidParameterError",
    "NotFoundError",
    "Page",
    "RateLimitedError",
    "RetryPolicy",
    "ServerError",
    "UnauthorizedError",
    "UnexpectedResponseError",
    "__version__",
)
