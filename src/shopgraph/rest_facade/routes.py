"""The route table: one row per operation, driving both the router and the OpenAPI document.

Paths are relative to the mount point (`PREFIX`, where `app.py` mounts the sub-app).
Every operation may also answer 410 (its version past its sunset), 422 (a bad or unknown
query parameter) and 500; those are added to `errors` by `Operation.error_statuses`, not
repeated in each row.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel

from ..resolvers.access import ApiKeyCreate, ApiKeyUpdate
from ..resolvers.inputs import (
    CategoryCreate,
    CategoryUpdate,
    CustomerCreate,
    CustomerUpdate,
    ProductCreate,
    ProductUpdate,
)
from ..resolvers.inventory import InventorySettings, StockAdjustment
from ..resolvers.ordering import OrderPlacement
from ..resolvers.payments import PaymentInput
from ..resolvers.redelivery import FailedRedelivery, Redelivery
from ..resolvers.refunds import RefundInput
from ..resolvers.webhook_endpoints import (
    SecretRotation,
    WebhookEndpointCreate,
    WebhookEndpointUpdate,
)
from . import (
    access,
    categories,
    customers,
    events,
    models,
    order_writes,
    orders,
    payments,
    products,
    reports,
    stock,
    webhooks,
)
from .endpoint import Handler
from .queries import (
    AuditListQuery,
    CategoryListQuery,
    CustomerListQuery,
    CustomerOrdersQuery,
    EventListQuery,
    MovementListQuery,
    OrderListQuery,
    ProductListQuery,
    Query,
    SalesReportQuery,
    TopProductsQuery,
    WebhookAttemptListQuery,
    WebhookEndpointListQuery,
)

PREFIX = "/v1"
# 401/403: bad credentials, a missing scope, a disallowed IP; 410: a version past its sunset
ALWAYS = (401, 403, 410, 422, 500)
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
    idempotent: bool = False  # accepts an `Idempotency-Key` header

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
    Operation(
        "POST",
        "/orders",
        order_writes.place_order,
        "placeOrder",
        "Place an order",
        "Orders",
        status=201,
        response=models.Order,
        body=OrderPlacement,
        errors=(400, 409),
        description=(
            "Prices and totals come from the catalog now and are stored on the order. All "
            "lines' stock is reserved in the same transaction, or none: 409 "
            "INSUFFICIENT_INVENTORY names the first line that is short."
        ),
        idempotent=True,
    ),
    Operation(
        "POST",
        "/orders/{id}/cancel",
        order_writes.cancel_order,
        "cancelOrder",
        "Cancel a pending order",
        "Orders",
        response=models.Order,
        errors=(404, 409),
        description="Releases the order's reserved stock. 409 CONFLICT unless pending.",
    ),
    Operation(
        "POST",
        "/orders/{id}/fulfill",
        order_writes.fulfill_order,
        "fulfillOrder",
        "Fulfil a paid order",
        "Orders",
        response=models.Order,
        errors=(404, 409),
        description="Ships the order's reserved stock. 409 CONFLICT unless paid.",
    ),
    Operation(
        "GET",
        "/products/{id}/inventory",
        stock.get_inventory,
        "getInventory",
        "Retrieve a product's stock level",
        "Inventory",
        response=models.InventoryLevel,
        errors=(404,),
    ),
    Operation(
        "PATCH",
        "/products/{id}/inventory",
        stock.update_inventory,
        "updateInventory",
        "Change a product's inventory settings",
        "Inventory",
        response=models.InventoryLevel,
        body=InventorySettings,
        errors=(400, 404),
    ),
    Operation(
        "POST",
        "/products/{id}/inventory/adjustments",
        stock.adjust_inventory,
        "adjustInventory",
        "Receive or correct stock",
        "Inventory",
        status=201,
        response=models.InventoryLevel,
        body=StockAdjustment,
        errors=(400, 404, 409),
        description=(
            "Records a movement in the ledger and returns the new level. Removing more "
            "than is available (on hand minus reserved) is 409 INSUFFICIENT_INVENTORY."
        ),
    ),
    Operation(
        "GET",
        "/products/{id}/inventory/movements",
        stock.list_movements,
        "listInventoryMovements",
        "List a product's stock movements",
        "Inventory",
        response=models.InventoryMovementList,
        query=MovementListQuery,
        errors=(404,),
    ),
    Operation(
        "POST",
        "/orders/{id}/payments",
        payments.pay_order,
        "payOrder",
        "Pay for an order",
        "Payments",
        status=201,
        response=models.Payment,
        body=PaymentInput,
        errors=(400, 402, 404, 409, 502, 503),
        description=(
            "Charges the order's balance (or `amount` of it) from a card token; with "
            "`capture: false` only authorizes. Fully captured, the order becomes paid. "
            "402 PAYMENT_DECLINED leaves the order payable and its stock reserved; 503 "
            "means the provider did not answer: retry with the same Idempotency-Key, which "
            "goes on with the same payment and never charges twice."
        ),
        idempotent=True,
    ),
    Operation(
        "GET",
        "/orders/{id}/payments",
        payments.list_order_payments,
        "listOrderPayments",
        "List an order's payments",
        "Payments",
        response=models.PaymentCollection,
        errors=(404,),
    ),
    Operation(
        "GET",
        "/payments/{id}",
        payments.get_payment,
        "getPayment",
        "Retrieve a payment",
        "Payments",
        response=models.Payment,
        errors=(404,),
        description="Before version 2026-12-06 a payment embeds its `refunds`; since, they "
        "are listed at `GET /v1/payments/{id}/refunds`.",
    ),
    Operation(
        "GET",
        "/payments/{id}/refunds",
        payments.list_payment_refunds,
        "listPaymentRefunds",
        "List a payment's refunds",
        "Payments",
        response=models.RefundCollection,
        errors=(404,),
    ),
    Operation(
        "POST",
        "/payments/{id}/capture",
        payments.capture_payment,
        "capturePayment",
        "Capture an authorized payment",
        "Payments",
        response=models.Payment,
        errors=(404, 409, 502, 503),
        description=(
            "Captures the whole authorization. A capture that lost its answer (503) is "
            "retried by sending this request again."
        ),
    ),
    Operation(
        "GET",
        "/refunds/{id}",
        payments.get_refund,
        "getRefund",
        "Retrieve a refund",
        "Payments",
        response=models.Refund,
        errors=(404,),
    ),
    Operation(
        "POST",
        "/payments/{id}/refunds",
        payments.refund_payment,
        "refundPayment",
        "Refund a payment",
        "Payments",
        status=201,
        response=models.Refund,
        body=RefundInput,
        errors=(400, 404, 409, 502, 503),
        description=(
            "Refunds `amount` (default: everything not yet refunded). The total refunded "
            "never exceeds what was captured, also under concurrent requests."
        ),
        idempotent=True,
    ),
    Operation(
        "POST",
        "/api-keys",
        access.create_api_key,
        "createApiKey",
        "Create an API key",
        "Access",
        status=201,
        response=models.ApiKeyCreated,
        body=ApiKeyCreate,
        errors=(400, 401, 403),
        description="Admins only. The key is in this response and nowhere else, ever.",
    ),
    Operation(
        "GET",
        "/api-keys",
        access.list_api_keys,
        "listApiKeys",
        "List API keys",
        "Access",
        response=models.ApiKeyCollection,
        errors=(401, 403),
    ),
    Operation(
        "GET",
        "/deprecations/usage",
        access.deprecation_usage_report,
        "getDeprecationUsage",
        "Who still uses what is deprecated",
        "Access",
        response=models.DeprecationUsageReport,
        errors=(401, 403),
        description="Admins only. One row per deprecated thing and consumer: uses, days "
        "seen, first and last use, and the last 7 days against the 7 before "
        "(docs/versioning.md).",
    ),
    Operation(
        "PATCH",
        "/api-keys/{id}",
        access.update_api_key,
        "updateApiKey",
        "Pin an API key to a dated version",
        "Access",
        response=models.ApiKey,
        body=ApiKeyUpdate,
        errors=(400, 401, 403, 404),
        description="Admins only. Its requests are answered in that version from the next "
        "one on (docs/versioning.md).",
    ),
    Operation(
        "POST",
        "/api-keys/{id}/revoke",
        access.revoke_api_key,
        "revokeApiKey",
        "Revoke an API key",
        "Access",
        response=models.ApiKey,
        errors=(401, 403, 404),
        description=(
            "The key, and refreshing tokens granted to it, stop working at once in every "
            "server process; access tokens already issued expire within minutes."
        ),
    ),
    Operation(
        "POST",
        "/customers/{id}/tokens",
        access.issue_customer_token,
        "issueCustomerToken",
        "Issue a customer token",
        "Access",
        status=201,
        response=models.CustomerToken,
        errors=(401, 403, 404),
        description=(
            "A short-lived token for a storefront acting for this customer: it reads and "
            "places that customer's orders and pays for them, nothing else."
        ),
    ),
    Operation(
        "GET",
        "/audit-events",
        access.list_audit_events,
        "listAuditEvents",
        "List audit events",
        "Access",
        response=models.AuditEventList,
        query=AuditListQuery,
        errors=(401, 403),
        description="Who wrote (or, as a third party, read customer data), newest last.",
    ),
    Operation(
        "GET",
        "/events",
        events.list_events,
        "listEvents",
        "List events",
        "Events",
        response=models.EventList,
        query=EventListQuery,
        errors=(400, 401, 403),
        description="What happened, oldest first, as webhooks deliver it; kept for "
        "`event_retention_days` (30 by default). Needs `webhooks:read`. Types and payloads: "
        "docs/webhooks.md.",
    ),
    Operation(
        "GET",
        "/events/{id}",
        events.get_event,
        "getEvent",
        "Retrieve an event",
        "Events",
        response=models.Event,
        errors=(401, 403, 404),
    ),
    Operation(
        "POST",
        "/webhook-endpoints",
        webhooks.create_endpoint,
        "createWebhookEndpoint",
        "Create a webhook endpoint",
        "Webhooks",
        status=201,
        response=models.WebhookEndpointWithSecret,
        body=WebhookEndpointCreate,
        errors=(400, 401, 403),
        description="Needs `webhooks:write`. The URL must be https on a public host; the "
        "signing secret is in this answer only (docs/webhooks.md).",
    ),
    Operation(
        "GET",
        "/webhook-endpoints",
        webhooks.list_endpoints,
        "listWebhookEndpoints",
        "List webhook endpoints",
        "Webhooks",
        response=models.WebhookEndpointList,
        query=WebhookEndpointListQuery,
        errors=(400, 401, 403),
    ),
    Operation(
        "GET",
        "/webhook-endpoints/{id}",
        webhooks.get_endpoint,
        "getWebhookEndpoint",
        "Retrieve a webhook endpoint, with its health",
        "Webhooks",
        response=models.WebhookEndpointWithHealth,
        errors=(401, 403, 404),
        description="`health`: the breaker, the deliveries still owed, and the success "
        "rate and p50/p95 latency of the attempts of the last hour and day.",
    ),
    Operation(
        "PATCH",
        "/webhook-endpoints/{id}",
        webhooks.update_endpoint,
        "updateWebhookEndpoint",
        "Update a webhook endpoint",
        "Webhooks",
        response=models.WebhookEndpoint,
        body=WebhookEndpointUpdate,
        errors=(400, 401, 403, 404),
        description=PATCH + " `enabled: true` also clears a disabling.",
    ),
    Operation(
        "DELETE",
        "/webhook-endpoints/{id}",
        webhooks.delete_endpoint,
        "deleteWebhookEndpoint",
        "Delete a webhook endpoint",
        "Webhooks",
        status=204,
        errors=(401, 403, 404),
    ),
    Operation(
        "POST",
        "/webhook-endpoints/{id}/rotate-secret",
        webhooks.rotate_secret,
        "rotateWebhookSecret",
        "Rotate an endpoint's signing secret",
        "Webhooks",
        response=models.WebhookEndpointWithSecret,
        body=SecretRotation,
        errors=(400, 401, 403, 404),
        description="The new secret is in this answer only; for `overlap_hours` deliveries "
        "carry a signature made with the old one as well.",
    ),
    Operation(
        "GET",
        "/webhook-endpoints/{id}/deliveries",
        webhooks.list_attempts,
        "listWebhookDeliveries",
        "List an endpoint's delivery attempts",
        "Webhooks",
        response=models.WebhookAttemptList,
        query=WebhookAttemptListQuery,
        errors=(400, 401, 403, 404),
        description="Every try, oldest first: the answer's status, latency and first bytes, "
        "or why there was none.",
    ),
    Operation(
        "POST",
        "/events/{id}/redeliver",
        webhooks.redeliver_event,
        "redeliverEvent",
        "Deliver an event again",
        "Webhooks",
        status=202,
        response=models.Redelivered,
        body=Redelivery,
        errors=(400, 401, 403, 404),
        description="Needs `webhooks:write`. A new delivery, due now, to every enabled "
        "endpoint listening for its type or to `endpoint_id`; the same body and `webhook-id`.",
    ),
    Operation(
        "POST",
        "/webhook-endpoints/{id}/redeliver-failed",
        webhooks.redeliver_failed,
        "redeliverFailedDeliveries",
        "Try again every given-up delivery since a time",
        "Webhooks",
        status=202,
        response=models.Redelivered,
        body=FailedRedelivery,
        errors=(400, 401, 403, 404),
        description="Needs `webhooks:write`. Deliveries given up for events made since "
        "`since` start their schedule again.",
    ),
    Operation(
        "GET",
        "/reports/sales",
        reports.sales_report,
        "getSalesReport",
        "Sales per period, product, category or customer",
        "Reports",
        response=models.SalesReport,
        query=SalesReportQuery,
        description="Needs `reports:read` (and `customers:read` by customer). What counts as a "
        "sale, and when: docs/analytics.md.",
    ),
    Operation(
        "GET",
        "/reports/top-products",
        reports.top_products,
        "getTopProducts",
        "Best sellers",
        "Reports",
        response=models.TopProducts,
        query=TopProductsQuery,
        description="Needs `reports:read`. Ranked per currency; `currency` ranks one.",
    ),
)
