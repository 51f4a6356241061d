# Generated from docs/schema.graphql and the operations in examples/graphql/ and
# clients/graphql/operations/ by `python clients/generate.py`: do not edit.
from enum import Enum


class CategorySort(str, Enum):
    CREATED_AT = "CREATED_AT"
    NAME = "NAME"


class CustomerSort(str, Enum):
    CREATED_AT = "CREATED_AT"
    NAME = "NAME"
    EMAIL = "EMAIL"


class OrderSort(str, Enum):
    CREATED_AT = "CREATED_AT"
    NUMBER = "NUMBER"
    TOTAL = "TOTAL"


class OrderStatus(str, Enum):
    PENDING = "PENDING"
    PAID = "PAID"
    FULFILLED = "FULFILLED"
    CANCELLED = "CANCELLED"
    REFUNDED = "REFUNDED"
    PARTIALLY_REFUNDED = "PARTIALLY_REFUNDED"


class ProductSort(str, Enum):
    CREATED_AT = "CREATED_AT"
    NAME = "NAME"
    PRICE = "PRICE"
    SKU = "SKU"


class ReportGrouping(str, Enum):
    DAY = "DAY"
    WEEK = "WEEK"
    MONTH = "MONTH"
    PRODUCT = "PRODUCT"
    CATEGORY = "CATEGORY"
    CUSTOMER = "CUSTOMER"


class SortDirection(str, Enum):
    ASC = "ASC"
    DESC = "DESC"


class TopProductsBy(str, Enum):
    REVENUE = "REVENUE"
    UNITS = "UNITS"


class UserErrorCode(str, Enum):
    NOT_FOUND = "NOT_FOUND"
    VALIDATION_FAILED = "VALIDATION_FAILED"
    PAYLOAD_TOO_LARGE = "PAYLOAD_TOO_LARGE"
    UNAUTHENTICATED = "UNAUTHENTICATED"
    FORBIDDEN = "FORBIDDEN"
    METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED"
    CONFLICT = "CONFLICT"
    IDEMPOTENCY_KEY_REUSED = "IDEMPOTENCY_KEY_REUSED"
    PRECONDITION_FAILED = "PRECONDITION_FAILED"
    INSUFFICIENT_INVENTORY = "INSUFFICIENT_INVENTORY"
    PAYMENT_DECLINED = "PAYMENT_DECLINED"
    RATE_LIMITED = "RATE_LIMITED"
    VALUE_TOO_LARGE = "VALUE_TOO_LARGE"
    QUERY_TOO_COMPLEX = "QUERY_TOO_COMPLEX"
    SERVICE_UNAVAILABLE = "SERVICE_UNAVAILABLE"
    PAYMENT_PROVIDER_ERROR = "PAYMENT_PROVIDER_ERROR"
    INTERNAL = "INTERNAL"
    REQUIRED = "REQUIRED"
    INVALID = "INVALID"
    TOO_LONG = "TOO_LONG"
    OUT_OF_RANGE = "OUT_OF_RANGE"
    UNKNOWN_FIELD = "UNKNOWN_FIELD"
    TAKEN = "TAKEN"
    IN_USE = "IN_USE"
