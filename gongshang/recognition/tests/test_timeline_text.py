"""办理进度: every event a Chinese sentence for its reader (applicant or staff), the time "YYYY-MM-DD HH:MM",
never Python data or codes, whatever the event's details carry."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.template.loader import render_to_string

from gongshang.accounts.tests.factories import StaffUserFactory
from gongshang.recognition.choices import RecognitionEventType as T
from gongshang.recognition.models import RecognitionEvent
from gongshang.recognition.views.common import detail_context

pytestmark = pytest.mark.django_db

RAW = ("(", ")", "[", "]", "'", "&#x27;", "{", "draft", "submitted", "accepted", "recognition.", "circumstance",
       "accident_at", "art14", "recognized", "portal", "True", "False", "None", "T10:")
DETAILS = [
    (T.CREATED, {"case": "X", "from_quick_report": True, "evidence_attached": 1, "replaced": None}),
    (T.UPDATED, {"fields": ["circumstance", "accident_at", "treatments"]}),
    (T.SUBMITTED, {"from": "draft", "to": "submitted", "materials": ["labour_relation"], "period_status": "in_time",
                   "period_message": ""}),
    (T.ALLOCATED, {"from": "submitted", "to": "allocated", "assignee": "孙受理"}),
    (T.ACCEPTED, {"from": "allocated", "to": "accepted", "simple": True}),
    (T.CORRECTION_REQUESTED, {"from": "allocated", "to": "correction_requested", "items": ["医疗诊断证明"]}),
    (T.MATERIAL_ADDED, {"kind": "labour_relation", "document_id": 3}),
    (T.INVESTIGATION_STARTED, {"from": "accepted", "to": "investigating", "investigators": ["甲", "乙"]}),
    (T.DECIDED, {"from": "investigating", "to": "decided", "result": "recognized", "article": "《工伤保险条例》第十四条第（一）项"}),
    (T.DELIVERED, {"from": "decided", "to": "delivered", "method": "portal", "method_label": "平台电子送达"}),
    (T.DOCUMENT_ISSUED, {"kind": "recognition.acceptance_notice", "title": "工伤认定申请受理通知书", "version": 1,
                         "document_id": 1}),
]


@pytest.fixture
def events(time_machine, draft, intake):
    time_machine.move_to(datetime(2026, 12, 5, 6, 50, 31, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False)
    for kind, details in DETAILS:
        RecognitionEvent.objects.create(application=draft, event_type=kind, status=draft.status, actor=intake,
                                        actor_label=str(intake), details=details)
    return draft


def _rendered(application, *, staff: bool) -> str:
    actor = StaffUserFactory(roles=["intake"]) if staff else application.created_by
    html = render_to_string("recognition/_timeline.html", detail_context(application, actor=actor))
    return re.sub(r"《[^》]*》", "", html.replace('class="', "").replace('"', ""))  # a cited article has (一)


@pytest.mark.parametrize("staff", [False, True], ids=["applicant", "staff"])
def test_timeline_is_chinese_sentences_with_minute_times(events, staff):
    html = _rendered(events, staff=staff)
    assert "2026-12-05 06:50" in html and "2026-12-0506:50" not in html
    for raw in RAW:
        assert raw not in html, (raw, html)
    assert "修改申请内容：认定情形、受伤时间、治疗方式" in html
    assert "补正：医疗诊断证明" in html
    assert "作出认定决定：认定为工伤" in html and "平台电子送达" in html


def test_applicant_sees_the_agency_staff_sees_the_names(events):
    applicant, staff = _rendered(events, staff=False), _rendered(events, staff=True)
    assert "孙受理" not in applicant and "经办机构已受理您的申请，适用简易程序办理" in applicant
    assert "分配给受理员 孙受理" in staff and "调查员：甲、乙" in staff
