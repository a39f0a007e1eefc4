"""Test helpers of 劳动能力鉴定 (no fixtures: conftest.py wraps them)."""

import itertools
from datetime import date

from gongshang.accounts.choices import Audience
from gongshang.benefits.tests.factories import make_case
from gongshang.recognition.models import RecognitionApplication

from ..models import AppraisalApplication, AppraisalBatch, AppraisalSetting, AppraisalSite, Expert
from ..permissions import owner_key_for

_numbers = itertools.count(1)


def recognised_case(person, employer, creator, *, injured_on=date(2025, 6, 10)):
    """张伟's case with 12 months of contributions and a decided, delivered 认定工伤."""
    case = make_case(person, employer, injured_on=injured_on)
    RecognitionApplication.objects.create(
        case=case, region=case.region, owner_key=f"employer:{employer.pk}", created_by=creator,
        status="delivered", applicant_kind="employer", decision_result="recognized", circumstance="art14_1",
        person=person, employer=employer, injured_name=person.name, body_part="右手",
        diagnosis="右手食指挤压伤", decided_on=date(2025, 7, 1), delivered_on=date(2025, 7, 5))
    return case


def make_application(*, case, creator, kind="initial", status="draft", items=None, applicant_kind=None, **fields):
    """An application in `status` (written directly: tests of later stages start here)."""
    if applicant_kind is None:
        applicant_kind = {Audience.EMPLOYER: "employer", Audience.STAFF: "agency"}.get(creator.kind, "worker")
    from ..rules.codes import KIND_ITEMS

    return AppraisalApplication.objects.create(
        case=case, region=case.region, kind=kind, items=list(items or KIND_ITEMS[kind]), status=status,
        owner_key=owner_key_for(creator), created_by=creator, applicant_kind=applicant_kind,
        applicant_name=getattr(creator, "display_name", "") or "申请人", **fields)


def make_setting(region="370200", **fields):
    fields.setdefault("committee_name", "青岛市劳动能力鉴定委员会")
    return AppraisalSetting.objects.create(region=region, valid_from=date(2020, 1, 1), **fields)


def make_site(region="370200", **fields):
    fields.setdefault("name", "青岛市劳动能力鉴定中心")
    fields.setdefault("address", "青岛市市南区宁夏路 1 号")
    fields.setdefault("capacity", 60)
    return AppraisalSite.objects.create(region=region, **fields)


def make_batch(site, creator, *, exam_on, status="planned", **fields):
    n = next(_numbers)
    fields.setdefault("cutoff_on", exam_on.replace(day=max(1, exam_on.day - 7)))
    fields.setdefault("capacity", site.capacity)
    return AppraisalBatch.objects.create(region=site.region, number=f"JD{exam_on:%Y%m}{n:03d}", exam_on=exam_on,
                                         site=site, status=status, created_by=creator, **fields)


def make_expert(name=None, *, region="370200", categories=("ortho",), **fields):
    n = next(_numbers)
    fields.setdefault("title", "主任医师")
    fields.setdefault("workplace", "青岛市市立医院")
    return Expert.objects.create(region=region, name=name or f"专家{n}", categories=list(categories), **fields)
