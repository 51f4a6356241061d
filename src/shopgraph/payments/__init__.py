"""Payment providers: one interface, and a deterministic sandbox built in."""

from .provider import (
    Charge,
    Declined,
    InvalidSource,
    PaymentProvider,
    ProviderUnavailable,
)
from .sandbox import SandboxProvider

__all__ = [
    "Charge",
    "Declined",
    "InvalidSource",
    "PaymentProvider",
    "ProviderUnavailable",
    "SandboxProvider",
]
