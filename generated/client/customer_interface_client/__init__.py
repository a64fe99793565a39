"""A client library for accessing Customer Interface API - Event Groups"""

from ._runtime import (
    NOT_GIVEN,
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
    NotGiven,
    Page,
    RateLimitedError,
    RawResponse,
    RetryPolicy,
    ServerError,
    UnauthorizedError,
    UnexpectedResponseError,
)
from .api import AsyncCustomerInterface, CustomerInterface
from .client import AuthenticatedClient, Client

# The client's own version, then the version of the API it was generated for: they move apart.
__version__ = "3.0.0"
API_VERSION = "1.0.1"

__all__ = (
    "API_VERSION",
    "NOT_GIVEN",
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
    "NotGiven",
    "Page",
    "RateLimitedError",
    "RawResponse",
    "RetryPolicy",
    "ServerError",
    "UnauthorizedError",
    "UnexpectedResponseError",
    "__version__",
)
