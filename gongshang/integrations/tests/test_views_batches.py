"""交换批次 pages: the list with a tab per partner and the upload form, a batch's result (progress
while processing, errors, download, retry with confirmation, the duplicate's original), and the
dead-letter list where a row is closed with a required note."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from gongshang.accounts.choices import StaffRole

from ..adapters import FormatError
from ..choices import BatchStatus, DeadLetterStatus
from ..models import DeadLetter, ExchangeBatch
from ..services import batches as services
from .factories import ExchangeBatchFactory
from .factories_batches import *  # noqa: F403
from .factories_batches import (
    MIXED,
    FakeAdapter,
    registered,
    upload,
)

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-11-02 10:00 +08:00")]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _receive(user, content=MIXED):
    return services.batch_receive(actor=user, partner="tax", kind="contributions", upload=upload(content))


def test_list_shows_batches_per_partner_and_the_upload_form(fake_partner, exchange_admin, other_exchange_admin):
    batch = _receive(exchange_admin)
    _receive(exchange_admin)
    _receive(other_exchange_admin)
    r = _client(exchange_admin).get(reverse("integrations:batch_list"))
    assert r.status_code == 200
    html = r.content.decode()
    assert f'data-batch-id="{batch.pk}"' in html and html.count("data-batch-id=") == 2
    assert "全部交换方（2）" in html and "税务局（社保费征收）（2）" in html and "民政局（殡葬、死亡登记）（0）" in html
    assert 'id="batch-upload-form"' in html and '<option value="tax">税务局（社保费征收）</option>' in html
    assert "处理完成" in html and reverse("integrations:batch_detail", args=[batch.pk]) in html
    civil = _client(exchange_admin).get(reverse("integrations:batch_list") + "?partner=civil_affairs")
    assert "没有符合条件的交换批次" in civil.content.decode()


def test_staff_who_only_follow_see_no_upload_form(fake_partner, exchange_admin, staff_factory):
    _receive(exchange_admin)
    r = _client(staff_factory(StaffRole.INTAKE)).get(reverse("integrations:batch_list"))
    assert r.status_code == 200 and 'id="batch-upload-form"' not in r.content.decode()
    upload_page = _client(staff_factory(StaffRole.INTAKE)).get(reverse("integrations:batch_upload"))
    assert upload_page.status_code == 403


def test_upload_then_the_result_page(fake_partner, exchange_admin):
    client = _client(exchange_admin)
    r = client.post(reverse("integrations:batch_upload"), {
        "partner": "tax", "kind": "contributions", "format_version": "",
        "file": SimpleUploadedFile("2026-10.csv", MIXED, content_type="text/csv")})
    batch = ExchangeBatch.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("integrations:batch_detail", args=[batch.pk])
    page = client.get(r["Location"])
    html = page.content.decode()
    assert page.status_code == 200 and batch.status == BatchStatus.DONE
    assert 'id="count-accepted">2<' in html and 'id="count-rejected">1<' in html
    assert "第 4 行" in html and "身份证号应为 18 位" in html
    assert reverse("integrations:batch_errors_csv", args=[batch.pk]) in html
    assert "hx-get" not in html and "新增记录" in html and batch.checksum in html
    assert "（待处理 1 行）" in html and 'id="batch-retry"' not in html


class FakeDeaths(FakeAdapter):
    partner = "civil_affairs"
    kind = "deaths"


def test_upload_refusals_are_shown_on_the_form(fake_partner, exchange_admin):
    client = _client(exchange_admin)
    with registered(FakeDeaths):
        form = client.get(reverse("integrations:batch_upload")).content.decode()
        assert '<option value="civil_affairs">民政局（殡葬、死亡登记）</option>' in form
        assert "可接收：税务局（社保费征收）：社保费缴费明细（格式版本 1.0、1.1）" in form
        r = client.post(reverse("integrations:batch_upload"), {
            "partner": "tax", "kind": "deaths", "file": SimpleUploadedFile("a.csv", MIXED, content_type="text/csv")})
    assert r.status_code == 422 and "该交换方不报送这类数据" in r.content.decode()
    pdf = client.post(reverse("integrations:batch_upload"), {
        "partner": "tax", "kind": "contributions",
        "file": SimpleUploadedFile("a.csv", b"%PDF-1.4\n%%EOF\n", content_type="text/csv")})
    assert pdf.status_code == 422 and "数据交换只接收 CSV" in pdf.content.decode()
    empty = client.post(reverse("integrations:batch_upload"), {"partner": "tax", "kind": "contributions"})
    assert empty.status_code == 422 and "请选择交换方提供的数据文件" in empty.content.decode()
    assert not ExchangeBatch.objects.exists()


def test_a_duplicate_links_to_its_original(fake_partner, exchange_admin):
    first = _receive(exchange_admin)
    second = _receive(exchange_admin)
    html = _client(exchange_admin).get(reverse("integrations:batch_detail", args=[second.pk])).content.decode()
    assert "重复批次（未再处理）" in html and reverse("integrations:batch_detail", args=[first.pk]) in html
    assert "数据没有任何变化" in html


def test_a_processing_batch_refreshes_itself(exchange_admin):
    batch = ExchangeBatchFactory(status=BatchStatus.RECEIVED)
    client = _client(exchange_admin)
    detail = client.get(reverse("integrations:batch_detail", args=[batch.pk])).content.decode()
    assert reverse("integrations:batch_progress", args=[batch.pk]) in detail and "本页会自动更新" in detail
    polled = client.get(reverse("integrations:batch_progress", args=[batch.pk]))
    assert polled.status_code == 200 and "HX-Refresh" not in polled
    ExchangeBatch.objects.filter(pk=batch.pk).update(status=BatchStatus.DONE)
    finished = client.get(reverse("integrations:batch_progress", args=[batch.pk]))
    assert finished["HX-Refresh"] == "true"


def test_retry_a_failed_batch_with_confirmation(exchange_admin):
    class Broken(FakeAdapter):
        def process(self, batch, stream):
            raise FormatError("第 1 行表头不对，请按约定格式导出。")

    with registered(Broken):
        batch = _receive(exchange_admin)
    client = _client(exchange_admin)
    html = client.get(reverse("integrations:batch_detail", args=[batch.pk])).content.decode()
    assert "第 1 行表头不对，请按约定格式导出。" in html
    assert 'id="batch-retry" data-confirm="确定按已保存的文件重新处理批次' in html
    url = reverse("integrations:batch_retry", args=[batch.pk])
    assert client.get(url).status_code == 405
    with registered():
        r = client.post(url)
    assert r.status_code == 302
    batch.refresh_from_db()
    assert (batch.status, batch.accepted) == (BatchStatus.DONE, 2)
    again = client.post(url, follow=True)
    assert "只有处理失败的批次才能重新处理" in again.content.decode()


def test_other_regions_batches_are_not_found(fake_partner, exchange_admin, other_exchange_admin):
    batch = _receive(exchange_admin)
    client = _client(other_exchange_admin)
    assert client.get(reverse("integrations:batch_detail", args=[batch.pk])).status_code == 404
    assert client.get(reverse("integrations:batch_errors_csv", args=[batch.pk])).status_code == 404
    dead = DeadLetter.objects.get()
    r = client.post(reverse("integrations:dead_letter_resolve", args=[dead.pk]), {"note": "已处理"})
    assert r.status_code == 404 and DeadLetter.objects.get().status == DeadLetterStatus.OPEN


def test_errors_download_page(fake_partner, exchange_admin):
    batch = _receive(exchange_admin)
    r = _client(exchange_admin).get(reverse("integrations:batch_errors_csv", args=[batch.pk]))
    text = b"".join(r.streaming_content).decode()
    assert r.status_code == 200 and "王*" in text and "王芳" not in text


def test_dead_letters_are_masked_and_resolved_with_a_note(fake_partner, exchange_admin):
    batch = _receive(exchange_admin)
    dead = DeadLetter.objects.get()
    client = _client(exchange_admin)
    html = client.get(reverse("integrations:dead_letters")).content.decode()
    assert f'id="dead-letter-{dead.pk}"' in html and "ref=A3；name=王*；id_number=37**" in html
    assert "王芳" not in html and 'data-confirm="确定将批次' in html and f"#{batch.pk}" in html
    url = reverse("integrations:dead_letter_resolve", args=[dead.pk])
    assert client.get(url).status_code == 405
    blank = client.post(url, {"note": ""}, follow=True)
    assert "请填写处理说明" in blank.content.decode()
    assert DeadLetter.objects.get().status == DeadLetterStatus.OPEN
    r = client.post(url, {"note": "已通知税务局更正", "next": "https://evil.example/"})
    assert r.status_code == 302 and r["Location"] == reverse("integrations:dead_letters")
    dead.refresh_from_db()
    assert (dead.status, dead.note, dead.resolved_by) == (DeadLetterStatus.RESOLVED, "已通知税务局更正", exchange_admin)
    assert f'id="dead-letter-{dead.pk}"' not in client.get(reverse("integrations:dead_letters")).content.decode()
    resolved = client.get(reverse("integrations:dead_letters") + "?status=resolved").content.decode()
    assert "已通知税务局更正" in resolved


def test_anonymous_is_sent_to_the_staff_login():
    r = Client().get(reverse("integrations:batch_list"))
    assert r.status_code == 302 and "/accounts/login" in r["Location"]
