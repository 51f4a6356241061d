# Generated from docs/openapi.json by `python clients/generate.py`: do not edit.
from typing import Literal

PaymentStatus = Literal[
    "authorized", "capturing", "failed", "needs_review", "processing", "succeeded"
]

PAYMENT_STATUS_VALUES: set[PaymentStatus] = {
    "authorized",
    "capturing",
    "failed",
    "needs_review",
    "processing",
    "succeeded",
}


def check_payment_status(value: str) -> PaymentStatus:
    if value in PAYMENT_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {PAYMENT_STATUS_VALUES!r}")
