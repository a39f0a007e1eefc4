"""Factories of 一窗受理: a case from a quick report, a recognition application taken at the
counter or submitted online, the decision — all through the services."""

import io
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from gongshang.core.files.pdf import blank_pdf

ARTICLE = "《工伤保险条例》第十四条第（一）项"
NOT_ARTICLE = "《工伤保险条例》第十六条第（二）项"
COMPLETE = {"circumstance": "art14_1", "treatments": ["outpatient"], "diagnosis": "右手食指挤压伤"}
BASIC_KINDS = ("application_form", "labour_relation", "medical_diagnosis", "injured_id", "outpatient_record")


def pdf_upload(name="m.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, blank_pdf(), content_type="application/pdf")


def jpeg_upload(name="scene.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (120, 80, 60)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def quick_case(employer_user, *, name="张伟", id_number="370202198803151237", mobile="13900000001"):
    """A case from the employer's quick report: the worker injured an hour ago, one photo."""
    from gongshang.cases.models import InjuryCase
    from gongshang.quickreports import content
    from gongshang.quickreports.services.submission import InjuredInput, ReportInput, quick_report_submit

    result = quick_report_submit(actor=employer_user, photos=[jpeg_upload()], data=ReportInput(
        reporter_kind="employer", accident_at=timezone.now() - timedelta(hours=1), description="冲床压伤右手",
        address="青岛市市南区香港中路 100 号车间", reporter_mobile="13800000001",
        persons=[InjuredInput(name=name, id_number=id_number, mobile=mobile, body_part="右手")],
        pledge_version=content.PLEDGE_VERSION))
    return InjuryCase.objects.get(number=result.case_numbers[0])


def counter_draft(window, case, *, kinds=BASIC_KINDS, applicant_kind="worker"):
    """The counter's draft for the worker at the window, with the scanned materials."""
    from gongshang.recognition.services.counter import (
        application_material_add_at_counter,
        application_start_at_counter,
    )

    draft = application_start_at_counter(actor=window, case=case, applicant_kind=applicant_kind, data=dict(COMPLETE))
    for kind in kinds:
        application_material_add_at_counter(actor=window, application=draft, kind=kind, upload=pdf_upload())
    draft.refresh_from_db()
    return draft


def submitted_online(employer_user, case):
    """The employer's own application, submitted online with every material."""
    from gongshang.recognition.services import drafts, submission
    from gongshang.recognition.services.materials import application_material_add

    draft = drafts.application_create(actor=employer_user, data={**COMPLETE, "handling_region": case.region}, case=case)
    for kind in BASIC_KINDS:
        application_material_add(actor=employer_user, application=draft, kind=kind, upload=pdf_upload())
    return submission.application_submit(actor=employer_user, application=draft)


def counter_request(window, case, *, wants_appraisal=True, injury_stable=True, wants_benefits=True):
    """A request taken at the counter: draft, materials, accepted at once with the boxes."""
    from gongshang.service.services.window import window_request_create

    draft = counter_draft(window, case)
    return window_request_create(actor=window, application=draft, wants_appraisal=wants_appraisal,
                                 injury_stable=injury_stable, wants_benefits=wants_benefits, channel="window")


def decide(reviewer, application, result="recognized"):
    from gongshang.recognition.services import decision

    article = ARTICLE if result == "recognized" else NOT_ARTICLE
    application.refresh_from_db()
    return decision.application_decide(actor=reviewer, application=application, result=result, article=article,
                                       reasoning="事实清楚，证据充分。")
