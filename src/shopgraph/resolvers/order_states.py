"""The order lifecycle: which status may follow which, enforced before any write.

    pending --pay--> paid --fulfil--> fulfilled
       |               |                  |
       +--cancel--> cancelled     refund (part or all) --> partially_refunded / refunded

Cancelling releases the order's reserved stock; fulfilling turns it into shipped stock.
A paid order cannot be cancelled: refund it instead, so money and stock never diverge.
"""

from __future__ import annotations

from ..errors import Conflict

TRANSITIONS: dict[str, frozenset[str]] = {
    "pending": frozenset({"paid", "cancelled"}),
    "paid": frozenset({"fulfilled", "partially_refunded", "refunded"}),
    "fulfilled": frozenset({"partially_refunded", "refunded"}),
    "partially_refunded": frozenset({"partially_refunded", "refunded", "fulfilled"}),
    "refunded": frozenset(),
    "cancelled": frozenset(),
}


def require_transition(order_id: str, current: str, target: str) -> None:
    """CONFLICT, naming the current status, unless `current` may become `target`."""
    if target not in TRANSITIONS.get(current, frozenset()):
        raise Conflict(
            f"Order `{order_id}` is {current}; it cannot become {target}.",
            extra={"current_status": current, "requested_status": target},
        )
