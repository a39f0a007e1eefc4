"""Issuing the legal documents of 工伤认定 through core.documents: versioned (a re-issue is version
n+1, the earlier one revoked), attached to the application, delivered on the portal with an SMS
to the employer and the worker (outbox)."""

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from gongshang.core.documents.services import document_issue, document_revoke
from gongshang.core.pii.masking import mask_id_number, mask_name
from gongshang.core.regions import full_name, get_region

from .. import deadlines, notifications
from ..choices import Circumstance, RecognitionDocumentKind, RecognitionEventType, Treatment
from ..models import RecognitionDocument
from ..rules import deadlines as deadline_rules
from ..rules import decisions, periods
from .transition import event_append

TEMPLATES = {
    RecognitionDocumentKind.APPLICATION_FORM: "recognition/pdf/application_form.html",
    RecognitionDocumentKind.ACCEPTANCE: "recognition/pdf/acceptance.html",
    RecognitionDocumentKind.CORRECTION: "recognition/pdf/correction.html",
    RecognitionDocumentKind.NOT_ACCEPTED: "recognition/pdf/not_accepted.html",
    RecognitionDocumentKind.RECOGNIZED: "recognition/pdf/decision.html",
    RecognitionDocumentKind.DEEMED: "recognition/pdf/decision.html",
    RecognitionDocumentKind.NOT_RECOGNIZED: "recognition/pdf/decision.html",
}
APPEAL_RIGHTS = (f"如对本决定不服，可以自收到本决定书之日起{deadline_rules.APPEAL_REVIEW_DAYS}日内依法申请行政复议，"
                 f"或者自收到本决定书之日起{deadline_rules.APPEAL_LITIGATION_MONTHS}个月内依法向人民法院提起行政诉讼"
                 "（《工伤保险条例》第五十五条；《行政复议法》；《行政诉讼法》）。")


def authority_name(region: str) -> str:
    """The 社会保险行政部门 of the 统筹区 that issues recognition documents: the setting
    RECOGNITION_AUTHORITY_NAMES {region: name} when given, else "<统筹区名>人力资源和社会保障局"."""
    configured = getattr(settings, "RECOGNITION_AUTHORITY_NAMES", None) or {}
    if region in configured:
        return configured[region]
    place = get_region(region)
    while place is not None and place.is_placeholder and place.parent:  # 北京 "市辖区" → 北京市
        place = get_region(place.parent)
    return f"{place.name if place else full_name(region)}人力资源和社会保障局"


def _context(application) -> dict:
    due = deadlines.all_due(application)
    return {"application": application, "case": application.case, "region_name": full_name(application.region),
            "authority": authority_name(application.region),
            "addressees": decisions.addressees(application.applicant_kind, application.applicant_name,
                                               application.employer_name, application.injured_name),
            "not_accepted_basis": decisions.not_accepted_basis(application.not_accepted_reason,
                                                               application.period_status == periods.EXPIRED),
            "circumstance_label": Circumstance(application.circumstance).label if application.circumstance else "",
            "treatment_labels": [Treatment(t).label for t in application.treatments or [] if t in Treatment.values],
            "masked_id": mask_id_number(application.injured_id_number), "appeal_rights": APPEAL_RIGHTS,
            "due": due, "today": timezone.localdate()}


def _facts(application, kind) -> list:
    return [("案件编号", application.case.number), ("职工", mask_name(application.injured_name)),
            ("身份证号", mask_id_number(application.injured_id_number)),
            ("用人单位", application.employer_name or "—"), ("文书", RecognitionDocumentKind(kind).label)]


def _next_version(application, kind) -> int:
    current = RecognitionDocument.objects.filter(application=application, kind=kind).aggregate(v=Max("version"))["v"]
    return (current or 0) + 1


@transaction.atomic
def recognition_document_issue(*, actor, application, kind: str, extra: dict | None = None, notify: bool = True,
                               request=None) -> RecognitionDocument:
    """Render and record one document; earlier versions of the same kind are revoked."""
    version = _next_version(application, kind)
    title = str(RecognitionDocumentKind(kind).label)
    issued = document_issue(
        actor=actor, kind=kind, title=title, template_name=TEMPLATES[kind],
        context={**_context(application), "version": version, **(extra or {})},
        holder_summary=f"{mask_name(application.injured_name)}（{application.case.number}）",
        region=application.region, facts=_facts(application, kind), subject=application,
        issuer=authority_name(application.region))
    for older in RecognitionDocument.objects.filter(application=application, kind=kind).select_related("document"):
        if not older.document.is_revoked:
            document_revoke(actor=actor, document=older.document, reason=f"已由第 {version} 版替代")
    record = RecognitionDocument.objects.create(application=application, document=issued, kind=kind,
                                                version=version)
    event_append(application=application, event_type=RecognitionEventType.DOCUMENT_ISSUED, actor=actor,
                 request=request, details={"kind": kind, "title": title, "version": version,
                                           "document_id": record.pk})
    if notify:
        notifications.notify_document(application=application, title=title)
    return record


def application_form_generate(*, actor, application, request=None) -> RecognitionDocument:
    """工伤认定申请表 prefilled from the application, for signature (then uploaded as application_form)."""
    from ..permissions import require_owner

    require_owner(actor, application)
    return recognition_document_issue(actor=actor, application=application,
                                      kind=RecognitionDocumentKind.APPLICATION_FORM, notify=False, request=request)
