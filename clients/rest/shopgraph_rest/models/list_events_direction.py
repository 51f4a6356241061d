# Generated from docs/openapi.json by `python clients/generate.py`: do not edit.
from typing import Literal

ListEventsDirection = Literal["asc", "desc"]

LIST_EVENTS_DIRECTION_VALUES: set[ListEventsDirection] = {
    "asc",
    "desc",
}


def check_list_events_direction(value: str) -> ListEventsDirection:
    if value in LIST_EVENTS_DIRECTION_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {LIST_EVENTS_DIRECTION_VALUES!r}")
