# Generated from docs/openapi.json by `python clients/generate.py`: do not edit.
from typing import Literal

ListAuditEventsSort = Literal["occurred_at"]

LIST_AUDIT_EVENTS_SORT_VALUES: set[ListAuditEventsSort] = {
    "occurred_at",
}


def check_list_audit_events_sort(value: str) -> ListAuditEventsSort:
    if value in LIST_AUDIT_EVENTS_SORT_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {LIST_AUDIT_EVENTS_SORT_VALUES!r}"
    )
