"""The transition table of a bad rating's follow-up (差评整改): open → closed, once, with the outcome
told to the applicant (国办发〔2019〕51号: 回访整改反馈). Keyed by the matrix action `follow_up`."""

from gongshang.core.workflow import Workflow, step

from ..choices import FollowUpStatus as F

FOLLOW_UP_WORKFLOW = Workflow(kind="service_rating", statuses=tuple(F.values), steps={
    "follow_up": step(F.OPEN, F.CLOSED),
})
