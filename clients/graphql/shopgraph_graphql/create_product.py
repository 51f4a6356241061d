# Generated from docs/schema.graphql and the operations in examples/graphql/ and
# clients/graphql/operations/ by `python clients/generate.py`: do not edit.
from datetime import datetime
from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .enums import UserErrorCode


class CreateProduct(BaseModel):
    create_product: "CreateProductCreateProduct" = Field(alias="createProduct")


class CreateProductCreateProduct(BaseModel):
    product: Optional["CreateProductCreateProductProduct"]
    user_errors: list["CreateProductCreateProductUserErrors"] = Field(alias="userErrors")


class CreateProductCreateProductProduct(BaseModel):
    id: str
    sku: str
    name: str
    price: "CreateProductCreateProductProductPrice"
    created_at: datetime = Field(alias="createdAt")


class CreateProductCreateProductProductPrice(BaseModel):
    amount: int
    currency: str


class CreateProductCreateProductUserErrors(BaseModel):
    field: Optional[str]
    code: UserErrorCode
    message: str


CreateProduct.model_rebuild()
CreateProductCreateProduct.model_rebuild()
CreateProductCreateProductProduct.model_rebuild()
