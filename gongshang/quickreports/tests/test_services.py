import hashlib
import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from gongshang.cases.models import CaseEvent, InjuryCase
from gongshang.core.errors import DomainError
from gongshang.core.models import AuditEvent, OutboxMessage, StoredFile
from gongshang.quickreports.choices import MediaFlag, ReportFlag, ReportStatus
from gongshang.quickreports.models import QuickReport, QuickReportEvent, QuickReportMedia
from gongshang.quickreports.services import access, staff
from gongshang.quickreports.services.supplement import SupplementInput, quick_report_supplement

from .conftest import other_person
from .media_fixtures import jpeg_bytes, mp4_bytes, photo

pytestmark = pytest.mark.django_db


# 07:30 on New Year's Day in Qingdao is still the old year in UTC: the case number takes the local year.
@pytest.mark.time_machine(datetime(2026, 1, 1, 7, 30, tzinfo=ZoneInfo("Asia/Shanghai")))
def test_self_report_creates_accident_case_code_and_sms(worker, employer_a, submit):
    now = timezone.now()
    result = submit(worker, photos=[photo(now - timedelta(minutes=30)), photo(None)])
    report = result.report
    case = InjuryCase.objects.get()
    assert result.case_numbers == [case.number] == ["GS370200-2026-000001"]
    assert case.person == worker.person and case.employer == employer_a and case.injured_name == "张伟"
    assert report.region == "370200" and report.status == ReportStatus.NEW
    assert report.code_index == access.code_index(result.code.replace("-", ""))
    assert result.code not in str(QuickReport.objects.values().get())  # only the hash is stored
    assert set(report.flags) == {ReportFlag.MEDIA_TIME_UNVERIFIED, ReportFlag.NO_LOCATION}
    sms = OutboxMessage.objects.get(template="sms_quickreport_code")
    assert sms.recipient == "13900000001" and sms.params["code"] == result.code
    assert CaseEvent.objects.filter(case=case, event_type="case.created").exists()
    assert AuditEvent.objects.filter(event_type="quickreport.submitted").exists()
    assert QuickReportEvent.objects.get(report=report).details["snapshot"]["persons"][0]["id_number"] == \
        "370202198803151237"


def test_original_is_stored_unchanged_and_watermark_is_derived(worker, submit):
    data = jpeg_bytes(timezone.now() - timedelta(minutes=5), size=(400, 300))
    result = submit(worker, photos=[SimpleUploadedFile("a.jpg", data)])
    media = QuickReportMedia.objects.get(report=result.report)
    with default_storage.open(media.original.storage_path) as fh:
        stored = fh.read()
    assert stored == data and media.original.sha256 == hashlib.sha256(data).hexdigest()
    assert media.watermarked.derived_from == media.original and media.watermarked.content_type == "image/jpeg"
    with default_storage.open(media.watermarked.storage_path) as fh:
        marked = Image.open(fh)
        marked.load()
    assert marked.size == (400, 300)
    band_pixel = marked.getpixel((200, 295))
    assert sum(band_pixel) < sum((200, 80, 40))  # the dark band with the text was drawn
    assert media.captured_at is not None and MediaFlag.NO_CAPTURE_TIME not in media.flags
    assert MediaFlag.WATERMARK_FONT_MISSING not in media.flags


def _band(jpeg: bytes, height: int = 60):
    img = Image.open(io.BytesIO(jpeg)).convert("L")
    return img.crop((0, img.height - height, img.width, img.height))


