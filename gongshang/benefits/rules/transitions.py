"""The one transition table for Entitlement.status (DESIGN: explicit table, one helper)."""

PENDING, ACTIVE, SUSPENDED, STOPPED, REJECTED = "pending", "active", "suspended", "stopped", "rejected"

TRANSITIONS: dict[str, frozenset[str]] = {
    PENDING: frozenset({ACTIVE, REJECTED}),  # a second 待遇审核员 approves or returns
    ACTIVE: frozenset({SUSPENDED, STOPPED}),
    SUSPENDED: frozenset({ACTIVE, STOPPED}),
    STOPPED: frozenset(),
    REJECTED: frozenset(),
}


def can_transition(current: str, target: str) -> bool:
    return str(target) in TRANSITIONS.get(str(current), frozenset())
