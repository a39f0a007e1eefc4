"""鉴定批次 services: create a batch with its published seed commitment, assign accepted
applications (鉴定办法 第十一条 notices), close, and draw the panels (条例 第二十五条, 第二十七条)
reproducibly (rules/draw.py), recording the pool snapshot, the revealed seed and the result."""

import secrets
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from gongshang.accounts.access import check, require
from gongshang.core.audit import record_event
from gongshang.core.errors import CoreErrorCode, DomainError, FieldErrors

from ..errors.batches import BatchErrorCode as E
from ..models import (
    AppraisalApplication,
    AppraisalBatch,
    AppraisalEvent,
    AppraisalSetting,
    Expert,
    ExpertConflict,
    HomeVisit,
    PanelDraw,
    PanelMember,
)
from ..notifications import batches as notices
from ..rules import categories as category_rules
from ..rules import draw as draw_rules
from ..rules import workflow
from .transition import lock_batch, move, move_batch

DEFAULTS = {"batch_interval_days": 30, "cutoff_days": 7, "panel_size": 3, "no_show_limit": 1, "publication_days": 7}


class _Defaults:
    """The setting used when a 统筹区 has entered none (the values of the model's defaults)."""

    committee_name = "劳动能力鉴定委员会"

    def __init__(self, region):
        self.region = region
        for name, value in DEFAULTS.items():
            setattr(self, name, value)


def setting_for(region: str, on: date | None = None):
    """The 统筹区's appraisal setting valid on `on` (today by default), or the defaults."""
    on = on or timezone.localdate()
    row = (AppraisalSetting.objects.filter(region=region, valid_from__lte=on)
           .exclude(valid_to__lt=on).order_by("-valid_from", "-pk").first())
    return row or _Defaults(region)


def new_seed() -> tuple[str, str]:
    """A secret seed (256 bits) and its commitment (SHA-256, published before the draw)."""
    seed = secrets.token_hex(32)
    return seed, draw_rules.commitment(seed)


def next_exam_on(region: str, today: date | None = None) -> date:
    """The schedule: the latest batch's exam day plus the regional interval (every 30 days by
    default; 潍坊 moved from 60 to 30), never earlier than one interval from today's
    cut-off."""
    today = today or timezone.localdate()
    setting = setting_for(region, today)
    latest = AppraisalBatch.objects.filter(region=region).aggregate(m=Max("exam_on"))["m"]
    earliest = today + timedelta(days=setting.cutoff_days + 1)
    if latest is None:
        return earliest
    return max(latest + timedelta(days=setting.batch_interval_days), earliest)


def _number(region: str, exam_on: date) -> str:
    prefix = f"JD{region}-{exam_on:%Y%m%d}-"
    last = AppraisalBatch.objects.filter(number__startswith=prefix).aggregate(m=Max("number"))["m"]
    n = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{n:02d}"


@transaction.atomic
def batch_create(*, actor, exam_on: date, site, capacity: int, cutoff_on: date | None = None,
                 exam_time: str = "08:30", bring_note: str = "") -> AppraisalBatch:
    """A planned batch of the actor's 统筹区; the commitment of its secret seed is published now."""
    require(actor, "appraisal_batch", "create")
    errors = {}
    today = timezone.localdate()
    if site is None or site.region != actor.jurisdiction or not site.active:
        errors["site_id"] = "请选择本统筹区启用中的鉴定场所"
    if exam_on <= today:
        errors["exam_on"] = "鉴定日期应晚于今天"
    if capacity < 1:
        errors["capacity"] = "容量应至少为 1 人"
    elif site is not None and capacity > site.capacity:
        errors["capacity"] = f"容量不能超过该场所单日可鉴定人数（{site.capacity} 人）"
    setting = setting_for(actor.jurisdiction, exam_on)
    if cutoff_on is None:
        cutoff_on = exam_on - timedelta(days=setting.cutoff_days)
    if cutoff_on >= exam_on:
        errors["cutoff_on"] = "截止编入日期应早于鉴定日期"
    if not (exam_time or "").strip():
        errors["exam_time"] = "请填写报到时间，如 08:30"
    if errors:
        raise FieldErrors(errors)
    seed, commitment = new_seed()
    batch = AppraisalBatch.objects.create(
        region=actor.jurisdiction, number=_number(actor.jurisdiction, exam_on), exam_on=exam_on,
        exam_time=exam_time.strip()[:50], cutoff_on=cutoff_on, site=site, capacity=capacity,
        bring_note=(bring_note or "")[:500], seed_commitment=commitment, seed_secret=seed, created_by=actor)
    record_event(actor=actor, event_type="appraisal_batch.created", target=batch, region=batch.region,
                 details={"number": batch.number, "exam_on": str(exam_on), "site": site.pk, "capacity": capacity,
                          "seed_commitment": commitment})
    return batch