def test_watermark_shows_case_number_time_and_place_never_the_code_in_a_cjk_font(worker, submit):
    """The code is a credential (勿告知他人) and the watermarked copy is shown to staff: the
    watermark names the case instead."""
    from PIL import ImageChops, ImageFont

    from gongshang.core.files import evidence
    from gongshang.quickreports.services import media as media_service

    data = jpeg_bytes(timezone.now() - timedelta(minutes=5), size=(800, 600))
    result = submit(worker, photos=[SimpleUploadedFile("a.jpg", data)])
    media = QuickReportMedia.objects.get(report=result.report)
    with default_storage.open(media.watermarked.storage_path) as fh:
        stored = fh.read()

    def lines(case_numbers):
        return media_service.watermark_lines(captured_at=media.captured_at, uploaded_at=timezone.now(),
                                             place=result.report.accident.address, case_numbers=case_numbers)

    def rendered(case_numbers):
        return evidence.watermark_photo(SimpleUploadedFile("a.jpg", data), lines(case_numbers))[0]

    drawn = "\n".join(lines(result.case_numbers))
    assert result.case_numbers[0] in drawn and "青岛市市南区" in drawn
    assert result.code not in drawn and result.code.replace("-", "") not in drawn
    assert rendered(result.case_numbers) == stored  # exactly the case number, time and place were drawn
    other = rendered(["GS370200-2099-999999"])
    assert ImageChops.difference(_band(stored, 120), _band(other, 120)).getbbox() is not None  # visible
    font = evidence.find_cjk_font()
    assert font and ImageFont.truetype(font, 14).getname()[0] in {
        "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "Noto Sans CJK SC", "Droid Sans Fallback"}
    glyph = ImageFont.truetype(font, 14).getmask("案件编号")
    assert glyph.getbbox() is not None  # Chinese glyphs, not empty boxes of a Latin font


def test_accident_time_window_enforced(worker, submit):
    for at in (timezone.now() + timedelta(minutes=3), timezone.now() - timedelta(hours=49)):
        with pytest.raises(DomainError) as exc:
            submit(worker, accident_at=at)
        assert exc.value.code == "accident_time_out_of_window" and exc.value.status == 422
    assert not QuickReport.objects.exists() and not InjuryCase.objects.exists()


def test_capture_time_outside_window_rejected_nothing_stored(worker, submit):
    old = timezone.now() - timedelta(days=3)
    with pytest.raises(DomainError) as exc:
        submit(worker, photos=[photo(old)])
    assert exc.value.code == "capture_time_out_of_window"
    assert not StoredFile.objects.exists() and not QuickReport.objects.exists()


def test_limits_and_types(worker, submit):
    with pytest.raises(DomainError) as exc:
        submit(worker, photos=[photo() for _ in range(5)])
    assert exc.value.code == "too_many_photos" and exc.value.status == 422
    with pytest.raises(DomainError) as exc:
        submit(worker, photos=[SimpleUploadedFile("x.jpg", b"%PDF-1.4 not an image" * 20)])
    assert exc.value.code == "photo_not_image" and exc.value.status == 422


def test_photo_size_limit_is_configurable(worker, submit, settings):
    settings.QUICKREPORT_PHOTO_MAX_BYTES = 100
    with pytest.raises(DomainError) as exc:
        submit(worker, photos=[photo()])
    assert exc.value.code == "file_too_large"


def test_location_required_without_geolocation(worker, submit):
    with pytest.raises(DomainError) as exc:
        submit(worker, address="")
    assert exc.value.status == 422 and "address" in str(exc.value.details)
    result = submit(worker, address="", latitude=36.066, longitude=120.383, accuracy_m=15)
    assert ReportFlag.NO_LOCATION not in result.report.flags


def test_other_person_incomplete_is_accepted_and_flagged(bystander, employer_a, submit):
    result = submit(bystander, reporter_kind="other", persons=[other_person(name="", id_number="3702")],
                    employer_uscc=employer_a.uscc)
    case = InjuryCase.objects.get()
    assert ReportFlag.INCOMPLETE in result.report.flags and case.employer == employer_a
    recipients = set(OutboxMessage.objects.filter(template="sms_quickreport_code").values_list("recipient", flat=True))
    assert recipients == {"13700000009", "13600000003"}  # reporter and the injured person's own mobile


def test_employer_report_several_persons(employer_user_a, zhang_wei, submit):
    result = submit(employer_user_a, reporter_kind="employer", reporter_mobile="13800000001", persons=[
        other_person(name="张伟", id_number="370202198803151237", mobile="13900000001"), other_person()])
    assert len(result.case_numbers) == 2
    numbers = sorted(result.case_numbers)
    assert int(numbers[1][-6:]) == int(numbers[0][-6:]) + 1
    assert InjuryCase.objects.get(number=numbers[0]).person == zhang_wei


def test_reporter_kind_must_match_account(employer_user_a, worker, submit):
    with pytest.raises(DomainError) as exc:
        submit(employer_user_a, reporter_kind="self")
    assert exc.value.code == "reporter_kind_not_allowed"


def test_video_metadata_checked(worker, submit, tmp_path, settings):
    now = timezone.now()
    ok = mp4_bytes(tmp_path, created=now - timedelta(minutes=10))
    result = submit(worker, video=SimpleUploadedFile("v.mp4", ok))
    media = QuickReportMedia.objects.get(report=result.report)
    assert media.kind == "video" and media.captured_at is not None and media.watermarked_id
    assert float(media.duration_seconds) == pytest.approx(1.0, abs=0.3)
    stale = mp4_bytes(tmp_path, created=now - timedelta(days=5))
    with pytest.raises(DomainError) as exc:
        submit(worker, video=SimpleUploadedFile("v.mp4", stale))
    assert exc.value.code == "capture_time_out_of_window"
    settings.QUICKREPORT_VIDEO_MAX_SECONDS = 1
    long = mp4_bytes(tmp_path, created=now, seconds=3)
    with pytest.raises(DomainError) as exc:
        submit(worker, video=SimpleUploadedFile("v.mp4", long))
    assert exc.value.code == "video_too_long"


def test_supplement_keeps_every_version(bystander, submit):
    result = submit(bystander, reporter_kind="other", persons=[other_person(name="王")], photos=[photo()])
    report, old_media = result.report, QuickReportMedia.objects.get()
    case = InjuryCase.objects.get()
    data = SupplementInput(persons=[{"case_number": case.number, "name": "王五", "id_number": "370202198803151237"}],
                           note="补充：已送医", replace_media_ids=[old_media.pk],
                           accident_at=report.submitted_at - timedelta(hours=47))
    event = quick_report_supplement(actor=bystander, report=report, data=data,
                                    photos=[photo(timezone.now())])
    case.refresh_from_db()
    old_media.refresh_from_db()
    assert case.injured_name == "王五" and event.revision == 2
    assert old_media.replaced_by is not None and StoredFile.objects.filter(pk=old_media.original_id).exists()
    versions = [e.details["snapshot"]["persons"][0]["name"] for e in report.events.exclude(revision=None)]
    assert versions == ["王", "王五"]
    changes = CaseEvent.objects.get(case=case, event_type="case.injured_corrected").details["changes"]
    assert changes["injured_name"] == ["王", "王五"]


def test_supplement_time_window_relative_to_submission(bystander, submit):
    result = submit(bystander, reporter_kind="other", persons=[other_person()])
    data = SupplementInput(accident_at=result.report.submitted_at - timedelta(hours=49))
    with pytest.raises(DomainError) as exc:
        quick_report_supplement(actor=bystander, report=result.report, data=data)
    assert exc.value.code == "accident_time_out_of_window"
    with pytest.raises(DomainError) as exc:
        quick_report_supplement(actor=bystander, report=result.report, data=SupplementInput())
    assert exc.value.code == "nothing_to_supplement"


def test_staff_actions_and_transitions(worker, submit, staff_factory):
    officer = staff_factory("intake")
    report = submit(worker).report
    staff.quick_report_receive(actor=officer, report=report)
    staff.quick_report_green_channel(actor=officer, report=report)
    staff.quick_report_message(actor=officer, report=report, text="请尽快提交诊断证明")
    report = staff.quick_report_open_case(actor=officer, report=report)
    case = InjuryCase.objects.get()
    assert report.status == ReportStatus.CASE_OPENED and case.status == "opened" and case.green_channel
    assert OutboxMessage.objects.get(template="sms_quickreport_staff_message").recipient == "13900000001"
    with pytest.raises(DomainError) as exc:
        staff.quick_report_close_invalid(actor=officer, report=report, reason="重复")
    assert exc.value.status == 409


def test_close_invalid_requires_reason_and_blocks_supplement(worker, submit, staff_factory):
    officer = staff_factory("investigator")
    result = submit(worker)
    with pytest.raises(DomainError):
        staff.quick_report_close_invalid(actor=officer, report=result.report, reason=" ")
    staff.quick_report_close_invalid(actor=officer, report=result.report, reason="误报")
    assert InjuryCase.objects.get().status == "closed"
    with pytest.raises(DomainError) as exc:
        quick_report_supplement(actor=worker, report=result.report,
                                data=SupplementInput(note="x"))
    assert exc.value.code == "quick_report_closed"


def _accepted_application(case, employer_user, on=date(2026, 12, 4)):
    """A recognition application for `case`, accepted on `on` (the recognition tests walk the steps)."""
    from gongshang.recognition.models import RecognitionApplication
    from gongshang.recognition.services import drafts

    application = drafts.application_create(actor=employer_user, data={"circumstance": "art14_1"}, case=case)
    RecognitionApplication.objects.filter(pk=application.pk).update(status="accepted", accepted_on=on)
    return application


@pytest.mark.time_machine(datetime(2026, 12, 5, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False)
def test_supplement_closes_once_a_recognition_application_is_accepted(worker, submit, employer_user_a):
    from gongshang.quickreports import selectors
    from gongshang.recognition.models import RecognitionApplication

    report = submit(worker).report
    application = _accepted_application(InjuryCase.objects.get(), employer_user_a)
    with pytest.raises(DomainError) as exc:
        quick_report_supplement(actor=worker, report=report, data=SupplementInput(
            persons=[{"case_number": InjuryCase.objects.get().number, "name": "张卫"}]))
    assert exc.value.code == "quick_report_supplement_closed" and exc.value.status == 409
    assert "2026-12-04 受理" in exc.value.message and "经办机构" in exc.value.message
    assert InjuryCase.objects.get().injured_name == "张伟"
    RecognitionApplication.objects.filter(pk=application.pk).update(status="withdrawn")
    assert selectors.supplement_closed_reason(report) == ""  # withdrawn: the report may be corrected again
    quick_report_supplement(actor=worker, report=report, data=SupplementInput(note="申请已撤回，补充说明"))


@pytest.mark.time_machine(datetime(2026, 12, 5, 7, 0, 20, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False)
def test_supplement_logs_only_fields_that_really_changed(worker, submit):
    """The form gives minutes: the accident time re-entered as shown (06:47 for 06:47:12) is no change."""
    report = submit(worker, accident_at=datetime(2026, 12, 5, 6, 47, 12, tzinfo=ZoneInfo("Asia/Shanghai"))).report
    as_shown = datetime(2026, 12, 5, 6, 47, tzinfo=ZoneInfo("Asia/Shanghai"))
    event = quick_report_supplement(actor=worker, report=report,
                                    data=SupplementInput(accident_at=as_shown, note="已送医院"))
    assert event.details["accident"] == []
    assert not CaseEvent.objects.filter(event_type="case.accident_corrected").exists()
    report.accident.refresh_from_db()
    assert report.accident.occurred_at.second == 12
    from gongshang.quickreports import presenters

    last = presenters.timeline(report, for_reporter=True)[-1]
    assert last["changes"] == [] and "事故时间" not in last["text"]
    moved = quick_report_supplement(actor=worker, report=report, data=SupplementInput(
        accident_at=datetime(2026, 12, 5, 6, 40, tzinfo=ZoneInfo("Asia/Shanghai"))))
    assert moved.details["accident"] == ["occurred_at"]
    changes = presenters.timeline(report, for_reporter=True)[-1]["changes"]
    assert [(c["label"], c["old"], c["new"]) for c in changes] == [
        ("事故时间", "2026-12-05 06:47", "2026-12-05 06:40")]
