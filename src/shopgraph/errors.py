"""The one error taxonomy. Both surfaces render these; nothing else reaches a client.

Shaped like httpx's exception tree: one base class, a class per machine code, each
with the HTTP status the REST facade answers with. GraphQL renders the same code in
`extensions.code` or in a mutation payload's `userErrors`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar


@dataclass(frozen=True, slots=True)
class FieldError:
    """One problem with one input field: `field` is a dotted path such as `price.amount`."""

    field: str | None
    code: str
    message: str


class ShopgraphError(Exception):
    """Base of every error a client may see."""

    code: ClassVar[str] = "INTERNAL"
    status: ClassVar[int] = 500
    title: ClassVar[str] = "Internal error"

    def __init__(
        self,
        detail: str | None = None,
        *,
        errors: Sequence[FieldError] = (),
        extra: Mapping[str, Any] | None = None,
    ) -> None:
        self.detail = detail or self.title
        self.errors = list(errors)
        self.extra = dict(extra or {})
        super().__init__(self.detail)


class NotFound(ShopgraphError):
    """The resource does not exist (or the caller may not know that it does)."""

    code = "NOT_FOUND"
    status = 404
    title = "Not found"


class ValidationFailed(ShopgraphError):
    """The input is well-formed but breaks a rule: wrong type, too long, unknown reference."""

    code = "VALIDATION_FAILED"
    status = 422
    title = "Validation failed"


class MalformedRequest(ValidationFailed):
    """The request could not be parsed at all (broken JSON, wrong content type)."""

    status = 400
    title = "Malformed request"


class PayloadTooLarge(ShopgraphError):
    """The request body is larger than the server accepts."""

    code = "PAYLOAD_TOO_LARGE"
    status = 413
    title = "Payload too large"


class Unauthenticated(ShopgraphError):
    """No valid credentials were presented."""

    code = "UNAUTHENTICATED"
    status = 401
    title = "Authentication required"


class Forbidden(ShopgraphError):
    """The caller is known but may not do this."""

    code = "FORBIDDEN"
    status = 403
    title = "Forbidden"


class MethodNotAllowed(ShopgraphError):
    """The resource exists but does not support this HTTP method."""

    code = "METHOD_NOT_ALLOWED"
    status = 405
    title = "Method not allowed"


class Conflict(ShopgraphError):
    """The request clashes with the current state: a duplicate, a resource still in use."""

    code = "CONFLICT"
    status = 409
    title = "Conflict"


class InProgress(Conflict):
    """Another request is doing this very thing right now (the same idempotency key, the
    same payment); retrying shortly gets its result."""


class IdempotencyKeyReused(ShopgraphError):
    """An idempotency key was sent again with different parameters."""

    code = "IDEMPOTENCY_KEY_REUSED"
    status = 422
    title = "Idempotency key reused"


class PreconditionFailed(ShopgraphError):
    """`If-Match` named a version that is no longer current."""

    code = "PRECONDITION_FAILED"
    status = 412
    title = "Precondition failed"


class InsufficientInventory(ShopgraphError):
    """Not enough stock to reserve for an order line."""

    code = "INSUFFICIENT_INVENTORY"
    status = 409
    title = "Insufficient inventory"


class PaymentDeclined(ShopgraphError):
    """The payment provider declined the charge."""

    code = "PAYMENT_DECLINED"
    status = 402
    title = "Payment declined"


class RateLimited(ShopgraphError):
    """The caller's rate-limit bucket is empty."""

    code = "RATE_LIMITED"
    status = 429
    title = "Rate limited"


class ValueTooLarge(ShopgraphError):
    """A figure beyond a signed 64-bit integer of minor units (docs/analytics.md)."""

    code = "VALUE_TOO_LARGE"
    status = 422
    title = "Value too large"


class QueryTooComplex(ShopgraphError):
    """A GraphQL document is too deep, too wide or too costly to run."""

    code = "QUERY_TOO_COMPLEX"
    status = 400
    title = "Query too complex"


class ServiceUnavailable(ShopgraphError):
    """A backing service (database, Redis, the payment provider) cannot serve right now.

    `retry_after` (seconds) is sent as `Retry-After` and in the body.
    """

    code = "SERVICE_UNAVAILABLE"
    status = 503
    title = "Service unavailable"

    def __init__(
        self,
        detail: str | None = None,
        *,
        retry_after: int = 1,
        errors: Sequence[FieldError] = (),
        extra: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(detail, errors=errors, extra={"retry_after": retry_after, **(extra or {})})

    @property
    def retry_after(self) -> int:
        return int(self.extra.get("retry_after", 1))


class DatabaseUnavailable(ServiceUnavailable):
    """The database cannot be reached, or did not answer in the time allowed."""


class ProviderUnavailableError(ServiceUnavailable):
    """The payment provider did not answer; the same request may succeed later."""


class PaymentProviderError(ShopgraphError):
    """The payment provider refused the request as invalid, or answered something else
    than was asked; nothing was recorded as paid or refunded."""

    code = "PAYMENT_PROVIDER_ERROR"
    status = 502
    title = "Payment provider error"


def _subclasses(cls: type[ShopgraphError]) -> list[type[ShopgraphError]]:
    found = []
    for sub in cls.__subclasses__():
        found += [sub, *_subclasses(sub)]
    return found


# The error class of each machine code (the first declared, where two share a code), and
# every code, read off the classes above rather than restated.
BY_CODE: dict[str, type[ShopgraphError]] = {}
for _class in _subclasses(ShopgraphError):
    BY_CODE.setdefault(_class.code, _class)
ALL_CODES: tuple[str, ...] = (*BY_CODE, ShopgraphError.code)

# Field-level reasons carried in `errors[].code` / `userErrors.code`.
REQUIRED = "REQUIRED"
INVALID = "INVALID"
TOO_LONG = "TOO_LONG"
OUT_OF_RANGE = "OUT_OF_RANGE"
UNKNOWN_FIELD = "UNKNOWN_FIELD"
TAKEN = "TAKEN"
IN_USE = "IN_USE"
FIELD_CODES: tuple[str, ...] = (
    REQUIRED,
    INVALID,
    TOO_LONG,
    OUT_OF_RANGE,
    UNKNOWN_FIELD,
    TAKEN,
    IN_USE,
)


@dataclass(frozen=True, slots=True)
class Problem:
    """A rendered error, independent of the surface: what both renderers start from."""

    code: str
    status: int
    title: str
    detail: str
    errors: list[FieldError] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)


def from_problem(problem: Problem) -> ShopgraphError:
    """The error a stored problem describes, e.g. to replay an idempotent request's answer."""
    error = BY_CODE.get(problem.code, ShopgraphError)(
        problem.detail, errors=problem.errors, extra=problem.extra
    )
    return error


def to_problem(error: BaseException) -> Problem:
    """Turn any exception into what a client may see; unexpected ones become INTERNAL."""
    if isinstance(error, ShopgraphError):
        return Problem(
            error.code, error.status, error.title, error.detail, error.errors, error.extra
        )
    return Problem("INTERNAL", 500, "Internal error", "An unexpected error occurred.")
