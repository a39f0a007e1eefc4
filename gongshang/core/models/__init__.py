from .audit import AuditEvent, PiiAccessLog
from .calendar import CalendarYear, HolidayOverride
from .documents import IssuedDocument
from .files import StoredFile
from .idempotency import IdempotencyRecord
from .outbox import OutboxMessage

__all__ = [
    "AuditEvent",
    "PiiAccessLog",
    "CalendarYear",
    "HolidayOverride",
    "StoredFile",
    "IssuedDocument",
    "IdempotencyRecord",
    "OutboxMessage",
]
