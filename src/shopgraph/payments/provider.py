"""What shopgraph needs from a payment provider, and how a provider says no.

Every call carries an idempotency key: a provider must treat a repeated key as the same
request (as Stripe, Adyen and Braintree do), so a retry after a lost answer never charges
twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol


@dataclass(frozen=True, slots=True)
class Charge:
    reference: str
    status: Literal["succeeded", "authorized"]


class Declined(Exception):
    """The provider refused the charge for good; `code` says why (e.g. `card_declined`)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


class ProviderUnavailable(Exception):
    """The provider could not be reached or failed; the same call may succeed later."""


class InvalidSource(Exception):
    """The payment source (card token) is not one the provider knows."""


class PaymentProvider(Protocol):
    name: str

    def check_source(self, source: str) -> None:
        """Raise InvalidSource for a source the provider would refuse outright."""

    async def charge(
        self, *, amount: int, currency: str, source: str, capture: bool, key: str
    ) -> Charge: ...

    async def capture(self, *, reference: str, amount: int, key: str) -> None: ...

    async def refund(self, *, reference: str, amount: int, key: str) -> str: ...
