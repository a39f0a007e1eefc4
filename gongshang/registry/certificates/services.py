"""Issuing the employer hall's printouts through the generic document facility.

Each call issues a new IssuedDocument (new verification code, new PDF): a certificate states the
facts at the moment it is printed, and an older printout stays verifiable as what it was.
"""

from datetime import date

from django.db import transaction
from django.utils import timezone

from gongshang.accounts.access import require
from gongshang.core.audit import record_event
from gongshang.core.documents.services import document_issue
from gongshang.core.errors import DomainError, FieldErrors
from gongshang.core.pii.masking import mask_id_number, mask_name
from gongshang.core.regions import full_name
from gongshang.registry.choices import EmployerStatus
from gongshang.registry.errors import RegistryEvent
from gongshang.registry.rules import add_months, month_start

from . import selectors
from .choices import CertificateErrorCode, CertificateKind

# WeasyPrint lays out about 80 table rows a second here (measured: 300 rows 4-7 s): beyond 500
# rows a request would take too long, so the employer prints shorter periods.
MAX_REPORT_ROWS = 500
MAX_REPORT_MONTHS = 24
MAX_MONTHS_AHEAD = 12


def _month_label(value) -> str:
    return f"{value.year}年{value.month}月" if value else "—"


def _day_label(value) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def _employer_of(actor, action: str):
    require(actor, "certificate", action)
    employer = actor.employer
    if employer.status == EmployerStatus.PENDING:
        raise DomainError(CertificateErrorCode.EMPLOYER_PENDING, status=409)
    return employer


def _issued(*, actor, subject, document) -> None:
    record_event(actor=actor, event_type=RegistryEvent.CERTIFICATE_ISSUED, target=subject, region=document.region, details={"document_id": document.pk, "kind": document.kind})


@transaction.atomic
def employer_certificate_issue(*, actor):
    """工伤保险单位参保证明 for the actor's own employer."""
    employer = _employer_of(actor, "issue_employer")
    facts = selectors.employer_facts(employer=employer, today=timezone.localdate())
    if not facts["ever"]:
        raise DomainError(CertificateErrorCode.NO_INJURY_ENROLMENT, status=409)
    public = [("单位名称", employer.name), ("工伤保险参保缴费人数", f"{facts['active']} 人"),
              ("缴费至", _month_label(facts["paid_through"])), ("证明截至", _day_label(facts["as_of"]))]
    document = document_issue(
        actor=actor, kind=CertificateKind.EMPLOYER, title=str(CertificateKind.EMPLOYER.label),
        template_name="registry/certificates/pdf_employer.html",
        context={"employer": employer, "facts": facts, "region_name": full_name(employer.region)},
        holder_summary=f"{employer.name}（{employer.uscc}）", region=employer.region, facts=public,
        subject=employer,
    )
    _issued(actor=actor, subject=employer, document=document)
    return document


def _issuing_region(actor) -> str:
    """The 受理员's 统筹区, or the employer's own."""
    return actor.jurisdiction or actor.employer.region


@transaction.atomic
def person_certificate_issue(*, actor, id_number: str | None = None, person_id: int | None = None):
    """个人参保证明 for one of the actor's people (employer: its own; the 受理员: the jurisdiction's),
    chosen by ID number (API) or by the row picked on the page."""
    require(actor, "certificate", "issue_person")
    if actor.employer_id:  # an employer still waiting for verification prints nothing yet
        _employer_of(actor, "issue_person")
    if person_id is not None:
        person = selectors.person_by_pk(actor=actor, person_id=person_id)
    else:
        person = selectors.person_by_id_number(actor=actor, id_number=id_number or "")
    facts = selectors.person_facts(actor=actor, person=person)
    if not facts["rows"]:
        raise DomainError(CertificateErrorCode.NO_ENROLMENT_HERE, status=409)
    masked_id = mask_id_number(person.id_number)
    injury = facts["injury_enrolments"]
    public = [("姓名", mask_name(person.name)), ("身份证号", masked_id),
              ("工伤保险参保状态", injury[0].get_status_display() if injury else "未参加"),
              ("工伤保险累计缴费月数", f"{facts['injury_paid_months']} 个月")]
    document = document_issue(
        actor=actor, kind=CertificateKind.PERSON, title=str(CertificateKind.PERSON.label),
        template_name="registry/certificates/pdf_person.html",
        context={"person": person, "masked_id": masked_id, "facts": facts,
                 "employer": actor.employer if actor.employer_id else None},
        holder_summary=f"{mask_name(person.name)}、{masked_id}", region=_issuing_region(actor),
        facts=public, subject=person,
    )
    _issued(actor=actor, subject=person, document=document)
    return document


def check_period(start: date | None, end: date | None, *, today: date) -> tuple[date, date]:
    """The months of a 异动申报表: both given, start ≤ end, at most 24 months, not beyond a year ahead."""
    errors = {}
    if start is None:
        errors["start_month"] = "请填写起始月份，格式如 2026-01"
    if end is None:
        errors["end_month"] = "请填写截止月份，格式如 2026-06"
    if errors:
        raise FieldErrors(errors)
    start, end = month_start(start), month_start(end)
    if start > end:
        raise FieldErrors({"end_month": "截止月份不能早于起始月份，请调整期间"})
    if add_months(start, MAX_REPORT_MONTHS - 1) < end:
        raise FieldErrors({"end_month": f"期间最长 {MAX_REPORT_MONTHS} 个月，请缩短期间后分次打印"})
    if end > add_months(month_start(today), MAX_MONTHS_AHEAD):
        raise FieldErrors({"end_month": f"截止月份最晚为 {_month_label(add_months(month_start(today), MAX_MONTHS_AHEAD))}"})
    return start, end


@transaction.atomic
def change_report_issue(*, actor, start_month: date | None, end_month: date | None):
    """人员增减员异动申报表: the employer's pending and confirmed changes effective in the period."""
    employer = _employer_of(actor, "issue_change_report")
    start, end = check_period(start_month, end_month, today=timezone.localdate())
    rows = list(selectors.change_report_rows(actor=actor, start=start, end=end)[:MAX_REPORT_ROWS + 1])
    if len(rows) > MAX_REPORT_ROWS:
        raise DomainError(CertificateErrorCode.TOO_MANY_ROWS,
                          f"所选期间的异动记录超过 {MAX_REPORT_ROWS} 条（单张申报表的上限），请缩短期间后分次打印。",
                          details={"max_rows": MAX_REPORT_ROWS}, status=422)
    totals = selectors.change_report_totals(rows)
    period = f"{_month_label(start)}至{_month_label(end)}"
    lines = [{"change": row, "masked_id": mask_id_number(row.id_number)} for row in rows]
    public = [("单位名称", employer.name), ("申报期间", period), ("增员人次", totals["add"]),
              ("减员人次", totals["reduce"])]
    document = document_issue(
        actor=actor, kind=CertificateKind.CHANGE_REPORT, title=str(CertificateKind.CHANGE_REPORT.label),
        template_name="registry/certificates/pdf_change_report.html",
        context={"employer": employer, "lines": lines, "totals": totals, "period": period},
        holder_summary=f"{employer.name}（{employer.uscc}）", region=employer.region, facts=public,
        subject=employer,
    )
    _issued(actor=actor, subject=employer, document=document)
    return document
