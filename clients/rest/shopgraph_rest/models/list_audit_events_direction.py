# Generated from docs/openapi.json by `python clients/generate.py`: do not edit.
from typing import Literal

ListAuditEventsDirection = Literal["asc", "desc"]

LIST_AUDIT_EVENTS_DIRECTION_VALUES: set[ListAuditEventsDirection] = {
    "asc",
    "desc",
}


def check_list_audit_events_direction(value: str) -> ListAuditEventsDirection:
    if value in LIST_AUDIT_EVENTS_DIRECTION_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {LIST_AUDIT_EVENTS_DIRECTION_VALUES!r}"
    )
