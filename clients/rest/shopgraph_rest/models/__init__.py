# Generated from docs/openapi.json by `python clients/generate.py`: do not edit.
"""Contains all the data models used in inputs/outputs"""

from .api_key import ApiKey
from .api_key_api_version import ApiKeyApiVersion
from .api_key_collection import ApiKeyCollection
from .api_key_create import ApiKeyCreate
from .api_key_create_api_version import ApiKeyCreateApiVersion
from .api_key_created import ApiKeyCreated
from .api_key_created_api_version import ApiKeyCreatedApiVersion
from .api_key_update import ApiKeyUpdate
from .api_key_update_api_version import ApiKeyUpdateApiVersion
from .audit_event import AuditEvent
from .audit_event_list import AuditEventList
from .category import Category
from .category_create import CategoryCreate
from .category_list import CategoryList
from .category_update import CategoryUpdate
from .customer import Customer
from .customer_create import CustomerCreate
from .customer_list import CustomerList
from .customer_token import CustomerToken
from .customer_update import CustomerUpdate
from .delivery_window import DeliveryWindow
from .deprecation_usage import DeprecationUsage
from .deprecation_usage_report import DeprecationUsageReport
from .endpoint_health import EndpointHealth
from .endpoint_health_breaker import EndpointHealthBreaker
from .event import Event
from .event_data import EventData
from .event_data_object import EventDataObject
from .event_list import EventList
from .failed_redelivery import FailedRedelivery
from .get_sales_report_group_by import GetSalesReportGroupBy
from .get_top_products_by import GetTopProductsBy
from .inventory import Inventory
from .inventory_level import InventoryLevel
from .inventory_movement import InventoryMovement
from .inventory_movement_kind import InventoryMovementKind
from .inventory_movement_list import InventoryMovementList
from .inventory_settings import InventorySettings
from .list_audit_events_direction import ListAuditEventsDirection
from .list_audit_events_sort import ListAuditEventsSort
from .list_categories_direction import ListCategoriesDirection
from .list_categories_sort import ListCategoriesSort
from .list_customer_orders_direction import ListCustomerOrdersDirection
from .list_customer_orders_sort import ListCustomerOrdersSort
from .list_customers_direction import ListCustomersDirection
from .list_customers_sort import ListCustomersSort
from .list_events_direction import ListEventsDirection
from .list_events_sort import ListEventsSort
from .list_events_type import ListEventsType
from .list_inventory_movements_direction import ListInventoryMovementsDirection
from .list_inventory_movements_sort import ListInventoryMovementsSort
from .list_orders_direction import ListOrdersDirection
from .list_orders_sort import ListOrdersSort
from .list_orders_status import ListOrdersStatus
from .list_products_direction import ListProductsDirection
from .list_products_sort import ListProductsSort
from .list_webhook_deliveries_direction import ListWebhookDeliveriesDirection
from .list_webhook_deliveries_sort import ListWebhookDeliveriesSort
from .list_webhook_endpoints_direction import ListWebhookEndpointsDirection
from .list_webhook_endpoints_sort import ListWebhookEndpointsSort
from .money import Money
from .money_input import MoneyInput
from .order import Order
from .order_line import OrderLine
from .order_line_input import OrderLineInput
from .order_list import OrderList
from .order_placement import OrderPlacement
from .order_status import OrderStatus
from .payment import Payment
from .payment_collection import PaymentCollection
from .payment_input import PaymentInput
from .payment_status import PaymentStatus
from .period import Period
from .problem import Problem
from .problem_field_error import ProblemFieldError
from .product import Product
from .product_create import ProductCreate
from .product_list import ProductList
from .product_update import ProductUpdate
from .redelivered import Redelivered
from .redelivery import Redelivery
from .refund import Refund
from .refund_collection import RefundCollection
from .refund_input import RefundInput
from .refund_status import RefundStatus
from .sales_report import SalesReport
from .sales_report_row import SalesReportRow
from .secret_rotation import SecretRotation
from .stock_adjustment import StockAdjustment
from .stock_adjustment_kind import StockAdjustmentKind
from .top_product import TopProduct
from .top_products import TopProducts
from .webhook_attempt import WebhookAttempt
from .webhook_attempt_list import WebhookAttemptList
from .webhook_endpoint import WebhookEndpoint
from .webhook_endpoint_api_version import WebhookEndpointApiVersion
from .webhook_endpoint_create import WebhookEndpointCreate
from .webhook_endpoint_create_api_version import WebhookEndpointCreateApiVersion
from .webhook_endpoint_create_event_types_item import WebhookEndpointCreateEventTypesItem
from .webhook_endpoint_list import WebhookEndpointList
from .webhook_endpoint_update import WebhookEndpointUpdate
from .webhook_endpoint_update_api_version import WebhookEndpointUpdateApiVersion
from .webhook_endpoint_with_health import WebhookEndpointWithHealth
from .webhook_endpoint_with_health_api_version import WebhookEndpointWithHealthApiVersion
from .webhook_endpoint_with_secret import WebhookEndpointWithSecret
from .webhook_endpoint_with_secret_api_version import WebhookEndpointWithSecretApiVersion

