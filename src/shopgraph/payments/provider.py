"""What shopgraph needs from a payment provider, and how a provider says no.

Every call carries an idempotency key, and a provider must treat a repeated key as the
same request (as Stripe, Adyen and Braintree do): the same answer, never a second charge.
A key repeated with other parameters is refused. `lookup` tells what happened under a key,
so a payment whose answer was lost (a crash, a timeout) can be settled later.

Every answer names what was done (amount, currency), and the caller compares it with what
it asked for: an answer that does not match is an error, never a recorded success.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol


@dataclass(frozen=True, slots=True)
class Charge:
    """A charge the provider made: captured at once (`succeeded`) or only `authorized`."""

    reference: str
    status: Literal["succeeded", "authorized"]
    amount: int
    currency: str


@dataclass(frozen=True, slots=True)
class Capture:
    """An authorization the provider captured."""

    reference: str
    amount: int


@dataclass(frozen=True, slots=True)
class ProviderRefund:
    """Money the provider returned from a charge."""

    reference: str
    amount: int
    currency: str


class Declined(Exception):
    """The provider refused the charge for good; `code` says why (e.g. `card_declined`)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


class Refused(Exception):
    """The provider refused the request as invalid (`code`): a key reused with other
    parameters, a refund above what was captured. Retrying it cannot succeed."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


class ProviderUnavailable(Exception):
    """The provider could not be reached or did not answer; the outcome is unknown."""


class InvalidSource(Exception):
    """The payment source (card token) is not one the provider knows."""


Outcome = Charge | Capture | ProviderRefund | Declined


class PaymentProvider(Protocol):
    name: str

    def check_source(self, source: str) -> None:
        """Raise InvalidSource for a source the provider would refuse outright."""

    async def charge(
        self, *, amount: int, currency: str, source: str, capture: bool, key: str
    ) -> Charge:
        """Charge (or authorize) `amount`; raises Declined, Refused or ProviderUnavailable."""

    async def capture(self, *, reference: str, amount: int, currency: str, key: str) -> Capture:
        """Capture an authorization; raises Refused or ProviderUnavailable."""

    async def refund(
        self, *, reference: str, amount: int, currency: str, key: str
    ) -> ProviderRefund:
        """Refund part of a captured charge; raises Refused or ProviderUnavailable."""

    async def lookup(self, key: str) -> Outcome | None:
        """The outcome recorded under `key`; None if the provider did nothing under it.

        Raises ProviderUnavailable when the provider cannot tell right now.
        """
