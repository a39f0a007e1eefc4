"""Injured persons and flags: registry matching, completeness (待补充), report snapshots."""

import logging

from django.conf import settings

from gongshang.core.pii.crypto import blind_index
from gongshang.core.queue import enqueue_after_commit
from gongshang.core.validators import is_valid_id_number, is_valid_mobile
from gongshang.integrations.choices import IdentityContext
from gongshang.integrations.services.identity import identity_check_if_possible
from gongshang.registry.choices import EnrolmentStatus, InsuranceType
from gongshang.registry.models import Employer, Enrolment, InsuredPerson

from ..choices import MediaFlag, PersonFlag, ReportEventType, ReportFlag

logger = logging.getLogger(__name__)


def registry_person(id_number: str):
    if not id_number or not is_valid_id_number(id_number):
        return None
    return InsuredPerson.objects.filter(id_number_index=blind_index(id_number)).first()


def _active_injury_enrolments(**person):
    return (Enrolment.objects.filter(insurance_type=InsuranceType.INJURY, status=EnrolmentStatus.ACTIVE, **person)
            .order_by("-start_month"))


def injury_employer_of(person):
    """The employer of the person's active work-injury enrolment, if any."""
    if person is None:
        return None
    enrolment = _active_injury_enrolments(person=person).select_related("employer").first()
    return enrolment.employer if enrolment else None


def injured_self(person_id: int):
    """(person, employer of the active work-injury enrolment) of a signed-in worker, read in one query;
    None when the person has no such enrolment."""
    enrolment = _active_injury_enrolments(person_id=person_id).select_related("person", "employer").first()
    return (enrolment.person, enrolment.employer) if enrolment else None


def employer_by_uscc(uscc: str):
    return Employer.objects.filter(uscc=(uscc or "").strip().upper()).first() if uscc else None


def region_for(*, employer=None, person=None, actor=None) -> str:
    for candidate in (employer, person):
        if candidate is not None and getattr(candidate, "region", ""):
            return candidate.region
    if getattr(actor, "employer_id", None):
        return actor.employer.region
    return settings.DEFAULT_POOLING_REGION


def check_identities(*, actor, cases, region: str) -> None:
    """身份核验 of each injured worker with an ID number and a name, recorded (公安人口库). It never
    refuses: evidence first, a 48-hour report goes through whatever the register says, and the
    staff page of the report shows a warning (presenters.staff_view)."""
    for case in cases:
        identity_check_if_possible(actor=actor, id_number=case.injured_id_number, name=case.injured_name,
                                   context=IdentityContext.QUICK_REPORT, region=region)


def schedule_identity_checks(*, actor, cases, region: str) -> None:
    """身份核验 of these cases after the caller's transaction commits, by a task: the register is
    another system and its answer only warns staff, so a worker's submission never waits for it.
    A queue that refuses the job: the checks are made at once instead."""
    from gongshang.core.audit.context import current

    ids = [c.pk for c in cases if c.injured_id_number and (c.injured_name or "").strip()]
    if not ids:
        return
    actor_id, context = getattr(actor, "pk", None), current()

    def enqueue():
        from gongshang.quickreports.tasks import check_identities_later

        check_identities_later.enqueue(ids, actor_id, region, context.ip, context.network)

    enqueue_after_commit(enqueue, what=f"identity checks of cases {ids} (checked now)",
                         on_error=lambda: run_identity_checks(ids, actor_id, region, context.ip, context.network))


def run_identity_checks(case_ids: list[int], actor_id: int | None, region: str, ip: str | None = None,
                        network: str | None = None) -> None:
    """The task's body: check the cases as the actor who filed them, from the address they used."""
    from gongshang.accounts.models import User
    from gongshang.cases.models import InjuryCase
    from gongshang.core.audit.context import AuditContext, using

    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    cases = list(InjuryCase.objects.filter(pk__in=case_ids).order_by("pk"))
    with using(AuditContext(ip=ip, network=network)):
        check_identities(actor=actor, cases=cases, region=region)


