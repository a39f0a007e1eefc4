"""Models of 服务, one module per area (a newcomer finds each by its name)."""

from .messages import CaseMessage
from .prevention import (
    Attendance,
    Course,
    Evaluation,
    PreventionPlan,
    PreventionProject,
    SessionMedia,
    Trainer,
    TrainingSession,
)
from .ratings import Rating, RatingFollowUp
from .settings import FundIncome, ServiceSetting
from .tickets import KnowledgeArticle, Ticket, TicketEvent
from .window import WindowMatter, WindowRequest

__all__ = [
    "Attendance", "CaseMessage", "Course", "Evaluation", "FundIncome", "KnowledgeArticle", "PreventionPlan",
    "PreventionProject", "Rating", "RatingFollowUp", "ServiceSetting", "SessionMedia", "Ticket", "TicketEvent",
    "Trainer", "TrainingSession", "WindowMatter", "WindowRequest",
]