__all__ = (
    "ApiKey",
    "ApiKeyApiVersion",
    "ApiKeyCollection",
    "ApiKeyCreate",
    "ApiKeyCreateApiVersion",
    "ApiKeyCreated",
    "ApiKeyCreatedApiVersion",
    "ApiKeyUpdate",
    "ApiKeyUpdateApiVersion",
    "AuditEvent",
    "AuditEventList",
    "Category",
    "CategoryCreate",
    "CategoryList",
    "CategoryUpdate",
    "Customer",
    "CustomerCreate",
    "CustomerList",
    "CustomerToken",
    "CustomerUpdate",
    "DeliveryWindow",
    "DeprecationUsage",
    "DeprecationUsageReport",
    "EndpointHealth",
    "EndpointHealthBreaker",
    "Event",
    "EventData",
    "EventDataObject",
    "EventList",
    "FailedRedelivery",
    "GetSalesReportGroupBy",
    "GetTopProductsBy",
    "Inventory",
    "InventoryLevel",
    "InventoryMovement",
    "InventoryMovementKind",
    "InventoryMovementList",
    "InventorySettings",
    "ListAuditEventsDirection",
    "ListAuditEventsSort",
    "ListCategoriesDirection",
    "ListCategoriesSort",
    "ListCustomerOrdersDirection",
    "ListCustomerOrdersSort",
    "ListCustomersDirection",
    "ListCustomersSort",
    "ListEventsDirection",
    "ListEventsSort",
    "ListEventsType",
    "ListInventoryMovementsDirection",
    "ListInventoryMovementsSort",
    "ListOrdersDirection",
    "ListOrdersSort",
    "ListOrdersStatus",
    "ListProductsDirection",
    "ListProductsSort",
    "ListWebhookDeliveriesDirection",
    "ListWebhookDeliveriesSort",
    "ListWebhookEndpointsDirection",
    "ListWebhookEndpointsSort",
    "Money",
    "MoneyInput",
    "Order",
    "OrderLine",
    "OrderLineInput",
    "OrderList",
    "OrderPlacement",
    "OrderStatus",
    "Payment",
    "PaymentCollection",
    "PaymentInput",
    "PaymentStatus",
    "Period",
    "Problem",
    "ProblemFieldError",
    "Product",
    "ProductCreate",
    "ProductList",
    "ProductUpdate",
    "Redelivered",
    "Redelivery",
    "Refund",
    "RefundCollection",
    "RefundInput",
    "RefundStatus",
    "SalesReport",
    "SalesReportRow",
    "SecretRotation",
    "StockAdjustment",
    "StockAdjustmentKind",
    "TopProduct",
    "TopProducts",
    "WebhookAttempt",
    "WebhookAttemptList",
    "WebhookEndpoint",
    "WebhookEndpointApiVersion",
    "WebhookEndpointCreate",
    "WebhookEndpointCreateApiVersion",
    "WebhookEndpointCreateEventTypesItem",
    "WebhookEndpointList",
    "WebhookEndpointUpdate",
    "WebhookEndpointUpdateApiVersion",
    "WebhookEndpointWithHealth",
    "WebhookEndpointWithHealthApiVersion",
    "WebhookEndpointWithSecret",
    "WebhookEndpointWithSecretApiVersion",
)
