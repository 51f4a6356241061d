# Generated from docs/schema.graphql and the operations in examples/graphql/ and
# clients/graphql/operations/ by `python clients/generate.py`: do not edit.
from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .enums import OrderStatus


class CustomersWithOrders(BaseModel):
    customers: "CustomersWithOrdersCustomers"


class CustomersWithOrdersCustomers(BaseModel):
    nodes: list["CustomersWithOrdersCustomersNodes"]


class CustomersWithOrdersCustomersNodes(BaseModel):
    id: str
    name: str
    email: Optional[str]
    orders: "CustomersWithOrdersCustomersNodesOrders"


class CustomersWithOrdersCustomersNodesOrders(BaseModel):
    nodes: list["CustomersWithOrdersCustomersNodesOrdersNodes"]
    page_info: "CustomersWithOrdersCustomersNodesOrdersPageInfo" = Field(alias="pageInfo")


class CustomersWithOrdersCustomersNodesOrdersNodes(BaseModel):
    id: str
    number: int
    status: OrderStatus
    total: "CustomersWithOrdersCustomersNodesOrdersNodesTotal"


class CustomersWithOrdersCustomersNodesOrdersNodesTotal(BaseModel):
    amount: int
    currency: str


class CustomersWithOrdersCustomersNodesOrdersPageInfo(BaseModel):
    has_next_page: bool = Field(alias="hasNextPage")
    end_cursor: Optional[str] = Field(alias="endCursor")


CustomersWithOrders.model_rebuild()
CustomersWithOrdersCustomers.model_rebuild()
CustomersWithOrdersCustomersNodes.model_rebuild()
CustomersWithOrdersCustomersNodesOrders.model_rebuild()
CustomersWithOrdersCustomersNodesOrdersNodes.model_rebuild()