def person_flags(case) -> list[str]:
    flags = []
    if not case.injured_name.strip():
        flags.append(PersonFlag.NAME_MISSING.value)
    if not case.injured_id_number:
        flags.append(PersonFlag.ID_MISSING.value)
    elif not is_valid_id_number(case.injured_id_number):
        flags.append(PersonFlag.ID_INVALID.value)
    if not case.injured_mobile:
        flags.append(PersonFlag.MOBILE_MISSING.value)
    elif not is_valid_mobile(case.injured_mobile):
        flags.append(PersonFlag.MOBILE_INVALID.value)
    if case.person_id is None:
        flags.append(PersonFlag.NOT_IN_REGISTRY.value)
    return flags


def report_flags(report, *, cases=None, media=None, supplemented: bool | None = None) -> list[str]:
    """The report's flags; `cases`, `media` (its current media, anything with `.flags`) and
    `supplemented` are read from the database unless the caller already holds them."""
    cases = list(report.accident.cases.all()) if cases is None else list(cases)
    if media is None:
        media = [m for m in report.media.all() if m.replaced_by_id is None]
    flags = []
    # 待补充: something missing or wrong, or a typed ID number that matches nobody in the registry.
    if any(set(person_flags(c)) - {PersonFlag.NOT_IN_REGISTRY.value} for c in cases) or any(
            c.person_id is None and c.injured_id_number for c in cases):
        flags.append(ReportFlag.INCOMPLETE.value)
    if any(MediaFlag.NO_CAPTURE_TIME.value in m.flags for m in media):
        flags.append(ReportFlag.MEDIA_TIME_UNVERIFIED.value)
    if report.accident.latitude is None:
        flags.append(ReportFlag.NO_LOCATION.value)
    if not media:
        flags.append(ReportFlag.NO_MEDIA.value)
    if any(c.person_id is None or c.employer_id is None for c in cases):
        flags.append(ReportFlag.NOT_INSURED.value)
    if any(c.green_channel for c in cases):
        flags.append(ReportFlag.GREEN_CHANNEL.value)
    if supplemented is None:
        supplemented = report.events.filter(event_type=ReportEventType.SUPPLEMENTED).exists()
    if supplemented:
        flags.append(ReportFlag.SUPPLEMENTED.value)
    return flags


def refresh_flags(report) -> list[str]:
    """Recompute and save the report's flags (and their SQL-filterable index)."""
    report.flags = report_flags(report)
    report.flag_index = flag_index(report.flags)
    report.save(update_fields=["flags", "flag_index"])
    return report.flags


def flag_index(flags) -> str:
    return f",{','.join(flags)}," if flags else ""


def snapshot(report, *, cases=None, media=None) -> dict:
    """The whole report as of now: kept (encrypted) in the timeline so every version survives.
    `cases` and `media` (every media row, with its original) when the caller already holds them."""
    accident = report.accident
    cases = accident.cases.order_by("pk") if cases is None else sorted(cases, key=lambda c: c.pk)
    if media is None:
        media = report.media.select_related("original").order_by("pk")
    else:
        media = sorted(media, key=lambda m: m.pk)
    return {
        "accident_at": accident.occurred_at.isoformat(),
        "address": accident.address,
        "latitude": str(accident.latitude) if accident.latitude is not None else None,
        "longitude": str(accident.longitude) if accident.longitude is not None else None,
        "description": accident.description,
        "persons": [{"case_number": c.number, "name": c.injured_name, "id_number": c.injured_id_number,
                     "mobile": c.injured_mobile, "body_part": c.body_part, "injury_type": c.injury_type}
                    for c in cases],
        "media": [{"id": m.pk, "kind": m.kind, "sha256": m.original.sha256, "current": m.replaced_by_id is None}
                  for m in media],
    }
