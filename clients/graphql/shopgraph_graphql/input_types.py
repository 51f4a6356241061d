# Generated from docs/schema.graphql and the operations in examples/graphql/ and
# clients/graphql/operations/ by `python clients/generate.py`: do not edit.
from datetime import datetime
from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .enums import OrderStatus


class ApiKeyCreateInput(BaseModel):
    name: str
    scopes: list[str]
    tier: str = "standard"
    allowed_ips: list[str] = Field(alias="allowedIps", default_factory=lambda: [])
    expires_in_days: Optional[int] = Field(alias="expiresInDays", default=None)


class CategoryCreateInput(BaseModel):
    name: str
    description: Optional[str] = None


class CategoryUpdateInput(BaseModel):
    name: Optional[str] = None
    description: Optional[str] = None


class CustomerCreateInput(BaseModel):
    email: str
    name: str


class CustomerFilter(BaseModel):
    email: Optional[str] = None
    search: Optional[str] = None
    "Substring of name or email."


class CustomerUpdateInput(BaseModel):
    email: Optional[str] = None
    name: Optional[str] = None


class InventorySettingsInput(BaseModel):
    low_stock_threshold: Optional[int] = Field(alias="lowStockThreshold", default=None)


class MoneyInput(BaseModel):
    amount: int
    currency: str


class OrderFilter(BaseModel):
    status: Optional[OrderStatus] = None
    customer_id: Optional[str] = Field(alias="customerId", default=None)
    created_from: Optional[datetime] = Field(alias="createdFrom", default=None)
    "Inclusive."
    created_before: Optional[datetime] = Field(alias="createdBefore", default=None)
    "Exclusive."
    created_after: Optional[datetime] = Field(alias="createdAfter", default=None)
    "Inclusive."


class OrderLineInput(BaseModel):
    product_id: str = Field(alias="productId")
    quantity: int


class PaymentInput(BaseModel):
    source: str
    "A card token; see the sandbox's test tokens."
    amount: Optional[int] = None
    "Default: the balance."
    capture: bool = True
    "False: authorize only."


class PlaceOrderInput(BaseModel):
    customer_id: str = Field(alias="customerId")
    lines: list["OrderLineInput"]


class ProductCreateInput(BaseModel):
    sku: str
    name: str
    price: "MoneyInput"
    description: Optional[str] = None
    category_id: Optional[str] = Field(alias="categoryId", default=None)


class ProductFilter(BaseModel):
    category_id: Optional[str] = Field(alias="categoryId", default=None)
    sku: Optional[str] = None
    search: Optional[str] = None
    "Substring of the name."
    price_min: Optional[int] = Field(alias="priceMin", default=None)
    price_max: Optional[int] = Field(alias="priceMax", default=None)


class ProductUpdateInput(BaseModel):
    sku: Optional[str] = None
    name: Optional[str] = None
    description: Optional[str] = None
    price: Optional["MoneyInput"] = None
    category_id: Optional[str] = Field(alias="categoryId", default=None)


class RefundInput(BaseModel):
    amount: Optional[int] = None
    "Default: all that's left."
    reason: Optional[str] = None


class StockAdjustmentInput(BaseModel):
    delta: int
    reason: str
    kind: str = "adjustment"
    "`receipt` or `adjustment`."


class WebhookEndpointCreateInput(BaseModel):
    url: str
    event_types: Optional[list[str]] = Field(alias="eventTypes", default=None)
    description: Optional[str] = None
    enabled: Optional[bool] = None


class WebhookEndpointUpdateInput(BaseModel):
    url: Optional[str] = None
    event_types: Optional[list[str]] = Field(alias="eventTypes", default=None)
    description: Optional[str] = None
    enabled: Optional[bool] = None


PlaceOrderInput.model_rebuild()
ProductCreateInput.model_rebuild()
ProductUpdateInput.model_rebuild()
