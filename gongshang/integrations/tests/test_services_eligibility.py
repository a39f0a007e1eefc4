"""待遇领取资格认证 by people: the live photo on the phone, the reviewer's decision, the window, a
designated institution in person; a confirmation resumes exactly what the lapse suspended."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gongshang.accounts.choices import StaffRole
from gongshang.accounts.tests.factories import IndividualUserFactory, UserFactory
from gongshang.benefits.models import Entitlement
from gongshang.benefits.services import entitlements as ent
from gongshang.core.errors import DomainError, FieldErrors, Forbidden, RateLimited
from gongshang.core.files.storage import open_stored
from gongshang.core.models import AuditEvent, OutboxMessage
from gongshang.integrations.models import Certification
from gongshang.integrations.services import eligibility as services
from gongshang.integrations.services import eligibility_cycle as cycle

from .factories_eligibility import SAMPLE_PHOTO, beneficiary, death_record, photo_upload, sample_photo_upload

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-09-10 10:00 +08:00")]
REGION = "370200"


@pytest.fixture
def people(staff_factory):
    return staff_factory(StaffRole.BENEFITS_REVIEWER), staff_factory(StaffRole.BENEFITS_REVIEWER)


@pytest.fixture
def worker(people, zhang_wei, employer_a):
    _case, monthly = beneficiary(zhang_wei, employer_a, *people, grade=1, nursing="full")
    cycle.run_cycle(region=REGION)
    return monthly


@pytest.fixture
def me(zhang_wei):
    return IndividualUserFactory(person=zhang_wei, mobile=zhang_wei.mobile)


@pytest.fixture
def institution_user(db):
    from gongshang.medical.tests.factories import InstitutionFactory

    user = UserFactory(kind="institution", username="inst-eligibility")
    InstitutionFactory(region=REGION).api_clients.add(user)
    return user


def lapse(time_machine):
    time_machine.move_to("2026-11-02 09:00 +08:00")
    assert cycle.run_cycle(region=REGION).lapsed == 1


def test_the_beneficiary_certifies_with_the_sample_photo(worker, me):
    c = services.certification_certify(actor=me, photo=sample_photo_upload())
    assert (c.status, c.method) == ("submitted", "self_service") and c.submitted_at is not None
    with open_stored(c.photo) as stored:
        assert stored.read() == SAMPLE_PHOTO.read_bytes()
    assert c.photo.content_type == "image/jpeg"
    event = AuditEvent.objects.get(event_type="integrations.certification_submitted")
    assert event.actor == me and event.details["photo_sha256"] == c.photo.sha256
    with pytest.raises(DomainError) as exc:  # submitted: nothing more to certify
        services.certification_certify(actor=me, photo=photo_upload())
    assert exc.value.status == 409 and exc.value.code == "exchange_certification_none"


def test_a_photo_over_the_size_limit_is_refused_before_it_is_stored(worker, me, monkeypatch):
    from gongshang.core.models import StoredFile

    monkeypatch.setattr(services, "PHOTO_MAX_BYTES", 4096)
    stored = StoredFile.objects.count()
    with pytest.raises(DomainError) as exc:
        services.certification_certify(actor=me, photo=photo_upload())
    assert exc.value.status == 413 and StoredFile.objects.count() == stored
    assert Certification.objects.get().status == "due"


def test_only_a_real_photo_of_a_face_is_taken(worker, me):
    with pytest.raises(FieldErrors) as exc:
        services.certification_certify(actor=me, photo=None)
    assert "photo" in exc.value.errors
    pdf = SimpleUploadedFile("selfie.jpg", b"%PDF-1.4\n%%EOF\n", content_type="image/jpeg")
    with pytest.raises(DomainError) as exc:
        services.certification_certify(actor=me, photo=pdf)
    assert exc.value.status == 415
    with pytest.raises(DomainError) as exc:
        services.certification_certify(actor=me, photo=photo_upload(width=120, height=160))
    assert (exc.value.status, exc.value.code) == (422, "exchange_certification_photo_small")
    broken = SimpleUploadedFile("selfie.jpg", photo_upload().read()[:400], content_type="image/jpeg")
    with pytest.raises(DomainError) as exc:
        services.certification_certify(actor=me, photo=broken)
    assert exc.value.status == 422
    c = Certification.objects.get()
    assert (c.status, c.photo_id) == ("due", None)


def _png_header(width: int, height: int) -> bytes:
    """A PNG that declares its size and holds no pixels (a decompression bomb's header)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


def test_a_photo_declaring_too_many_pixels_is_refused_not_a_server_error(worker, me):
    bomb = SimpleUploadedFile("selfie.png", _png_header(20000, 20000), content_type="image/png")
    with pytest.raises(DomainError) as exc:
        services.certification_certify(actor=me, photo=bomb)
    assert exc.value.status == 422 and "photo" in str(exc.value.details)
    c = Certification.objects.get()
    assert (c.status, c.photo_id) == ("due", None)


def test_no_certification_or_a_recorded_death_refuses(people, me, zhang_wei, worker):
    stranger = IndividualUserFactory()
    with pytest.raises(Forbidden):  # an individual without a bound person certifies nothing
        services.certification_certify(actor=people[0], photo=photo_upload())
    with pytest.raises(DomainError) as exc:
        services.certification_certify(actor=stranger, photo=photo_upload())
    assert exc.value.status == 409
    death_record(zhang_wei.id_number, on=date(2026, 9, 1))
    with pytest.raises(DomainError) as exc:
        services.certification_certify(actor=me, photo=photo_upload())
    assert (exc.value.status, exc.value.code) == (409, "exchange_certification_deceased")


def test_review_confirms_a_lapsed_certification_and_resumes_only_what_the_lapse_suspended(worker, me, people,
                                                                                          time_machine):
    maker, checker = people
    ent.entitlement_suspend(actor=maker, entitlement_id=worker[1].pk, reason="护理等级复查中")
    lapse(time_machine)
    c = Certification.objects.get()
    assert c.suspended_entitlements == [worker[0].pk]
    services.certification_certify(actor=me, photo=photo_upload())
    reviewed = services.certification_review(actor=checker, certification=Certification.objects.get(),
                                             decision="confirm")
    assert (reviewed.status, reviewed.reviewed_by, reviewed.confirmed_at is not None) == ("confirmed", checker, True)
    statuses = dict(Entitlement.objects.filter(pk__in=[e.pk for e in worker]).values_list("pk", "status"))
    assert statuses == {worker[0].pk: "active", worker[1].pk: "suspended"}
    resumed = AuditEvent.objects.get(event_type="benefits.entitlement_resumed")
    assert resumed.actor_label == "系统（资格认证）" and resumed.details["certification"] == c.pk
    confirmed = AuditEvent.objects.get(event_type="integrations.certification_confirmed")
    assert confirmed.actor == checker and confirmed.details["to"] == "confirmed"


def test_a_death_reported_after_the_lapse_keeps_payments_stopped(worker, me, people, zhang_wei, time_machine):
    lapse(time_machine)
    services.certification_certify(actor=me, photo=photo_upload())
    death_record(zhang_wei.id_number, on=date(2026, 11, 3))
    with pytest.raises(DomainError) as exc:
        services.certification_review(actor=people[1], certification=Certification.objects.get(), decision="confirm")
    assert exc.value.code == "exchange_certification_deceased"
    assert set(Entitlement.objects.filter(pk__in=[e.pk for e in worker]).values_list("status", flat=True)) == {
        "suspended"}


def test_reject_needs_a_reason_told_by_sms_and_the_beneficiary_certifies_again(worker, me, people, zhang_wei):
    services.certification_certify(actor=me, photo=photo_upload())
    c = Certification.objects.get()
    with pytest.raises(FieldErrors) as exc:
        services.certification_review(actor=people[1], certification=c, decision="reject", reason=" ")
    assert "reason" in exc.value.errors
    with pytest.raises(FieldErrors):
        services.certification_review(actor=people[1], certification=c, decision="maybe")
    rejected = services.certification_review(actor=people[1], certification=c, decision="reject", reason="照片不是本人")
    assert (rejected.status, rejected.note) == ("rejected", "照片不是本人")
    sms = OutboxMessage.objects.get(template=services.REJECTED_TEMPLATE)
    assert sms.recipient == zhang_wei.mobile and "照片不是本人" in sms.body
    assert services.certification_certify(actor=me, photo=photo_upload()).status == "submitted"
    with pytest.raises(Forbidden):  # the individual does not review
        services.certification_review(actor=me, certification=c, decision="confirm")


def test_window_confirms_and_resumes(worker, people, time_machine):
    lapse(time_machine)
    c = services.certification_confirm(actor=people[0], certification=Certification.objects.get(), note="本人持证到窗口")
    assert (c.status, c.method, c.reviewed_by, c.note) == ("confirmed", "window", people[0], "本人持证到窗口")
    assert set(Entitlement.objects.filter(pk__in=[e.pk for e in worker]).values_list("status", flat=True)) == {"active"}
    with pytest.raises(DomainError) as exc:  # once
        services.certification_confirm(actor=people[0], certification=c)
    assert exc.value.status == 409


def test_an_institution_confirms_a_beneficiary_present_in_person(worker, institution_user, zhang_wei, time_machine):
    lapse(time_machine)
    c = services.certification_confirm_in_person(actor=institution_user, id_number=zhang_wei.id_number.lower(),
                                                 name=" 张伟 ")
    assert (c.status, c.method, c.institution.api_clients.get()) == ("confirmed", "institution", institution_user)
    assert set(Entitlement.objects.filter(pk__in=[e.pk for e in worker]).values_list("status", flat=True)) == {"active"}


def test_in_person_answers_alike_for_a_wrong_name_and_an_unknown_number(worker, institution_user, zhang_wei):
    answers = []
    for id_number, name in ((zhang_wei.id_number, "张玮"), ("370202195506061522", "张伟")):
        with pytest.raises(DomainError) as exc:
            services.certification_confirm_in_person(actor=institution_user, id_number=id_number, name=name)
        answers.append((exc.value.status, exc.value.code, exc.value.message))
    assert answers[0] == answers[1] and answers[0][:2] == (404, "exchange_certification_not_found")
    with pytest.raises(FieldErrors) as exc:
        services.certification_confirm_in_person(actor=institution_user, id_number="12345", name="")
    assert set(exc.value.errors) == {"id_number", "name"}
    assert Certification.objects.get().status == "due"


def test_in_person_stays_in_the_institutions_region_and_agreement(worker, zhang_wei, time_machine):
    from gongshang.medical.tests.factories import InstitutionFactory

    elsewhere = UserFactory(kind="institution", username="inst-weifang")
    InstitutionFactory(region="370700").api_clients.add(elsewhere)
    with pytest.raises(DomainError) as exc:
        services.certification_confirm_in_person(actor=elsewhere, id_number=zhang_wei.id_number, name="张伟")
    assert exc.value.status == 404
    expired = UserFactory(kind="institution", username="inst-expired")
    InstitutionFactory(region=REGION, agreement_to=date(2026, 6, 30)).api_clients.add(expired)
    with pytest.raises(Forbidden):
        services.certification_confirm_in_person(actor=expired, id_number=zhang_wei.id_number, name="张伟")
    assert Certification.objects.get().status == "due"


def test_in_person_lookups_are_rate_limited(worker, institution_user):
    for _ in range(services.LOOKUPS_PER_HOUR):
        with pytest.raises(DomainError):
            services.certification_confirm_in_person(actor=institution_user, id_number="370202195506061522",
                                                     name="王秀英")
    with pytest.raises(RateLimited):
        services.certification_confirm_in_person(actor=institution_user, id_number="370202195506061522", name="王秀英")
