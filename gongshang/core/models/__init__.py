from .audit import AuditEvent, PiiAccessLog
from .calendar import CalendarYear, HolidayOverride
from .files import StoredFile
from .idempotency import IdempotencyRecord
from .outbox import OutboxMessage

__all__ = [
    "AuditEvent",
    "PiiAccessLog",
    "CalendarYear",
    "HolidayOverride",
    "StoredFile",
    "IdempotencyRecord",
    "OutboxMessage",
]
