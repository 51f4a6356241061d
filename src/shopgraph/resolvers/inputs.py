"""Validated input shapes shared by both surfaces (pydantic, strict, unknown keys refused).

REST bodies and GraphQL input objects are both turned into plain dicts and parsed
here, so the same input fails the same way, with the same field paths and codes.
"""

from __future__ import annotations

from typing import Annotated, Any, TypeVar

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
)
from pydantic import ValidationError as PydanticValidationError
from pydantic_core import PydanticCustomError

from ..errors import FieldError, ValidationFailed

# Exact up to 2**53 - 1: the largest integer every JSON client reads without loss.
MAX_AMOUNT = 2**53 - 1


def _at_most(length: int) -> BeforeValidator:
    """The length limit of a stripped field, applied before stripping as well: a value the
    document calls too long is refused even if it is whitespace that would be stripped."""

    def check(value: Any) -> Any:
        if isinstance(value, str) and len(value) > length:
            raise PydanticCustomError(
                "string_too_long",
                "String should have at most {max_length} characters",
                {"max_length": length},
            )
        return value

    return BeforeValidator(check)


# Whitespace as the input models read it (pydantic strips it, and matches `\s`, as Unicode's
# White_Space). Spelled out, since `\s` means something else to each regex dialect, and the
# OpenAPI document must state the very set the server refuses. A stripped field's pattern
# allows it around the value, since it is stripped before the pattern applies.
WHITESPACE = (
    "\\t\\n\\x0b\\x0c\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000"
)
_EMAIL_PART = f"[^@{WHITESPACE}\\x00]+"
Email = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True,
        to_lower=True,
        max_length=254,
        pattern=f"^[{WHITESPACE}]*{_EMAIL_PART}@{_EMAIL_PART}\\.{_EMAIL_PART}[{WHITESPACE}]*$",
    ),
    _at_most(254),
]
Sku = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True,
        min_length=1,
        max_length=64,
        pattern=f"^[{WHITESPACE}]*[A-Za-z0-9._\\-]+[{WHITESPACE}]*$",
    ),
    _at_most(64),
]
# What a stripped name must hold, as the document states it: a character that is neither
# whitespace (stripped) nor NUL (refused). Documentation only, so a NUL keeps its own message.
_NOT_BLANK = Field(json_schema_extra={"pattern": f"^[^\\x00]*[^{WHITESPACE}\\x00][^\\x00]*$"})
Name = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
    _NOT_BLANK,
    _at_most(200),
]
CategoryName = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=120),
    _NOT_BLANK,
    _at_most(120),
]
Description = Annotated[str, StringConstraints(max_length=5000)]
CURRENCY_PATTERN = r"^[A-Z]{3}$"  # an ISO 4217 code
Currency = Annotated[str, StringConstraints(pattern=CURRENCY_PATTERN)]
PublicId = Annotated[str, StringConstraints(min_length=1, max_length=64)]


# Text without NUL characters, which PostgreSQL cannot store (see `storable_text`): what the
# JSON schema of every text field says, unless its own pattern already rules NUL out.
NUL_FREE = "^[^\\x00]*$"


def _state_nul_free(schema: dict[str, Any]) -> None:
    """Every text input refuses NUL (`Input._storable`), so its JSON schema says so."""
    for field in schema.get("properties", {}).values():
        for option in [field, *field.get("anyOf", ()), field.get("items", {})]:
            if option.get("type") == "string" and "pattern" not in option:
                option["pattern"] = NUL_FREE


# Fields a PATCH may set to null (to clear them); null for any other field is refused,
# by `parse` and in the OpenAPI document.
NULLABLE_ON_UPDATE = {"description", "category_id"}


def _offer_null_only_where_allowed(schema: dict[str, Any]) -> None:
    """In the JSON schema of an update, `name: null` is not offered, since it is refused."""
    _state_nul_free(schema)
    for name, field in schema.get("properties", {}).items():
        if name in NULLABLE_ON_UPDATE or "anyOf" not in field:
            continue
        options = [option for option in field["anyOf"] if option.get("type") != "null"]
        if len(options) == 1:
            field.pop("anyOf")
            field.pop("default", None)
            field.update(options[0])


def storable_text(value: str) -> bool:
    """Whether both databases can store the text: PostgreSQL refuses NUL characters."""
    return "\x00" not in value


class Input(BaseModel):
    model_config = ConfigDict(
        strict=True, extra="forbid", frozen=True, json_schema_extra=_state_nul_free
    )

    @field_validator("*", mode="after")
    @classmethod
    def _storable(cls, value: Any) -> Any:
        texts = value if isinstance(value, list) else [value]
        if any(isinstance(text, str) and not storable_text(text) for text in texts):
            raise PydanticCustomError("nul_character", "Text may not contain NUL characters.")
        return value


class UpdateInput(Input):
    """Every field optional: absent means unchanged (PATCH semantics)."""

    model_config = ConfigDict(json_schema_extra=_offer_null_only_where_allowed)


class MoneyInput(Input):
    amount: int = Field(ge=0, le=MAX_AMOUNT)
    currency: Currency


class CategoryCreate(Input):
    name: CategoryName
    description: Description | None = None


class CategoryUpdate(UpdateInput):
    name: CategoryName | None = None
    description: Description | None = None


class ProductCreate(Input):
    sku: Sku
    name: Name
    description: Description | None = None
    price: MoneyInput
    category_id: PublicId | None = None


class ProductUpdate(UpdateInput):
    sku: Sku | None = None
    name: Name | None = None
    description: Description | None = None
    price: MoneyInput | None = None
    category_id: PublicId | None = None


class CustomerCreate(Input):
    email: Email
    name: Name


class CustomerUpdate(UpdateInput):
    email: Email | None = None
    name: Name | None = None


M = TypeVar("M", bound=BaseModel)

_CODES = {
    "missing": "REQUIRED",
    "string_too_long": "TOO_LONG",
    "too_long": "TOO_LONG",
    "string_too_short": "REQUIRED",
    "extra_forbidden": "UNKNOWN_FIELD",
    "greater_than_equal": "OUT_OF_RANGE",
    "less_than_equal": "OUT_OF_RANGE",
    "greater_than": "OUT_OF_RANGE",
    "less_than": "OUT_OF_RANGE",
}


def parse(model: type[M], data: Any) -> M:
    """Validate `data` into `model`, or raise VALIDATION_FAILED naming every bad field."""
    if not isinstance(data, dict):
        raise ValidationFailed(
            "The request body must be a JSON object.",
            errors=[FieldError(None, "INVALID", "Expected a JSON object.")],
        )
    try:
        parsed = model.model_validate(data)
    except PydanticValidationError as error:
        raise ValidationFailed(
            "The input is invalid; see `errors` for each field.",
            errors=[
                FieldError(
                    ".".join(str(part) for part in item["loc"]) or None,
                    _CODES.get(item["type"], "INVALID"),
                    item["msg"],
                )
                for item in error.errors(include_url=False)
            ],
        ) from None
    if not isinstance(parsed, UpdateInput):
        return parsed
    nulls = [
        name
        for name in parsed.model_fields_set
        if getattr(parsed, name) is None and name not in NULLABLE_ON_UPDATE
    ]
    if nulls:
        raise ValidationFailed(
            "Some fields cannot be null.",
            errors=[FieldError(name, "INVALID", "Cannot be null.") for name in sorted(nulls)],
        )
    return parsed


def changes(update: BaseModel) -> dict[str, Any]:
    """Only the fields the caller sent: PATCH semantics, absent means unchanged."""
    return {name: getattr(update, name) for name in update.model_fields_set}
