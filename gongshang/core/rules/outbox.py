"""通知发件箱: the transition table of OutboxMessage.status.

`retry` is the system administrator's (a failed message sent again); the other steps are the
delivery worker's own (actor None: the platform itself, which no role may take by hand).
"""

from gongshang.core.workflow import Workflow, step

PENDING, SENT, RETRYING, FAILED = "pending", "sent", "retrying", "failed"
OPEN = (PENDING, RETRYING)

OUTBOX_WORKFLOW = Workflow(
    kind="outbox_message",
    steps={
        "retry": step(FAILED, PENDING),
        "send": step(OPEN, SENT),          # the gateway accepted it
        "defer": step(OPEN, RETRYING),     # an attempt failed, another is scheduled
        "fail": step(OPEN, FAILED),        # out of attempts, or expired before it could be sent
    },
    statuses=(PENDING, SENT, RETRYING, FAILED),
)
