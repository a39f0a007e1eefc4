"""再次鉴定 with the provincial committee (条例 第二十六条): the case file goes out as one package
(manifest.json + the files, each with its SHA-256) and the provincial conclusion comes back; it is
final, supersedes the earlier conclusion and recomputes the case's benefits from its date."""

import hashlib
import io
import json
import uuid
import zipfile
from datetime import date

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from gongshang.accounts.access import require
from gongshang.cases.models_vault import CaseDocument
from gongshang.core.errors import DomainError, FieldErrors
from gongshang.core.files.storage import IMAGE_OR_PDF_TYPES, display_name, open_stored, store_upload
from gongshang.core.models import StoredFile

from ..models import AppraisalConclusion, ExamRecord
from ..rules import codes, workflow
from .conclusions import (
    VAULT_KIND_PROVINCIAL,
    _issue_and_push,
    _vault,
    current_conclusion,
    label_of,
    province_committee_name,
    worker_name,
)
from .transition import event_append, lock, move

FORMAT = "gongshang-appraisal-package/1"
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
ONLY_SECOND = "只有已报送省级鉴定委员会的再次鉴定申请可以导入省级结论。"
# The package carries the worker's full ID number: it goes to the provincial committee for a
# 再次鉴定 (条例 第二十六条) and to nobody else, while the application is accepted or referred.
PACKAGE_STATUSES = (workflow.ACCEPTED, workflow.REFERRED)
PACKAGE_ONLY = ("案卷包仅用于向省级劳动能力鉴定委员会报送再次鉴定：只有已受理或已报送的再次鉴定申请可以导出，"
                "本申请不能导出案卷包。")


def package_check(application) -> None:
    """409 unless `application` is a 再次鉴定 accepted or referred (the package is the province's)."""
    if application.kind != codes.SECOND or application.status not in PACKAGE_STATUSES:
        raise DomainError("appraisal.package_not_second", PACKAGE_ONLY, status=409,
                          details={"kind": application.kind, "status": application.status})


def _conclusion_dict(conclusion) -> dict | None:
    if conclusion is None:
        return None
    return {"number": conclusion.number, "kind": conclusion.application.kind, "grade": conclusion.grade,
            "self_care": conclusion.self_care, "result": label_of(conclusion),
            "concluded_on": conclusion.concluded_on.isoformat(), "provincial": conclusion.provincial,
            "basis": conclusion.basis, "received_on": conclusion.received_on.isoformat() if conclusion.received_on
            else None, "document_code": conclusion.document.code if conclusion.document_id else None}


def _files(application) -> list[tuple[str, dict, object]]:
    """(path in the zip, entry, StoredFile): every current document of the case's vault, and the
    earlier conclusion's PDF when the vault does not already hold it."""
    seen, out = set(), []
    documents = (CaseDocument.objects.filter(case=application.case, retired_at__isnull=True)
                 .select_related("file").order_by("uploaded_at", "pk"))
    for doc in documents:
        if doc.file_id in seen:
            continue
        seen.add(doc.file_id)
        name = display_name(doc.title or doc.file.original_name or doc.kind, doc.file.extension) or f"file.{doc.file.extension}"
        out.append((f"files/{doc.pk:06d}-{name}", {"case_document": doc.pk, "kind": doc.kind, "title": doc.title,
                                                   "source": doc.source, "content_type": doc.file.content_type},
                    doc.file))
    earlier = application.previous_conclusion or current_conclusion(application.case)
    if earlier is not None and earlier.document_id and earlier.document.file_id not in seen:
        stored = earlier.document.file
        out.append((f"files/conclusion-{earlier.pk:06d}.pdf", {"case_document": None, "kind": "conclusion_appraisal",
                                                               "title": f"劳动能力鉴定结论书 {earlier.number}",
                                                               "source": "issued", "content_type": stored.content_type},
                    stored))
    return out


