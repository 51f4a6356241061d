# Generated from docs/schema.graphql and the operations in examples/graphql/ and
# clients/graphql/operations/ by `python clients/generate.py`: do not edit.
from typing import Any, Optional, Union

from .async_base_client import AsyncBaseClient
from .base_model import UNSET, UnsetType
from .catalog import Catalog
from .create_product import CreateProduct
from .customers_with_orders import CustomersWithOrders
from .get_product import GetProduct
from .input_types import PaymentInput, PlaceOrderInput
from .orders import Orders
from .pay_order import PayOrder
from .place_order import PlaceOrder


def gql(q: str) -> str:
    return q


class Client(AsyncBaseClient):
    async def catalog(self, **kwargs: Any) -> Catalog:
        query = gql("""
            query Catalog {
              categories(first: 5, sort: NAME) {
                nodes {
                  id
                  name
                  products(first: 3, sort: PRICE) {
                    nodes {
                      id
                      name
                      price {
                        amount
                        currency
                      }
                    }
                  }
                }
              }
              products(
                first: 5
                filter: {search: "mug", priceMax: 5000}
                sort: PRICE
                direction: DESC
              ) {
                nodes {
                  id
                  sku
                  name
                  price {
                    amount
                    currency
                  }
                  inventory {
                    available
                  }
                }
              }
            }
            """)
        variables: dict[str, object] = {}
        response = await self.execute(
            query=query, operation_name="Catalog", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return Catalog.model_validate(data)

    async def create_product(self, **kwargs: Any) -> CreateProduct:
        query = gql("""
            mutation CreateProduct {
              createProduct(
                input: {sku: "EXAMPLE-MUG-1", name: "Example mug", price: {amount: 1299, currency: "USD"}}
              ) {
                product {
                  id
                  sku
                  name
                  price {
                    amount
                    currency
                  }
                  createdAt
                }
                userErrors {
                  field
                  code
                  message
                }
              }
            }
            """)
        variables: dict[str, object] = {}
        response = await self.execute(
            query=query, operation_name="CreateProduct", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return CreateProduct.model_validate(data)

    async def customers_with_orders(
        self, first: Union[Optional[int], UnsetType] = UNSET, **kwargs: Any
    ) -> CustomersWithOrders:
        query = gql("""
            query CustomersWithOrders($first: Int = 10) {
              customers(first: $first, sort: NAME) {
                nodes {
                  id
                  name
                  email
                  orders(first: 5, sort: CREATED_AT, direction: DESC) {
                    nodes {
                      id
                      number
                      status
                      total {
                        amount
                        currency
                      }
                    }
                    pageInfo {
                      hasNextPage
                      endCursor
                    }
                  }
                }
              }
            }
            """)
        variables: dict[str, object] = {"first": first}
        response = await self.execute(
            query=query,
            operation_name="CustomersWithOrders",
            variables=variables,
            **kwargs,
        )
        data = self.get_data(response)
        return CustomersWithOrders.model_validate(data)

    async def get_product(self, id: str, **kwargs: Any) -> GetProduct:
        query = gql("""
            query GetProduct($id: ID!) {
              product(id: $id) {
                id
                sku
                name
                description
                price {
                  amount
                  currency
                }
                version
                createdAt
                updatedAt
                category {
                  id
                  name
                }
                inventory {
                  onHand
                  reserved
                  available
                }
              }
            }
            """)
        variables: dict[str, object] = {"id": id}
        response = await self.execute(
            query=query, operation_name="GetProduct", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return GetProduct.model_validate(data)

    async def orders(
        self, first: int, after: Union[Optional[str], UnsetType] = UNSET, **kwargs: Any
    ) -> Orders:
        query = gql("""
            query Orders($first: Int!, $after: String) {
              orders(first: $first, after: $after) {
                edges {
                  cursor
                  node {
                    id
                    number
                    status
                    createdAt
                    total {
                      amount
                      currency
                    }
                    customer {
                      id
                      name
                      email
                    }
                    lines {
                      quantity
                      unitPrice {
                        amount
                        currency
                      }
                      product {
                        id
                        sku
                        name
                        price {
                          amount
                          currency
                        }
                        category {
                          id
                          name
                        }
                        inventory {
                          onHand
                          reserved
                          available
                        }
                      }
                    }
                  }
                }
                pageInfo {
                  hasNextPage
                  endCursor
                }
              }
            }
            """)
        variables: dict[str, object] = {"first": first, "after": after}
        response = await self.execute(
            query=query, operation_name="Orders", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return Orders.model_validate(data)

    async def pay_order(
        self,
        order_id: str,
        input: PaymentInput,
        idempotency_key: Union[Optional[str], UnsetType] = UNSET,
        **kwargs: Any,
    ) -> PayOrder:
        query = gql("""
            mutation PayOrder($orderId: ID!, $input: PaymentInput!, $idempotencyKey: String) {
              payOrder(orderId: $orderId, input: $input, idempotencyKey: $idempotencyKey) {
                payment {
                  id
                  status
                  source
                  failureCode
                  amount {
                    amount
                    currency
                  }
                  captured {
                    amount
                    currency
                  }
                  order {
                    id
                    status
                  }
                }
                userErrors {
                  field
                  code
                  message
                }
              }
            }
            """)
        variables: dict[str, object] = {
            "orderId": order_id,
            "input": input,
            "idempotencyKey": idempotency_key,
        }
        response = await self.execute(
            query=query, operation_name="PayOrder", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return PayOrder.model_validate(data)

    async def place_order(
        self,
        input: PlaceOrderInput,
        idempotency_key: Union[Optional[str], UnsetType] = UNSET,
        **kwargs: Any,
    ) -> PlaceOrder:
        query = gql("""
            mutation PlaceOrder($input: PlaceOrderInput!, $idempotencyKey: String) {
              placeOrder(input: $input, idempotencyKey: $idempotencyKey) {
                order {
                  id
                  number
                  status
                  subtotal {
                    amount
                    currency
                  }
                  total {
                    amount
                    currency
                  }
                  customer {
                    id
                  }
                  lines {
                    quantity
                    unitPrice {
                      amount
                      currency
                    }
                    product {
                      id
                      sku
                    }
                  }
                }
                userErrors {
                  field
                  code
                  message
                }
              }
            }
            """)
        variables: dict[str, object] = {
            "input": input,
            "idempotencyKey": idempotency_key,
        }
        response = await self.execute(
            query=query, operation_name="PlaceOrder", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return PlaceOrder.model_validate(data)
