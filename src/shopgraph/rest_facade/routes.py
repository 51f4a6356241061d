"""The route table: one row per operation, driving both the router and the OpenAPI document.

Paths are relative to the mount point (`PREFIX`, where `app.py` mounts the sub-app).
Every operation may also answer 422 (a bad or unknown query parameter) and 500; those
are added to `errors` by `Operation.error_statuses`, not repeated in each row.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel

from ..resolvers.inputs import (
    CategoryCreate,
    CategoryUpdate,
    CustomerCreate,
    CustomerUpdate,
    ProductCreate,
    ProductUpdate,
)
from . import categories, customers, models, orders, products
from .endpoint import Handler
from .queries import (
    CategoryListQuery,
    CustomerListQuery,
    CustomerOrdersQuery,
    OrderListQuery,
    ProductListQuery,
    Query,
)

PREFIX = "/v1"
ALWAYS = (422, 500)
PATCH = "Partial update: fields left out are unchanged; `null` clears a nullable field."
DELETE = "409 CONFLICT while other resources still refer to it."


@dataclass(frozen=True, slots=True)
class Operation:
    method: str
    path: str
    handler: Handler
    operation_id: str
    summary: str
    tag: str
    status: int = 200
    response: type[BaseModel] | None = None  # None: no body (204)
    body: type[BaseModel] | None = None  # the request body's model, from resolvers.inputs
    query: type[BaseModel] = Query
    errors: tuple[int, ...] = ()
    description: str | None = None

    @property
    def error_statuses(self) -> tuple[int, ...]:
        return tuple(sorted({*self.errors, *ALWAYS}))

    @property
    def is_list(self) -> bool:
        return self.response is not None and issubclass(self.response, models.ListEnvelope)


ROUTES: tuple[Operation, ...] = (
    Operation(
        "GET",
        "/categories",
        categories.list_categories,
        "listCategories",
        "List categories",
        "Categories",
        response=models.CategoryList,
        query=CategoryListQuery,
    ),
    Operation(
        "POST",
        "/categories",
        categories.create_category,
        "createCategory",
        "Create a category",
        "Categories",
        status=201,
        response=models.Category,
        body=CategoryCreate,
        errors=(400, 409),
    ),
    Operation(
        "GET",
        "/categories/{id}",
        categories.get_category,
        "getCategory",
        "Retrieve a category",
        "Categories",
        response=models.Category,
        errors=(404,),
    ),
    Operation(
        "PATCH",
        "/categories/{id}",
        categories.update_category,
        "updateCategory",
        "Update a category",
        "Categories",
        response=models.Category,
        body=CategoryUpdate,
        errors=(400, 404, 409),
        description=PATCH,
    ),
    Operation(
        "DELETE",
        "/categories/{id}",
        categories.delete_category,
        "deleteCategory",
        "Delete a category",
        "Categories",
        status=204,
        errors=(404, 409),
        description=DELETE,
    ),
    Operation(
        "GET",
        "/products",
        products.list_products,
        "listProducts",
        "List products",
        "Products",
        response=models.ProductList,
        query=ProductListQuery,
    ),
    Operation(
        "POST",
        "/products",
        products.create_product,
        "createProduct",
        "Create a product",
        "Products",
        status=201,
        response=models.Product,
        body=ProductCreate,
        errors=(400, 409),
    ),
    Operation(
        "GET",
        "/products/{id}",
        products.get_product,
        "getProduct",
        "Retrieve a product",
        "Products",
        response=models.Product,
        errors=(404,),
    ),
    Operation(
        "PATCH",
        "/products/{id}",
        products.update_product,
        "updateProduct",
        "Update a product",
        "Products",
        response=models.Product,
        body=ProductUpdate,
        errors=(400, 404, 409),
        description=PATCH,
    ),
    Operation(
        "DELETE",
        "/products/{id}",
        products.delete_product,
        "deleteProduct",
        "Delete a product",
        "Products",
        status=204,
        errors=(404, 409),
        description=DELETE,
    ),
    Operation(
        "GET",
        "/customers",
        customers.list_customers,
        "listCustomers",
        "List customers",
        "Customers",
        response=models.CustomerList,
        query=CustomerListQuery,
    ),
    Operation(
        "POST",
        "/customers",
        customers.create_customer,
        "createCustomer",
        "Create a customer",
        "Customers",
        status=201,
        response=models.Customer,
        body=CustomerCreate,
        errors=(400, 409),
    ),
    Operation(
        "GET",
        "/customers/{id}",
        customers.get_customer,
        "getCustomer",
        "Retrieve a customer",
        "Customers",
        response=models.Customer,
        errors=(404,),
    ),
    Operation(
        "PATCH",
        "/customers/{id}",
        customers.update_customer,
        "updateCustomer",
        "Update a customer",
        "Customers",
        response=models.Customer,
        body=CustomerUpdate,
        errors=(400, 404, 409),
        description=PATCH,
    ),
    Operation(
        "DELETE",
        "/customers/{id}",
        customers.delete_customer,
        "deleteCustomer",
        "Delete a customer",
        "Customers",
        status=204,
        errors=(404, 409),
        description=DELETE,
    ),
    Operation(
        "GET",
        "/customers/{id}/orders",
        orders.list_customer_orders,
        "listCustomerOrders",
        "List a customer's orders",
        "Customers",
        response=models.OrderList,
        query=CustomerOrdersQuery,
        errors=(404,),
    ),
    Operation(
        "GET",
        "/orders",
        orders.list_orders,
        "listOrders",
        "List orders",
        "Orders",
        response=models.OrderList,
        query=OrderListQuery,
    ),
    Operation(
        "GET",
        "/orders/{id}",
        orders.get_order,
        "getOrder",
        "Retrieve an order",
        "Orders",
        response=models.Order,
        errors=(404,),
    ),
)
