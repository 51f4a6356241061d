# Generated from docs/openapi.json by `python clients/generate.py`: do not edit.
from typing import Literal

ListEventsSort = Literal["created_at"]

LIST_EVENTS_SORT_VALUES: set[ListEventsSort] = {
    "created_at",
}


def check_list_events_sort(value: str) -> ListEventsSort:
    if value in LIST_EVENTS_SORT_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {LIST_EVENTS_SORT_VALUES!r}")
