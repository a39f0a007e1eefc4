"""Entitlements come from a decided recognition (条例 第十四、十五条): when the recognition app has
an application for the case, only a decision "recognized" or "deemed" opens benefits; a refusal
(不予认定) or an undecided application closes them. Only a case with no application in the
system (a legacy, paper decision) may rely on the decision number staff record by hand."""

from gongshang.core.errors import DomainError
from gongshang.recognition.models import RecognitionApplication

from ..errors import BenefitsErrorCode

DECIDED = ("decided", "delivered")
OPENS_BENEFITS = ("recognized", "deemed")
NOT_AN_APPLICATION = ("draft", "deleted", "withdrawn")
VETERAN = "art15_3"  # 条例 第十五条第一款第（三）项: 旧伤复发


def case_recognition(case) -> RecognitionApplication | None:
    """The case's decided recognition that opens benefits; None when the case has no application
    in the system (paper decision). Raises 409/422 for a refusal or an undecided application."""
    applications = (RecognitionApplication.objects.filter(case=case).exclude(status__in=NOT_AN_APPLICATION)
                    .order_by("-decided_on", "-pk"))
    if not applications.exists():
        return None
    decided = [a for a in applications if a.status in DECIDED and a.decision_result]
    if not decided:
        raise DomainError(BenefitsErrorCode.RECOGNITION_UNDECIDED, status=409,
                          details={"recognition": [a.pk for a in applications]})
    latest = decided[0]
    if latest.decision_result not in OPENS_BENEFITS:
        raise DomainError(BenefitsErrorCode.RECOGNITION_REFUSED, status=409,
                          details={"recognition": latest.pk, "result": latest.decision_result})
    return latest


def has_application(case) -> bool:
    return RecognitionApplication.objects.filter(case=case).exclude(status__in=NOT_AN_APPLICATION).exists()
