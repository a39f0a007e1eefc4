"""待遇领取资格认证 pages: the beneficiary's phone page (front camera), the 待遇审核员's queue and a
certification's page (photos through the access check, review, window), the cycle run now, and the
designated institution's in-person page."""

import pytest
from django.test import Client
from django.urls import reverse

from gongshang.accounts.choices import StaffRole
from gongshang.accounts.tests.factories import IndividualUserFactory, UserFactory
from gongshang.benefits.models import Entitlement
from gongshang.core.files.storage import IMAGE_TYPES, store_upload
from gongshang.integrations.models import Certification
from gongshang.integrations.services import eligibility as services
from gongshang.integrations.services import eligibility_cycle as cycle

from .factories_eligibility import CertificationFactory, beneficiary, photo_upload, sample_photo_upload

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-09-10 10:00 +08:00")]
REGION = "370200"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def people(staff_factory):
    return staff_factory(StaffRole.BENEFITS_REVIEWER), staff_factory(StaffRole.BENEFITS_REVIEWER)


@pytest.fixture
def worker(people, zhang_wei, employer_a):
    _case, monthly = beneficiary(zhang_wei, employer_a, *people, grade=3)
    cycle.run_cycle(region=REGION)
    return monthly


@pytest.fixture
def me(zhang_wei):
    return IndividualUserFactory(person=zhang_wei, mobile=zhang_wei.mobile)


def test_the_phone_page_takes_a_selfie_and_submits(worker, me):
    client = signed_in(me)
    page = client.get(reverse("integrations:my_certification"))
    text = page.content.decode()
    assert page.status_code == 200 and "请于2026年11月1日前完成2026年度认证" in text
    assert 'accept="image/*" capture="user"' in text and 'enctype="multipart/form-data"' in text
    answer = client.post(reverse("integrations:my_certification"), {"photo": sample_photo_upload()})
    assert answer.status_code == 302 and answer["Location"] == reverse("integrations:my_certification")
    assert Certification.objects.get().status == "submitted"
    after = client.get(answer["Location"]).content.decode()
    assert "照片已提交" in after and 'capture="user"' not in after


def test_the_phone_page_names_what_is_wrong_with_the_photo(worker, me):
    client = signed_in(me)
    answer = client.post(reverse("integrations:my_certification"), {"photo": photo_upload(width=100, height=90)})
    assert answer.status_code == 422 and "现场照片太小" in answer.content.decode()
    answer = client.post(reverse("integrations:my_certification"), {})
    assert answer.status_code == 422 and "前置摄像头" in answer.content.decode()
    assert Certification.objects.get().status == "due"


def test_the_queue_puts_what_waits_for_staff_first(worker, people, li_na, me):
    services.certification_certify(actor=me, photo=photo_upload())
    CertificationFactory(person_obj=li_na, due_on=Certification.objects.get().due_on.replace(day=2))
    page = signed_in(people[0]).get(reverse("integrations:certification_list"))
    text = page.content.decode()
    assert page.status_code == 200 and "张*" in text and "李*" in text and "370202198803151237" not in text
    assert text.index("张*") < text.index("李*")  # submitted before due
    assert "立即比对" in text and "data-confirm" in text
    filtered = signed_in(people[0]).get(reverse("integrations:certification_list"), {"view": "submitted"})
    assert "李*" not in filtered.content.decode()


def test_beneficiaries_and_institutions_are_sent_to_their_own_page(worker, me):
    c = Certification.objects.get()
    answer = signed_in(me).get(reverse("integrations:certification_list"))
    assert answer.status_code == 302 and answer["Location"] == reverse("integrations:my_certification")
    answer = signed_in(me).get(reverse("integrations:certification_detail", args=[c.pk]))
    assert answer.status_code == 302
    inst = UserFactory(kind="institution", username="inst-pages")
    answer = signed_in(inst).get(reverse("integrations:certification_list"))
    assert answer["Location"] == reverse("integrations:institution_certify")
    assert signed_in(inst).get(reverse("integrations:certification_detail", args=[c.pk])).status_code == 404


def test_detail_shows_the_live_photo_and_says_when_there_is_no_reference(worker, people, me):
    services.certification_certify(actor=me, photo=photo_upload())
    c = Certification.objects.get()
    client = signed_in(people[0])
    text = client.get(reverse("integrations:certification_detail", args=[c.pk])).content.decode()
    assert reverse("integrations:certification_photo", args=[c.pk, "live"]) in text
    assert "登记库中没有该受领人的照片" in text and "提交审核结论" in text
    photo = client.get(reverse("integrations:certification_photo", args=[c.pk, "live"]))
    assert photo.status_code == 200 and photo["Content-Type"] == "image/jpeg"
    assert photo["Content-Security-Policy"] == "sandbox" and photo["X-Content-Type-Options"] == "nosniff"
    assert client.get(reverse("integrations:certification_photo", args=[c.pk, "reference"])).status_code == 404
    assert signed_in(me).get(reverse("integrations:certification_photo", args=[c.pk, "live"])).status_code == 403