def assignable(batch):
    """Accepted applications of the batch's 统筹区, accepted by the cut-off, not awaiting a green-channel
    visit, the most urgent (conclusion due) first. Never a 再次鉴定: the provincial committee decides it
    (条例 第二十六条); the city refers it."""
    visiting = HomeVisit.objects.filter(done_at__isnull=True).values("application_id")
    return (AppraisalApplication.objects.filter(region=batch.region, status=workflow.ACCEPTED,
                                                accepted_on__lte=batch.cutoff_on)
            .exclude(kind="second").exclude(pk__in=visiting).order_by("conclusion_due", "accepted_on", "pk"))


def batch_assign(*, actor, batch, application_ids=None) -> list[AppraisalApplication]:
    """Assign accepted applications up to the capacity (all that qualify, or the given ids) and
    notify each applicant (SMS + portal: date, time, place, what to bring)."""
    check(actor, batch, "edit")
    with transaction.atomic():
        locked = lock_batch(batch)
        if not workflow.BATCH_WORKFLOW.can("edit", locked.status):
            raise DomainError(CoreErrorCode.CONFLICT, workflow.BATCH_MESSAGES["edit"], status=409,
                              details={"status": locked.status})
        taken = locked.applications.exclude(status__in=(workflow.TERMINATED, workflow.WITHDRAWN)).count()
        room = max(0, locked.capacity - taken)
        rows = assignable(locked)
        if application_ids is not None:
            ids = sorted({int(i) for i in application_ids})
            rows = list(rows.filter(pk__in=ids))
            missing = sorted(set(ids) - {a.pk for a in rows})
            if missing:
                raise FieldErrors({"application_ids": "以下申请不能编入本批次（须为本统筹区已受理、在截止编入日期前受理、"
                                                      f"尚未安排的申请）：{'、'.join(map(str, missing))}"})
            if len(rows) > room:
                raise FieldErrors({"application_ids": f"本批次还可编入 {room} 件，所选 {len(rows)} 件超过容量"})
        else:
            rows = list(rows.select_related("case")[:room])
        assigned = []
        for application in rows:
            assigned.append(move(actor, application, "schedule", changes={"batch": locked},
                                 details={"batch": locked.number, "exam_on": str(locked.exam_on)}))
        if assigned:
            for application in assigned:
                application.case  # noqa: B018 (loaded for the notices)
            notices.notify_assigned(actor=actor, applications=assigned, batch=locked)
            record_event(actor=actor, event_type="appraisal_batch.assigned", target=locked, region=locked.region,
                         details={"applications": [a.pk for a in assigned]})
    return assigned


def batch_close(*, actor, batch) -> AppraisalBatch:
    """截止编入. A batch written without a seed (imported) gets its commitment now, before any draw."""
    changes = {}
    if not batch.seed_commitment:
        seed, commitment = new_seed()
        changes = {"seed_secret": seed, "seed_commitment": commitment}
    return move_batch(actor, batch, "close", changes=changes,
                      details={"seed_commitment": changes.get("seed_commitment", batch.seed_commitment)})


def batch_finish(*, actor, batch) -> AppraisalBatch:
    """现场鉴定结束: every application of the batch has had its exam (a proposal), been returned to the
    next batch or ended; none is still waiting."""
    waiting = list(batch.applications.filter(status=workflow.SCHEDULED).select_related("case")
                   .values_list("case__number", flat=True)[:20])
    if waiting:
        raise DomainError(CoreErrorCode.CONFLICT, f"以下申请尚未形成专家组意见或登记未到场：{'、'.join(waiting)}。",
                          status=409, details={"waiting": waiting})
    return move_batch(actor, batch, "finish", details={"applications": batch.applications.count()})


# --- the draw ----------------------------------------------------------------------------------------

def _diagnoses(case_ids) -> dict[int, str]:
    from gongshang.recognition.models import RecognitionApplication

    found: dict[int, str] = {}
    for case_id, body_part, diagnosis in (RecognitionApplication.objects.filter(case_id__in=case_ids)
                                          .values_list("case_id", "body_part", "diagnosis")):
        found[case_id] = " ".join(filter(None, (found.get(case_id, ""), body_part, diagnosis)))
    return found


def needed_categories(application, diagnosis: str = "") -> tuple[str, ...]:
    case = application.case
    return category_rules.categories_for(case.body_part, case.injury_type, diagnosis, kind=application.kind)


def draw_inputs(batch, applications) -> tuple[list, list]:
    """(applications, pool) of the pure draw, with every recusal folded into `excluded`."""
    pool_rows = (Expert.objects.filter(region=batch.region, available=True)
                 .exclude(unavailable_until__gte=batch.exam_on).order_by("pk")
                 .values_list("pk", "categories", "employer_id"))
    pool = [draw_rules.PoolExpert(id=pk, categories=tuple(c or ()), employer_id=emp) for pk, c, emp in pool_rows]
    person_ids = {a.case.person_id for a in applications if a.case.person_id}
    case_ids = {a.case_id for a in applications}
    by_person: dict[int, set[int]] = {}
    for expert_id, person_id in ExpertConflict.objects.filter(person_id__in=person_ids).values_list(
            "expert_id", "person_id"):
        by_person.setdefault(person_id, set()).add(expert_id)
    by_case: dict[int, set[tuple[int, int]]] = {}
    for expert_id, case_id, application_id in PanelMember.objects.filter(application__case_id__in=case_ids).values_list(
            "expert_id", "application__case_id", "application_id"):
        by_case.setdefault(case_id, set()).add((expert_id, application_id))
    diagnoses = _diagnoses(case_ids)
    inputs = []
    for a in applications:
        excluded = set(by_person.get(a.case.person_id, ()))
        excluded |= {e for e, app_id in by_case.get(a.case_id, ()) if app_id != a.pk}
        inputs.append(draw_rules.DrawApplication(
            id=a.pk, categories=needed_categories(a, diagnoses.get(a.case_id, "")), employer_id=a.case.employer_id,
            person_id=a.case.person_id, case_id=a.case_id, excluded=frozenset(excluded),
            label=f"案件 {a.case.number} 的鉴定申请（{a.pk}）"))
    return inputs, pool


