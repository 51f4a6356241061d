# Generated from docs/openapi.json by `python clients/generate.py`: do not edit.
from typing import Literal

StockAdjustmentKind = Literal["adjustment", "receipt"]

STOCK_ADJUSTMENT_KIND_VALUES: set[StockAdjustmentKind] = {
    "adjustment",
    "receipt",
}


def check_stock_adjustment_kind(value: str) -> StockAdjustmentKind:
    if value in STOCK_ADJUSTMENT_KIND_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {STOCK_ADJUSTMENT_KIND_VALUES!r}")