def test_last_years_confirmed_photo_is_the_reference(worker, people, me, zhang_wei):
    earlier = CertificationFactory(person_obj=zhang_wei, year=2025, due_on=worker[0].start_month, status="submitted")
    Certification.objects.filter(pk=earlier.pk).update(
        status="confirmed", photo=store_upload(photo_upload(), allowed_types=set(IMAGE_TYPES), max_bytes=10 ** 7,
                                               prefix="certifications"))
    services.certification_certify(actor=me, photo=photo_upload())
    c = Certification.objects.get(year=2026)
    text = signed_in(people[0]).get(reverse("integrations:certification_detail", args=[c.pk])).content.decode()
    assert "2025 年度资格认证通过时的现场照片" in text
    photo = signed_in(people[0]).get(reverse("integrations:certification_photo", args=[c.pk, "reference"]))
    assert photo.status_code == 200 and b"".join(photo.streaming_content)[:2] == b"\xff\xd8"


def test_review_and_window_forms(worker, people, me, time_machine):
    services.certification_certify(actor=me, photo=photo_upload())
    c = Certification.objects.get()
    client = signed_in(people[1])
    answer = client.post(reverse("integrations:certification_review", args=[c.pk]), {"decision": "reject"})
    assert answer.status_code == 422 and "请填写不通过的原因" in answer.content.decode()
    answer = client.post(reverse("integrations:certification_review", args=[c.pk]),
                         {"decision": "reject", "reason": "面部不清晰"})
    assert answer.status_code == 302 and Certification.objects.get().status == "rejected"
    time_machine.move_to("2026-11-02 09:00 +08:00")
    cycle.run_cycle(region=REGION)
    assert Entitlement.objects.get(pk=worker[0].pk).status == "suspended"
    client = signed_in(people[1])  # a new day, a new session
    answer = client.post(reverse("integrations:certification_confirm", args=[c.pk]), {"note": "本人到窗口"})
    assert answer.status_code == 302 and answer["Location"] == reverse("integrations:certification_detail",
                                                                       args=[c.pk])
    assert (Certification.objects.get().status, Entitlement.objects.get(pk=worker[0].pk).status) == (
        "confirmed", "active")
    again = client.post(reverse("integrations:certification_confirm", args=[c.pk]), {"note": ""}, follow=True)
    assert "当前状态不允许此操作" in again.content.decode()


def test_run_now_in_place_or_back_to_the_queue(people, worker):
    Certification.objects.all().delete()
    client = signed_in(people[0])
    partial = client.post(reverse("integrations:certification_run"), HTTP_HX_REQUEST="true")
    assert partial.status_code == 200 and "新建认证 1 条" in partial.content.decode()
    answer = client.post(reverse("integrations:certification_run"))
    assert answer.status_code == 302
    assert "新建认证 0 条" in client.get(answer["Location"]).content.decode()
    assert signed_in(UserFactory(kind="institution", username="inst-run")).post(
        reverse("integrations:certification_run")).status_code == 403


def test_the_institution_page_confirms_in_person(worker, zhang_wei, time_machine):
    from gongshang.medical.tests.factories import InstitutionFactory

    time_machine.move_to("2026-11-02 09:00 +08:00")
    cycle.run_cycle(region=REGION)
    inst = UserFactory(kind="institution", username="inst-page")
    InstitutionFactory(region=REGION).api_clients.add(inst)
    client = signed_in(inst)
    page = client.get(reverse("integrations:institution_certify"))
    assert page.status_code == 200 and "受领人本人在场" in page.content.decode()
    answer = client.post(reverse("integrations:institution_certify"), {"id_number": zhang_wei.id_number,
                                                                       "name": "张伟"})
    assert answer.status_code == 422 and "请确认受领人本人在场" in answer.content.decode()
    answer = client.post(reverse("integrations:institution_certify"), {"id_number": zhang_wei.id_number,
                                                                       "name": "张伟", "present": "on"})
    text = answer.content.decode()
    assert answer.status_code == 200 and "张* 2026 年度资格认证已确认" in text and "暂停的待遇已恢复" in text
    assert Entitlement.objects.get(pk=worker[0].pk).status == "active"
