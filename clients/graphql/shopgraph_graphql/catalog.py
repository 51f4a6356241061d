# Generated from docs/schema.graphql and the operations in examples/graphql/ and
# clients/graphql/operations/ by `python clients/generate.py`: do not edit.
from typing import Optional

from .base_model import BaseModel


class Catalog(BaseModel):
    categories: "CatalogCategories"
    products: "CatalogProducts"


class CatalogCategories(BaseModel):
    nodes: list["CatalogCategoriesNodes"]


class CatalogCategoriesNodes(BaseModel):
    id: str
    name: str
    products: "CatalogCategoriesNodesProducts"


class CatalogCategoriesNodesProducts(BaseModel):
    nodes: list["CatalogCategoriesNodesProductsNodes"]


class CatalogCategoriesNodesProductsNodes(BaseModel):
    id: str
    name: str
    price: "CatalogCategoriesNodesProductsNodesPrice"


class CatalogCategoriesNodesProductsNodesPrice(BaseModel):
    amount: int
    currency: str


class CatalogProducts(BaseModel):
    nodes: list["CatalogProductsNodes"]


class CatalogProductsNodes(BaseModel):
    id: str
    sku: str
    name: str
    price: "CatalogProductsNodesPrice"
    inventory: Optional["CatalogProductsNodesInventory"]


class CatalogProductsNodesPrice(BaseModel):
    amount: int
    currency: str


class CatalogProductsNodesInventory(BaseModel):
    available: int


Catalog.model_rebuild()
CatalogCategories.model_rebuild()
CatalogCategoriesNodes.model_rebuild()
CatalogCategoriesNodesProducts.model_rebuild()
CatalogCategoriesNodesProductsNodes.model_rebuild()
CatalogProducts.model_rebuild()
CatalogProductsNodes.model_rebuild()
