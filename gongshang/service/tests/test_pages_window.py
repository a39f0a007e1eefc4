"""一窗受理 pages: the counter (search, take the application, upload, accept with the boxes), the
request page and its receipt, the back office's queue, the online boxes, the one-case view."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from gongshang.accounts.tests.factories import IndividualUserFactory
from gongshang.recognition.models import RecognitionApplication
from gongshang.service.models import WindowMatter, WindowRequest

from .factories_window import BASIC_KINDS, counter_request, decide, pdf_upload, quick_case, submitted_online

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-03-02 10:00 +08:00")]


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    cache.clear()


@pytest.fixture
def window(staff_factory):
    return staff_factory("window", display_name="赵窗口")


@pytest.fixture
def case(employer_user_a, zhang_wei):
    return quick_case(employer_user_a)


def test_desk_finds_the_case_by_number_and_id_number(client, window, case):
    client.force_login(window)
    page = client.get(reverse("service:window_desk"), {"q": case.number})
    assert page.status_code == 200
    html = page.content.decode()
    assert case.number in html and "370202198803151237" not in html and "张*" in html
    by_id = client.get(reverse("service:window_desk"), {"q": "370202198803151237"}).content.decode()
    assert reverse("service:window_case", args=[case.pk]) in by_id
    none = client.get(reverse("service:window_desk"), {"q": "GS000000-0000-000000"}).content.decode()
    assert "没有找到" in none


def test_counter_journey_on_the_case_page(client, window, case):
    client.force_login(window)
    url = reverse("service:window_case", args=[case.pk])
    assert "代为填写工伤认定申请" in client.get(url).content.decode()
    response = client.post(url, {"step": "start", "applicant_kind": "worker", "circumstance": "art14_1",
                                 "treatments": ["outpatient"], "diagnosis": "右手食指挤压伤"})
    assert response.status_code == 302
    draft = RecognitionApplication.objects.get(case=case)
    assert draft.status == "draft" and draft.applicant_kind == "worker" and draft.created_by_id == window.pk
    # accepting before the materials: 422, everything missing listed at once, the draft kept
    refused = client.post(url, {"step": "register", "application_id": draft.pk, "wants_appraisal": "on"})
    assert refused.status_code == 422
    assert "劳动关系证明" in refused.content.decode() and not WindowRequest.objects.exists()
    for kind in BASIC_KINDS:
        assert client.post(url, {"step": "material", "kind": kind, "file": pdf_upload()}).status_code == 302
    done = client.post(url, {"step": "register", "application_id": draft.pk, "wants_appraisal": "on",
                             "injury_stable": "on", "wants_benefits": "on"})
    request = WindowRequest.objects.get()
    assert done.status_code == 302 and done["Location"] == reverse("service:window_detail", args=[request.pk])
    draft.refresh_from_db()
    assert draft.status == "accepted"
    assert WindowMatter.objects.filter(request=request).count() == 3
    detail = client.get(done["Location"]).content.decode()
    assert "打印一窗受理回执" in detail and "第二十五条" in detail
    receipt = client.get(reverse("service:window_receipt", args=[request.pk]))
    assert receipt.status_code == 200 and receipt["Content-Type"] == "application/pdf"


def test_case_page_empty_post_answers_422(client, window, case):
    client.force_login(window)
    response = client.post(reverse("service:window_case", args=[case.pk]), {})
    assert response.status_code == 422 and "请选择要办理的步骤" in response.content.decode()


def test_case_page_of_another_region_is_404(client, staff_factory, case):
    client.force_login(staff_factory("window", jurisdiction="370700"))
    assert client.get(reverse("service:window_case", args=[case.pk])).status_code == 404


def test_queue_per_desk_and_prepare_with_a_button(client, window, case, staff_factory):
    request = counter_request(window, case)
    appraisal_admin = staff_factory("appraisal_admin")
    client.force_login(appraisal_admin)
    page = client.get(reverse("service:window_queue"))
    html = page.content.decode()
    assert page.status_code == 200 and case.number in html and "劳动能力鉴定" in html and "工伤保险待遇核定" not in html
    response = client.post(reverse("service:window_prepare", args=[request.pk, "appraisal"]), {"next": "queue"})
    assert response.status_code == 302 and response["Location"] == reverse("service:window_queue")
    assert WindowMatter.objects.get(request=request, kind="appraisal").status == "prepared"


def test_queue_refused_to_a_role_without_it(client, staff_factory):
    client.force_login(staff_factory("inspector"))
    assert client.get(reverse("service:window_queue")).status_code == 403


def test_withdraw_needs_post_and_confirms(client, window, case):
    request = counter_request(window, case)
    client.force_login(window)
    detail = client.get(reverse("service:window_detail", args=[request.pk])).content.decode()
    assert "data-confirm" in detail and "撤回" in detail
    assert client.get(reverse("service:window_withdraw", args=[request.pk, "benefits"])).status_code == 405
    client.post(reverse("service:window_withdraw", args=[request.pk, "benefits"]))
    assert WindowMatter.objects.get(request=request, kind="benefits").status == "withdrawn"


def test_online_boxes_from_the_recognition_page(client, employer_user_a, case):
    application = submitted_online(employer_user_a, case)
    client.force_login(employer_user_a)
    detail = client.get(reverse("recognition:detail", args=[application.pk])).content.decode()
    online_url = reverse("service:window_online", args=[application.pk])
    assert online_url in detail
    assert "同时申请劳动能力鉴定" in client.get(online_url).content.decode()
    response = client.post(online_url, {"wants_appraisal": "on", "wants_benefits": "on"})
    request = WindowRequest.objects.get()
    assert response.status_code == 302 and request.channel == "online" and not request.injury_stable
    again = client.get(reverse("recognition:detail", args=[application.pk])).content.decode()
    assert reverse("service:window_detail", args=[request.pk]) in again


def test_the_worker_sees_the_matters_on_the_case_page_after_the_decision(client, window, case, zhang_wei,
                                                                         staff_factory):
    request = counter_request(window, case)
    decide(staff_factory("reviewer"), request.recognition)
    worker = IndividualUserFactory(person=zhang_wei, mobile="13900000001", display_name="张伟")
    client.force_login(worker)
    html = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "一窗受理事项" in html and "后续事项已自动发起" in html and "鉴定申请：" in html
    other = IndividualUserFactory()
    client.force_login(other)
    assert client.get(reverse("service:window_detail", args=[request.pk])).status_code == 404


def test_applicant_on_the_desk_is_sent_to_its_applications(client, employer_user_a):
    client.force_login(employer_user_a)
    response = client.get(reverse("service:window_desk"))
    assert response.status_code == 302 and response["Location"] == reverse("recognition:my_list")