def package_build(*, actor, application) -> tuple[bytes, dict]:
    """The 再次鉴定 package as zip bytes and its manifest: the case, the application, the earlier
    conclusion, the exam record, the experts' opinions and every case document with its SHA-256
    (computed from the bytes written, so the committee can check each file)."""
    require(actor, "appraisal_conclusion", "export_package")
    package_check(application)
    case = application.case
    earlier = application.previous_conclusion or current_conclusion(case)
    exam = ExamRecord.objects.filter(application=application).first()
    buffer = io.BytesIO()
    entries = []
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path, entry, stored in _files(application):
            with open_stored(stored) as handle:
                content = handle.read()
            archive.writestr(path, content)
            entries.append({"path": path, **entry, "size": len(content), "sha256": hashlib.sha256(content).hexdigest()})
        manifest = {
            "format": FORMAT, "generated_at": timezone.now().isoformat(),
            "to": province_committee_name(application.region),
            "case": {"number": case.number, "region": case.region, "worker": worker_name(case),
                     "id_number": (case.person.id_number if case.person_id else "") or case.injured_id_number,
                     "employer": case.employer.name if case.employer_id else ""},
            "application": {"id": application.pk, "kind": application.kind, "items": application.items,
                            "applicant_kind": application.applicant_kind, "applicant": application.applicant_name,
                            "reason": application.reason,
                            "received_on": application.received_on.isoformat() if application.received_on else None,
                            "accepted_on": application.accepted_on.isoformat() if application.accepted_on else None},
            "earlier_conclusion": _conclusion_dict(earlier),
            "exam": None if exam is None else {
                "examined_at": exam.examined_at.isoformat() if exam.examined_at else None,
                "proposed_grade": exam.proposed_grade, "proposed_self_care": exam.proposed_self_care,
                "proposal": exam.proposal, "identity_verified": exam.identity_verified},
            "opinions": [{"expert": o.expert.name, "title": o.expert.title, "grade": o.grade, "self_care": o.self_care,
                          "standard_items": o.standard_items, "confirmations": o.confirmations, "text": o.text,
                          "signature": o.signature, "signed_at": o.signed_at.isoformat()}
                         for o in application.opinions.select_related("expert")],
            "files": entries,
        }
        archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2, default=str))
    return buffer.getvalue(), manifest


PACKAGE_EVENT = "appraisal.package_exported"


def _store_package(content: bytes, *, actor, application) -> StoredFile:
    """The package as sent, kept in the platform's file storage (not in the case's vault: it carries the
    full ID number and is for the provincial committee)."""
    now = timezone.localtime()
    name = f"appraisal/packages/{now:%Y}/{now:%m}/{uuid.uuid4().hex}.zip"
    saved = default_storage.save(name, ContentFile(content))
    try:
        return StoredFile.objects.create(
            storage_path=saved, original_name=f"再次鉴定案卷-{application.case.number}-{application.pk}.zip",
            content_type="application/zip", extension="zip", size=len(content),
            sha256=hashlib.sha256(content).hexdigest(), uploaded_by=actor if getattr(actor, "pk", None) else None)
    except Exception:
        default_storage.delete(saved)
        raise


@transaction.atomic
def application_refer(*, actor, application) -> tuple[bytes, dict]:
    """报送省级鉴定委员会 (受理 → 已报送): the package is built once, stored, and its SHA-256 and file
    recorded on the timeline; the download serves that stored file afterwards (referred_package)."""
    application = lock(application)
    application = move(actor, application, "refer", details={"to": province_committee_name(application.region)})
    content, manifest = package_build(actor=actor, application=application)
    stored = _store_package(content, actor=actor, application=application)
    event_append(application=application, event_type=PACKAGE_EVENT, actor=actor, details={
        "sha256": stored.sha256, "files": len(manifest["files"]), "size": len(content), "stored_file": stored.pk})
    return content, manifest


def referred_package(application) -> bytes | None:
    """The bytes of the package sent at referral (the SHA-256 recorded then), or None before referral."""
    event = application.events.filter(event_type=PACKAGE_EVENT).order_by("-created_at", "-pk").first()
    stored_id = (event.details or {}).get("stored_file") if event else None
    stored = StoredFile.objects.filter(pk=stored_id).first() if stored_id else None
    if stored is None:
        return None
    with open_stored(stored) as handle:
        return handle.read()


def package_download(*, actor, application) -> bytes:
    """What the download serves: once referred, the stored package (its hash is the one recorded at
    referral); before, a fresh preview."""
    require(actor, "appraisal_conclusion", "export_package")
    sent = referred_package(application)
    if sent is not None:
        return sent
    content, _manifest = package_build(actor=actor, application=application)
    return content