def batch_draw(*, actor, batch) -> PanelDraw:
    """Draw every panel of a closed batch at once; reveal the seed; record snapshot, seed, result and
    the panel members (bulk). Nothing is recorded when a panel cannot be filled (the reasons are
    answered, the seed stays secret)."""
    check(actor, batch, "draw")
    with transaction.atomic():
        locked = lock_batch(batch)
        if not workflow.BATCH_WORKFLOW.can("draw", locked.status):
            raise DomainError(CoreErrorCode.CONFLICT, workflow.BATCH_MESSAGES["draw"], status=409,
                              details={"status": locked.status})
        if not locked.seed_commitment or not locked.seed_secret:
            raise DomainError(E.NO_COMMITMENT, E.NO_COMMITMENT.label, status=409)
        applications = list(locked.applications.filter(status=workflow.SCHEDULED)
                            .select_related("case").order_by("pk"))
        setting = setting_for(locked.region, locked.exam_on)
        size = setting.panel_size if setting.panel_size in draw_rules.PANEL_SIZES else 3
        inputs, pool = draw_inputs(locked, applications)
        seed = locked.seed_secret
        result = draw_rules.draw(inputs, pool, panel_size=size, seed=seed)
    failures = [r["failure"] for r in result if r["failure"]]
    if failures:
        record_event(actor=actor, event_type="appraisal_batch.draw_failed", target=batch, region=batch.region,
                     details={"failures": failures[:50]})
        raise DomainError(E.DRAW_INCOMPLETE, E.DRAW_INCOMPLETE.label + failures[0], status=409,
                          details=[{"field": "application", "message": m} for m in failures[:50]])
    pool_json = [e.as_json() for e in pool]
    with transaction.atomic():
        locked = move_batch(actor, batch, "draw", changes={"seed_secret": ""},
                            details={"seed": seed, "seed_commitment": batch.seed_commitment,
                                     "pool_sha256": draw_rules.snapshot_sha256(pool_json),
                                     "applications": len(applications), "panel_size": size})
        record = PanelDraw.objects.create(
            batch=locked, seed=seed, pool_snapshot=pool_json, pool_sha256=draw_rules.snapshot_sha256(pool_json),
            result={"panel_size": size, "commitment": locked.seed_commitment,
                    "applications": [a.as_json() for a in inputs], "panels": result},
            drawn_by=actor)
        _members_write(record, result, applications, actor)
    return record


def _members_write(record, result, applications, actor):
    members = [PanelMember(application_id=panel["application"], draw=record, expert_id=m["expert"],
                           category=m["category"], is_chair=m["chair"])
               for panel in result for m in panel["members"]]
    PanelMember.objects.bulk_create(members, batch_size=2000)
    label = str(actor)[:100]
    AppraisalEvent.objects.bulk_create(
        [AppraisalEvent(application=a, event_type="appraisal.panel_drawn", status=a.status, actor=actor,
                        actor_label=label, details={"batch": record.batch.number, "draw": record.pk})
         for a in applications], batch_size=2000)


def draw_verify(record: PanelDraw) -> list[str]:
    """Re-check a recorded draw (commitment, snapshot hash, re-run) and that the seats written for
    it (PanelMember) are the panels it drew: the problems, empty when sound."""
    result = record.result or {}
    problems = draw_rules.verify(seed=record.seed, commitment_hex=record.batch.seed_commitment,
                                 applications_json=result.get("applications", []), pool_json=record.pool_snapshot,
                                 panel_size=result.get("panel_size", 3), result=result.get("panels", []),
                                 pool_sha256=record.pool_sha256)
    recorded = {(panel.get("application"), m.get("expert"), m.get("category"), bool(m.get("chair")))
                for panel in result.get("panels", []) for m in panel.get("members", [])}
    seated = {(a, e, c, bool(chair)) for a, e, c, chair in
              record.members.values_list("application_id", "expert_id", "category", "is_chair")}
    if seated != recorded:
        problems.append(f"实际就座的专家组成员与记录的抽取结果不一致（{len(seated ^ recorded)} 处不同）。")
    return problems


def panel_of(application):
    """The members of the application's latest draw."""
    latest = application.panel_members.aggregate(m=Max("draw_id"))["m"]
    if latest is None:
        return PanelMember.objects.none()
    return application.panel_members.filter(draw_id=latest).select_related("expert").order_by("-is_chair", "pk")

