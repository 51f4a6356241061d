# Generated from docs/schema.graphql and the operations in examples/graphql/ and
# clients/graphql/operations/ by `python clients/generate.py`: do not edit.
from datetime import datetime
from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .enums import OrderStatus


class Orders(BaseModel):
    orders: "OrdersOrders"


class OrdersOrders(BaseModel):
    edges: list["OrdersOrdersEdges"]
    page_info: "OrdersOrdersPageInfo" = Field(alias="pageInfo")


class OrdersOrdersEdges(BaseModel):
    cursor: str
    node: "OrdersOrdersEdgesNode"


class OrdersOrdersEdgesNode(BaseModel):
    id: str
    number: int
    status: OrderStatus
    created_at: datetime = Field(alias="createdAt")
    total: "OrdersOrdersEdgesNodeTotal"
    customer: "OrdersOrdersEdgesNodeCustomer"
    lines: list["OrdersOrdersEdgesNodeLines"]


class OrdersOrdersEdgesNodeTotal(BaseModel):
    amount: int
    currency: str


class OrdersOrdersEdgesNodeCustomer(BaseModel):
    id: str
    name: str
    email: Optional[str]


class OrdersOrdersEdgesNodeLines(BaseModel):
    quantity: int
    unit_price: "OrdersOrdersEdgesNodeLinesUnitPrice" = Field(alias="unitPrice")
    product: "OrdersOrdersEdgesNodeLinesProduct"


class OrdersOrdersEdgesNodeLinesUnitPrice(BaseModel):
    amount: int
    currency: str


class OrdersOrdersEdgesNodeLinesProduct(BaseModel):
    id: str
    sku: str
    name: str
    price: "OrdersOrdersEdgesNodeLinesProductPrice"
    category: Optional["OrdersOrdersEdgesNodeLinesProductCategory"]
    inventory: Optional["OrdersOrdersEdgesNodeLinesProductInventory"]


class OrdersOrdersEdgesNodeLinesProductPrice(BaseModel):
    amount: int
    currency: str


class OrdersOrdersEdgesNodeLinesProductCategory(BaseModel):
    id: str
    name: str


class OrdersOrdersEdgesNodeLinesProductInventory(BaseModel):
    on_hand: int = Field(alias="onHand")
    reserved: int
    available: int


class OrdersOrdersPageInfo(BaseModel):
    has_next_page: bool = Field(alias="hasNextPage")
    end_cursor: Optional[str] = Field(alias="endCursor")


Orders.model_rebuild()
OrdersOrders.model_rebuild()
OrdersOrdersEdges.model_rebuild()
OrdersOrdersEdgesNode.model_rebuild()
OrdersOrdersEdgesNodeLines.model_rebuild()
OrdersOrdersEdgesNodeLinesProduct.model_rebuild()