def _check_provincial(data: dict) -> dict:
    errors = {}
    grade = data.get("grade")
    if not isinstance(grade, int) or isinstance(grade, bool) or not 0 <= grade <= 10:
        errors["grade"] = "请填写省级结论的伤残等级：1 至 10 级，未达级填 0"
    self_care = data.get("self_care") or ""
    if self_care and self_care not in codes.SELF_CARE_LEVELS:
        errors["self_care"] = "生活自理障碍程度应为完全、大部分或部分不能自理，或不填"
    number = (data.get("number") or "").strip()
    if not number:
        errors["number"] = "请填写省级结论书文号"
    elif AppraisalConclusion.objects.filter(number=number).exists():
        errors["number"] = "该文号已登记过，请核对省级结论书文号"
    concluded_on = data.get("concluded_on")
    if isinstance(concluded_on, str):
        try:
            concluded_on = date.fromisoformat(concluded_on)
        except ValueError:
            concluded_on = None
    if not isinstance(concluded_on, date):
        errors["concluded_on"] = "请填写省级结论日期（如 2026-03-01）"
    elif concluded_on > timezone.localdate():
        errors["concluded_on"] = "省级结论日期不能晚于今天"
    if errors:
        raise FieldErrors(errors)
    return {"grade": grade, "self_care": self_care, "number": number[:40], "concluded_on": concluded_on,
            "standard_items": [str(i) for i in data.get("standard_items") or []]}


@transaction.atomic
def provincial_conclusion_import(*, actor, application, data: dict, upload) -> AppraisalConclusion:
    """导入省级结论 (已报送 → 已作出结论): the committee's conclusion with its document; final
    (provincial=True), supersedes the earlier conclusion, recomputes benefits from its date."""
    require(actor, "appraisal_conclusion", "import_provincial")
    return _provincial_receive(actor, application, data, upload, check_access=True)


@transaction.atomic
def provincial_conclusion_receive(*, actor, application, data: dict, upload) -> AppraisalConclusion:
    """The same conclusion as the province's exchange file brings it (integrations/adapters/province.py):
    the same checks and record as the staff import; the 数据交换 batch it came in has decided who may
    (the matrix row of the exchange), so the appraisal row is not asked again. `actor` is who received it."""
    return _provincial_receive(actor, application, data, upload, check_access=False)


def _provincial_receive(actor, application, data: dict, upload, *, check_access: bool) -> AppraisalConclusion:
    application = lock(application)
    if application.kind != codes.SECOND or application.status != workflow.REFERRED:
        raise DomainError("appraisal.not_referred", ONLY_SECOND, status=409)
    clean = _check_provincial(data or {})
    if upload is None:
        raise FieldErrors({"file": "请上传省级劳动能力鉴定委员会的结论书（PDF 或图片）"})
    stored = store_upload(upload, allowed_types=set(IMAGE_OR_PDF_TYPES), max_bytes=MAX_DOCUMENT_BYTES,
                          prefix="appraisal/provincial", actor=actor, field="file", label="省级结论书")
    application = move(actor, application, "conclude", changes={"concluded_on": clean["concluded_on"]},
                       details={"provincial": True, "number": clean["number"]}, check_access=check_access)
    earlier = application.previous_conclusion or current_conclusion(application.case)
    conclusion = AppraisalConclusion.objects.create(
        application=application, case=application.case, region=application.region, number=clean["number"],
        grade=clean["grade"], self_care=clean["self_care"], basis={"standard_items": clean["standard_items"],
                                                                   "committee": province_committee_name(
                                                                       application.region)},
        concluded_on=clean["concluded_on"], provincial=True, supersedes=earlier, concluded_by=actor)
    vault = _vault(application.case, stored, kind=VAULT_KIND_PROVINCIAL, title=f"省级劳动能力鉴定结论书 {clean['number']}",
                   actor=actor, ref=f"appraisal.appraisalconclusion:{conclusion.pk}")
    conclusion.basis = {**conclusion.basis, "provincial_document": vault.pk}
    conclusion.save(update_fields=["basis"])
    return _issue_and_push(actor, application, conclusion, document=stored)
