# Generated from docs/schema.graphql and the operations in examples/graphql/ and
# clients/graphql/operations/ by `python clients/generate.py`: do not edit.
from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .enums import OrderStatus, UserErrorCode


class PlaceOrder(BaseModel):
    place_order: "PlaceOrderPlaceOrder" = Field(alias="placeOrder")


class PlaceOrderPlaceOrder(BaseModel):
    order: Optional["PlaceOrderPlaceOrderOrder"]
    user_errors: list["PlaceOrderPlaceOrderUserErrors"] = Field(alias="userErrors")


class PlaceOrderPlaceOrderOrder(BaseModel):
    id: str
    number: int
    status: OrderStatus
    subtotal: "PlaceOrderPlaceOrderOrderSubtotal"
    total: "PlaceOrderPlaceOrderOrderTotal"
    customer: "PlaceOrderPlaceOrderOrderCustomer"
    lines: list["PlaceOrderPlaceOrderOrderLines"]


class PlaceOrderPlaceOrderOrderSubtotal(BaseModel):
    amount: int
    currency: str


class PlaceOrderPlaceOrderOrderTotal(BaseModel):
    amount: int
    currency: str


class PlaceOrderPlaceOrderOrderCustomer(BaseModel):
    id: str


class PlaceOrderPlaceOrderOrderLines(BaseModel):
    quantity: int
    unit_price: "PlaceOrderPlaceOrderOrderLinesUnitPrice" = Field(alias="unitPrice")
    product: "PlaceOrderPlaceOrderOrderLinesProduct"


class PlaceOrderPlaceOrderOrderLinesUnitPrice(BaseModel):
    amount: int
    currency: str


class PlaceOrderPlaceOrderOrderLinesProduct(BaseModel):
    id: str
    sku: str


class PlaceOrderPlaceOrderUserErrors(BaseModel):
    field: Optional[str]
    code: UserErrorCode
    message: str


PlaceOrder.model_rebuild()
PlaceOrderPlaceOrder.model_rebuild()
PlaceOrderPlaceOrderOrder.model_rebuild()
PlaceOrderPlaceOrderOrderLines.model_rebuild()
