"""Packages, transfers in and statistics reports as the pages and the API show them: names and ID
numbers masked; the actions the reader may take now (templates never compare status strings)."""

from django.urls import reverse
from django.utils import timezone

from gongshang.accounts.access import allowed_actions, may
from gongshang.benefits.choices import BenefitType, Payer
from gongshang.core.pii.masking import mask_id_number, mask_name
from gongshang.core.regions import full_name

from ..choices import PackagePurpose


def iso(value) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


def shown(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def region_label(code: str) -> str:
    return f"{full_name(code) or code}（{code}）" if code else ""


def _worker(manifest: dict) -> str:
    person = manifest.get("person") or {}
    return mask_name(person.get("name") or (manifest.get("case") or {}).get("worker") or "")


def _grade(grade) -> str:
    if grade is None:
        return "—"
    return "未达级" if grade == 0 else f"{grade}级"


def answer_text(package) -> str:
    answer = package.answer or {}
    if answer.get("type") == "conclusion":
        return f"省级鉴定结论 {answer.get('number')}：伤残等级 {_grade(answer.get('grade'))}（{answer.get('concluded_on')}）"
    if answer.get("type") == "confirmation":
        stopped = len(answer.get("stopped") or [])
        return (f"转入地自 {answer.get('start_month')} 起接续待遇；本统筹区 {stopped} 项按月待遇已于上月终止"
                f"（转移编号 {answer.get('reference')}）")
    return ""


def _entitlement_rows(rows) -> list[dict]:
    out = []
    for row in rows or []:
        out.append({"benefit_type": row.get("benefit_type", ""),
                    "benefit_type_label": str(BenefitType(row["benefit_type"]).label)
                    if row.get("benefit_type") in BenefitType.values else row.get("benefit_type", ""),
                    "amount": row.get("amount", ""), "start_month": row.get("start_month", ""),
                    "payer_label": str(Payer(row["payer"]).label) if row.get("payer") in Payer.values else ""})
    return out


def package_dict(package, actor) -> dict:
    manifest = package.manifest or {}
    earlier = manifest.get("earlier_conclusion") or manifest.get("conclusion") or {}
    return {
        "id": package.pk, "reference": package.reference, "purpose": package.purpose,
        "purpose_label": package.get_purpose_display(), "status": package.status,
        "status_label": package.get_status_display(), "case_id": package.case_id, "case_number": package.case.number,
        "worker": _worker(manifest), "target_region": package.target_region,
        "target_region_label": region_label(package.target_region), "created_at": iso(package.created_at),
        "created_at_shown": shown(package.created_at), "created_by": str(package.created_by),
        "sent_at": iso(package.sent_at), "sent_at_shown": shown(package.sent_at),
        "answered_at": iso(package.answered_at), "answered_at_shown": shown(package.answered_at),
        "batch_id": package.batch_id, "package_sha256": package.file.sha256, "size": package.file.size,
        "manifest_sha256": manifest.get("manifest_sha256", ""),
        "files": [{"path": f.get("path", ""), "title": f.get("title") or f.get("kind", ""), "size": f.get("size", 0),
                   "sha256": f.get("sha256", "")} for f in manifest.get("files") or []],
        "earlier_conclusion": {"number": earlier.get("number", ""), "grade_label": _grade(earlier.get("grade"))}
        if earlier else None,
        "application_id": (manifest.get("application") or {}).get("id"),
        "entitlements": _entitlement_rows(manifest.get("entitlements")),
        "answer": answer_text(package),
        "actions": sorted({"send"} & allowed_actions(actor, package)),
    }


def transfer_dict(transfer, actor) -> dict:
    payload = transfer.payload or {}
    original = payload.get("case") or {}
    benefits_url = ""
    if transfer.case_id and may(actor, "entitlement", "view"):
        benefits_url = reverse("benefits:case_benefits", args=[transfer.case_id])
    conclusion = payload.get("conclusion") or {}
    return {
        "id": transfer.pk, "reference": transfer.reference, "status": transfer.status,
        "status_label": transfer.get_status_display(), "from_region": transfer.from_region,
        "from_region_label": region_label(transfer.from_region), "name": mask_name(transfer.name),
        "id_number": mask_id_number(transfer.id_number), "person_linked": transfer.person_id is not None,
        "case_number": transfer.case.number if transfer.case_id else "", "case_id": transfer.case_id,
        "original_case_number": original.get("number", ""), "accident_on": original.get("accident_on", ""),
        "conclusion": {"number": conclusion.get("number", ""), "grade_label": _grade(conclusion.get("grade"))}
        if conclusion else None,
        "start_month": f"{transfer.start_month:%Y-%m}", "entitlements": _entitlement_rows(payload.get("entitlements")),
        "created_at": iso(transfer.created_at), "created_at_shown": shown(transfer.created_at),
        "handled_by": str(transfer.handled_by) if transfer.handled_by_id else "",
        "handled_at": iso(transfer.handled_at), "handled_at_shown": shown(transfer.handled_at),
        "benefits_url": benefits_url,
        "actions": sorted({"take_over"} & allowed_actions(actor, transfer)),
    }


def _total(rows: list, column: int):
    return rows[-1][column] if rows else 0


def report_dict(report, actor, latest: dict) -> dict:
    """`latest`: (region, month) → the latest version (only it may be sent)."""
    figures = report.figures or {}
    is_latest = latest.get((report.region, report.month)) == report.version
    may_send = may(actor, "statistics_report", "send") and is_latest and not report.batch_id
    return {
        "id": report.pk, "month": f"{report.month:%Y-%m}", "version": report.version, "latest": is_latest,
        "created_at": iso(report.created_at), "created_at_shown": shown(report.created_at),
        "created_by": str(report.created_by), "sent": report.batch_id is not None, "batch_id": report.batch_id,
        "sha256": report.file.sha256, "cases": _total(figures.get("cases") or [], 1),
        "decisions": _total(figures.get("decisions") or [], 1),
        "fund_total": _total(figures.get("fund") or [], 2),
        "actions": ["send"] if may_send else [],
    }


def purpose_choices() -> list[tuple[str, str]]:
    return [(value, str(label)) for value, label in PackagePurpose.choices]
