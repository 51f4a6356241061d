# Generated from docs/schema.graphql and the operations in examples/graphql/ and
# clients/graphql/operations/ by `python clients/generate.py`: do not edit.
from datetime import datetime
from typing import Optional

from pydantic import Field

from .base_model import BaseModel


class GetProduct(BaseModel):
    product: Optional["GetProductProduct"]


class GetProductProduct(BaseModel):
    id: str
    sku: str
    name: str
    description: Optional[str]
    price: "GetProductProductPrice"
    version: int
    created_at: datetime = Field(alias="createdAt")
    updated_at: datetime = Field(alias="updatedAt")
    category: Optional["GetProductProductCategory"]
    inventory: Optional["GetProductProductInventory"]


class GetProductProductPrice(BaseModel):
    amount: int
    currency: str


class GetProductProductCategory(BaseModel):
    id: str
    name: str


class GetProductProductInventory(BaseModel):
    on_hand: int = Field(alias="onHand")
    reserved: int
    available: int


GetProduct.model_rebuild()
GetProductProduct.model_rebuild()
