# Generated from docs/schema.graphql and the operations in examples/graphql/ and
# clients/graphql/operations/ by `python clients/generate.py`: do not edit.
from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .enums import OrderStatus, UserErrorCode


class PayOrder(BaseModel):
    pay_order: "PayOrderPayOrder" = Field(alias="payOrder")


class PayOrderPayOrder(BaseModel):
    payment: Optional["PayOrderPayOrderPayment"]
    user_errors: list["PayOrderPayOrderUserErrors"] = Field(alias="userErrors")


class PayOrderPayOrderPayment(BaseModel):
    id: str
    status: str
    source: str
    failure_code: Optional[str] = Field(alias="failureCode")
    amount: "PayOrderPayOrderPaymentAmount"
    captured: "PayOrderPayOrderPaymentCaptured"
    order: "PayOrderPayOrderPaymentOrder"


class PayOrderPayOrderPaymentAmount(BaseModel):
    amount: int
    currency: str


class PayOrderPayOrderPaymentCaptured(BaseModel):
    amount: int
    currency: str


class PayOrderPayOrderPaymentOrder(BaseModel):
    id: str
    status: OrderStatus


class PayOrderPayOrderUserErrors(BaseModel):
    field: Optional[str]
    code: UserErrorCode
    message: str


PayOrder.model_rebuild()
PayOrderPayOrder.model_rebuild()
PayOrderPayOrderPayment.model_rebuild()
