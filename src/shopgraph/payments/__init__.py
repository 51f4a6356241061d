"""Payment providers: one interface, and a deterministic sandbox built in."""

from .provider import (
    Capture,
    Charge,
    Declined,
    InvalidSource,
    Outcome,
    PaymentProvider,
    ProviderRefund,
    ProviderUnavailable,
    Refused,
)
from .sandbox import SandboxProvider

__all__ = [
    "Capture",
    "Charge",
    "Declined",
    "InvalidSource",
    "Outcome",
    "PaymentProvider",
    "ProviderRefund",
    "ProviderUnavailable",
    "Refused",
    "SandboxProvider",
]
