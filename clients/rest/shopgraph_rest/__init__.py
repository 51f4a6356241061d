# Generated from docs/openapi.json by `python clients/generate.py`: do not edit.

"""A client library for accessing shopgraph REST API"""

from .client import AuthenticatedClient, Client

__all__ = (
    "AuthenticatedClient",
    "Client",
)
