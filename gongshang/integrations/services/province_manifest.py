"""The transfer package (跨统筹区转移): one zip with manifest.json and the case's documents, built for
the province when a worker moves to another 统筹区 and keeps their monthly benefits.

The manifest names the person with the full ID number (the province and the target need it to pay;
the zip goes only to the province), the case, the recognition decision, the latest appraisal
conclusion, every ACTIVE monthly entitlement (type, amount, basis, start month) and each document of
the case's vault with the SHA-256 of the bytes written. What the platform keeps in its database is a
masked copy (`masked`) and the manifest's own SHA-256."""

import hashlib
import io
import json
import zipfile

from django.utils import timezone

from gongshang.appraisal.services.conclusions import current_conclusion
from gongshang.benefits import selectors as benefit_selectors
from gongshang.cases.models_vault import CaseDocument
from gongshang.core.files.storage import display_name, open_stored
from gongshang.core.pii.masking import mask_id_number
from gongshang.core.regions import full_name
from gongshang.recognition.models import RecognitionApplication
from gongshang.recognition.rules.codes import DECISIONS

FORMAT = "gongshang-transfer-package/1"
# 生活自理障碍 in the province's format (the appraisal's codes); benefits record 完全 as "full".
NURSING_CODES = {"full": "complete", "complete": "complete", "most": "most", "partial": "partial"}


def month_text(day) -> str:
    return f"{day:%Y-%m}" if day else ""


def _recognition(case) -> dict | None:
    decided = (RecognitionApplication.objects.filter(case=case).exclude(decision_result="")
               .exclude(decided_on__isnull=True).order_by("-decided_on", "-pk").first())
    if decided is None:
        return None
    return {"application": decided.pk, "result": decided.decision_result,
            "result_label": DECISIONS.get(decided.decision_result, ""), "decided_on": decided.decided_on.isoformat(),
            "article": decided.decision_article}


def conclusion_of(case) -> dict | None:
    """The latest appraisal conclusion: the committee's (appraisal app) when issued on the platform,
    else the one recorded for benefits."""
    issued = current_conclusion(case)
    if issued is not None:
        return {"number": issued.number, "grade": issued.grade, "nursing_level": issued.self_care or "",
                "concluded_on": issued.concluded_on.isoformat(), "provincial": issued.provincial, "source": "appraisal"}
    recorded = benefit_selectors.conclusion_current(case=case)
    if recorded is None:
        return None
    return {"number": recorded.conclusion_number, "grade": recorded.disability_grade,
            "nursing_level": NURSING_CODES.get(recorded.nursing_level, ""),
            "concluded_on": recorded.concluded_on.isoformat(), "provincial": False, "source": "benefits",
            "kind": recorded.kind, "recognition_number": recorded.recognition_number}


def _entitlement(row) -> dict:
    return {"id": row.pk, "benefit_type": row.benefit_type, "benefit_type_label": row.get_benefit_type_display(),
            "amount": f"{row.amount:.2f}", "payer": row.payer, "basis": row.basis,
            "start_month": month_text(row.start_month), "beneficiary_name": row.beneficiary_name,
            "beneficiary_relation": row.beneficiary_relation, "beneficiary_id_number": row.beneficiary_id_number or ""}


def _documents(case):
    """(path in the zip, entry, StoredFile) for every current document of the case's vault, and the
    conclusion document the benefits were computed from when the vault does not hold it."""
    seen = set()
    rows = (CaseDocument.objects.filter(case=case, retired_at__isnull=True).select_related("file")
            .order_by("uploaded_at", "pk"))
    for doc in rows:
        if doc.file_id in seen:
            continue
        seen.add(doc.file_id)
        name = display_name(doc.title or doc.file.original_name or doc.kind, doc.file.extension) or \
            f"file.{doc.file.extension}"
        yield (f"files/{doc.pk:06d}-{name}", {"case_document": doc.pk, "kind": doc.kind, "title": doc.title,
                                              "content_type": doc.file.content_type}, doc.file)
    recorded = benefit_selectors.conclusion_current(case=case)  # the benefits' basis, when not in the vault
    if recorded is not None and recorded.document_id not in seen:
        stored = recorded.document
        yield (f"files/conclusion-{recorded.pk:06d}.{stored.extension or 'pdf'}",
               {"case_document": None, "kind": "conclusion_benefits", "title": f"鉴定结论 {recorded.conclusion_number}",
                "content_type": stored.content_type}, stored)


def transfer_package(*, case, target_region: str, entitlements, reference: str) -> tuple[bytes, dict]:
    """The zip bytes and the full manifest (as written into the zip)."""
    person = case.person
    buffer = io.BytesIO()
    files = []
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path, entry, stored in _documents(case):
            with open_stored(stored) as handle:
                content = handle.read()
            archive.writestr(path, content)
            files.append({"path": path, **entry, "size": len(content), "sha256": hashlib.sha256(content).hexdigest()})
        manifest = {
            "format": FORMAT, "reference": reference, "generated_at": timezone.localtime().isoformat(),
            "purpose": "transfer", "from_region": case.region, "from_region_name": full_name(case.region),
            "target_region": target_region, "target_region_name": full_name(target_region),
            "person": {"name": person.name if person else case.injured_name,
                       "id_number": (person.id_number if person else "") or case.injured_id_number or ""},
            "case": {"number": case.number, "region": case.region,
                     "accident_on": timezone.localtime(case.accident.occurred_at).date().isoformat(),
                     "employer": case.employer.name if case.employer_id else "",
                     "employer_uscc": case.employer.uscc if case.employer_id else "",
                     "body_part": case.body_part, "injury_type": case.injury_type},
            "recognition": _recognition(case),
            "conclusion": conclusion_of(case),
            "entitlements": [_entitlement(row) for row in entitlements],
            "files": files,
        }
        archive.writestr("manifest.json", manifest_bytes(manifest))
    return buffer.getvalue(), manifest


def manifest_bytes(manifest: dict) -> bytes:
    return json.dumps(manifest, ensure_ascii=False, indent=2, default=str).encode("utf-8")


def read_manifest(content: bytes) -> tuple[dict, str]:
    """The manifest inside a package zip and the SHA-256 of its bytes."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        raw = archive.read("manifest.json")
    return json.loads(raw), hashlib.sha256(raw).hexdigest()


def masked(manifest: dict) -> dict:
    """The copy the database keeps: ID numbers masked (the full ones are only in the zip)."""
    copy = json.loads(json.dumps(manifest, default=str))
    for holder in (copy.get("person") or {}, copy.get("case") or {}):
        if holder.get("id_number"):
            holder["id_number"] = mask_id_number(holder["id_number"])
    for row in copy.get("entitlements") or []:
        if row.get("beneficiary_id_number"):
            row["beneficiary_id_number"] = mask_id_number(row["beneficiary_id_number"])
    return copy
