# Generated from docs/openapi.json by `python clients/generate.py`: do not edit.
from typing import Literal

RefundStatus = Literal["failed", "needs_review", "processing", "succeeded"]

REFUND_STATUS_VALUES: set[RefundStatus] = {
    "failed",
    "needs_review",
    "processing",
    "succeeded",
}


def check_refund_status(value: str) -> RefundStatus:
    if value in REFUND_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {REFUND_STATUS_VALUES!r}")
