"""材料库 services and reads: add a material once, reference it from every stage, retire (never
delete) a wrong one, and bring a quick report's evidence in without a new upload."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from gongshang.accounts.access import restrict
from gongshang.core.audit import record_event
from gongshang.core.errors import DomainError, FieldErrors
from gongshang.core.files.storage import store_upload

from .choices import CaseEventType
from .errors import CaseErrorCode
from .models import InjuryCase
from .models_vault import CaseDocument, DocumentSource
from .services import case_event_append

MATERIAL_TYPES = frozenset({"image/jpeg", "image/png", "application/pdf"})
MATERIAL_MAX_BYTES = 20 * 1024 * 1024
QUICK_REPORT_KINDS = {"photo": "scene_photo", "video": "scene_video"}
# Kinds the agency keeps for itself (investigation report, notes): never listed or served to applicants.
AGENCY_INTERNAL_PREFIX = "agency_"


def is_agency_internal(kind: str) -> bool:
    return str(kind or "").startswith(AGENCY_INTERNAL_PREFIX)


def vault_documents(*, case: InjuryCase, actor=None, current_only: bool = True):
    """The case's materials; with `actor`, only those it may see (CaseDocument.access: applicants
    never get agency-internal kinds, each staff role the kinds the matrix gives it). Without an
    actor, all of them (the platform's own checks, e.g. the checklist)."""
    qs = case.documents.select_related("file", "uploaded_by").order_by("uploaded_at", "pk")
    if actor is not None:
        qs = restrict(actor, qs)
    return qs.filter(retired_at__isnull=True) if current_only else qs


def _add(*, actor, case, kind, stored, title, source, source_ref) -> CaseDocument:
    document = CaseDocument.objects.create(case=case, kind=kind, title=title[:200], file=stored, source=source,
                                           source_ref=source_ref[:64],
                                           uploaded_by=actor if getattr(actor, "pk", None) else None)
    details = {"document_id": document.pk, "kind": kind, "sha256": stored.sha256, "source": str(source)}
    case_event_append(case=case, event_type=CaseEventType.DOCUMENT_ADDED, actor=actor, details=details)
    record_event(actor=actor, event_type=CaseEventType.DOCUMENT_ADDED, target=case,
                 region=case.region, details=details)
    return document


def vault_upload(*, actor, case: InjuryCase, kind: str, upload, title: str = "",
                 label: str = "材料文件") -> CaseDocument:
    """Store an uploaded material (JPEG/PNG/PDF by content, ≤ 20 MB) in the case's vault. The whole
    file is checked (store_upload): a damaged or oversized image, a PDF with a password or active
    content, a picture carrying a web page answer 422 on the field "file" (`label` in the message)."""
    if not kind:
        raise FieldErrors({"kind": "请选择材料类型"})
    if upload is None:
        raise FieldErrors({"file": "请选择要上传的文件（JPG、PNG 或 PDF）"})
    stored = store_upload(upload, allowed_types=set(MATERIAL_TYPES), max_bytes=MATERIAL_MAX_BYTES,
                          prefix="materials", actor=actor, field="file", label=label)
    with transaction.atomic():
        return _add(actor=actor, case=case, kind=kind, stored=stored, title=title or stored.original_name,
                    source=DocumentSource.UPLOAD, source_ref="")


def vault_add_stored(*, actor, case: InjuryCase, kind: str, stored, title: str, source: str, source_ref: str = "") -> CaseDocument:
    """Reference a file already stored (evidence, an issued document): no copy, no new upload.
    Adding the same file under the same kind again returns the existing entry."""
    existing = CaseDocument.objects.filter(case=case, file=stored, kind=kind).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return _add(actor=actor, case=case, kind=kind, stored=stored, title=title, source=source,
                        source_ref=source_ref)
    except IntegrityError:  # added concurrently
        return CaseDocument.objects.get(case=case, file=stored, kind=kind)


def vault_import_quick_report(*, actor, case: InjuryCase) -> list[CaseDocument]:
    """The current (not replaced) originals of the case's quick report, referenced in the vault. A
    photo comes in only once its full check has passed (`original_servable`): one still waiting is
    brought in by the check itself (`vault_import_checked_media`); one refused never is."""
    report = getattr(case.accident, "quick_report", None)  # reverse one-to-one: None when absent
    if report is None:
        return []
    from gongshang.quickreports.services.media import original_servable

    return [_import_media(actor=actor, case=case, media=media)
            for media in report.media.filter(replaced_by__isnull=True).select_related("original").order_by("pk")
            if original_servable(media)]


def vault_import_checked_media(*, media) -> list[CaseDocument]:
    """A quick-report photo whose full check passed after an application was drafted from its case:
    into the vault of each such case (the others import it with their first application)."""
    if media.replaced_by_id is not None:
        return []
    cases = InjuryCase.objects.filter(accident_id=media.report.accident_id,
                                      recognition_applications__isnull=False).distinct().order_by("pk")
    return [_import_media(actor=None, case=case, media=media) for case in cases]


def _import_media(*, actor, case, media) -> CaseDocument:
    kind = QUICK_REPORT_KINDS.get(media.kind, "scene_photo")
    title = f"快报现场{media.get_kind_display()}（{media.original.original_name or media.pk}）"
    return vault_add_stored(actor=actor, case=case, kind=kind, stored=media.original, title=title,
                            source=DocumentSource.QUICK_REPORT,
                            source_ref=f"quickreports.quickreportmedia:{media.pk}")


@transaction.atomic
def vault_retire(*, actor, document: CaseDocument, reason: str = "") -> CaseDocument:
    """移除: the entry no longer counts as a current material; the file and the row stay."""
    locked = CaseDocument.objects.select_for_update().select_related("case").get(pk=document.pk)
    if locked.retired_at is not None:
        raise DomainError(CaseErrorCode.DOCUMENT_RETIRED, status=409)
    locked.retired_at = timezone.now()
    locked.retired_reason = (reason or "")[:200]
    locked.save(update_fields=["retired_at", "retired_reason"])
    details = {"document_id": locked.pk, "kind": locked.kind, "reason": locked.retired_reason}
    case_event_append(case=locked.case, event_type=CaseEventType.DOCUMENT_RETIRED, actor=actor, details=details)
    record_event(actor=actor, event_type=CaseEventType.DOCUMENT_RETIRED, target=locked.case,
                 region=locked.case.region, details=details)
    return locked
