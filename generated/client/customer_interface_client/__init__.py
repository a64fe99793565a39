"""A client library for accessing Customer Interface API - Event Groups"""

from .client import AuthenticatedClient, Client

__all__ = (
    "AuthenticatedClient",
    "Client",
)
