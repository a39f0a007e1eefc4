"""Shapes of batches, panels and exam records for the API and the pages (one place)."""

from gongshang.accounts.access import allowed_actions, restrict

from ..choices import ApplicationStatus, AppraisalKind, BatchStatus
from ..rules.categories import label as category_label


def mask_worker(name: str) -> str:
    """张伟 → 张*, 张小伟 → 张*伟, 欧阳娜娜 → 欧**娜 (what an expert and the public see)."""
    name = (name or "").strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def _iso(value):
    return value.isoformat() if value else None


def members(application) -> list[dict]:
    from ..services.batches import panel_of

    signed = set(application.opinions.values_list("expert_id", flat=True))
    return [{"expert_id": m.expert_id, "name": m.expert.name, "title": m.expert.title, "category": m.category,
             "category_label": str(category_label(m.category)) if m.category else "", "chair": m.is_chair,
             "signed": m.expert_id in signed} for m in panel_of(application)]


def batch_application(application) -> dict:
    return {"id": application.pk, "case_number": application.case.number,
            "worker_name": mask_worker(application.case.injured_name), "kind": application.kind,
            "kind_label": str(AppraisalKind(application.kind).label), "status": application.status,
            "status_label": str(ApplicationStatus(application.status).label), "green_channel": application.green_channel,
            "conclusion_due": application.conclusion_due, "panel": members(application)}


def draw_dict(record, visible: set[int] | None = None) -> dict | None:
    """The draw record; `visible` limits the panels listed to the applications the reader reaches
    (an expert sees the panels of their own applications, the committee all of them)."""
    if record is None:
        return None
    result = record.result or {}
    panels = [r for r in result.get("panels", []) if visible is None or r.get("application") in visible]
    return {"id": record.pk, "seed": record.seed, "seed_commitment": record.batch.seed_commitment,
            "pool_sha256": record.pool_sha256, "pool_size": len(record.pool_snapshot or []),
            "panel_size": result.get("panel_size", 3), "drawn_at": _iso(record.drawn_at),
            "panels": panels}


def batch_dict(batch, *, actor, detail: bool = False) -> dict:
    data = {"id": batch.pk, "number": batch.number, "region": batch.region, "exam_on": batch.exam_on,
            "exam_time": batch.exam_time, "cutoff_on": batch.cutoff_on,
            "site": {"id": batch.site_id, "name": batch.site.name, "address": batch.site.address,
                     "capacity": batch.site.capacity},
            "capacity": batch.capacity, "assigned": batch.applications.count(), "status": batch.status,
            "status_label": str(BatchStatus(batch.status).label), "bring_note": batch.bring_note,
            "seed_commitment": batch.seed_commitment, "actions": sorted(allowed_actions(actor, batch))}
    if detail:
        rows = restrict(actor, batch.applications.select_related("case")).order_by("conclusion_due", "pk")
        data["applications"] = [batch_application(a) for a in rows]
        data["draw"] = draw_dict(batch.draws.order_by("-pk").first(), visible={a["id"] for a in data["applications"]})
    return data


def opinion_dict(opinion) -> dict:
    return {"id": opinion.pk, "application_id": opinion.application_id, "expert_id": opinion.expert_id,
            "grade": opinion.grade, "self_care": opinion.self_care, "standard_items": opinion.standard_items,
            "confirmations": opinion.confirmations, "signature": opinion.signature,
            "signed_at": _iso(opinion.signed_at)}


def exam_dict(application) -> dict:
    record = getattr(application, "exam", None)
    return {"application_id": application.pk, "status": application.status,
            "checked_in_at": _iso(record.checked_in_at) if record else None,
            "identity_verified": record.identity_verified if record else None,
            "identity_note": record.identity_note if record else "",
            "live_photo_document_id": record.live_photo_id if record else None,
            "recording_document_id": record.recording_id if record else None,
            "proposed_grade": record.proposed_grade if record else None,
            "proposed_self_care": record.proposed_self_care if record else "",
            "proposal": record.proposal if record else {}}


def status_dict(application) -> dict:
    return {"id": application.pk, "status": application.status,
            "status_label": str(ApplicationStatus(application.status).label),
            "no_show_count": application.no_show_count, "termination_reason": application.termination_reason}
