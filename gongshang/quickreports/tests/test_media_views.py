"""Serving evidence (views.media): the reporter's original as a sandboxed attachment, the
watermarked copy we re-encoded ourselves inline; both with their detected type and nosniff."""

import pytest
from django.urls import reverse

from gongshang.quickreports.models import QuickReportMedia

from .media_fixtures import photo

pytestmark = pytest.mark.django_db


def test_original_is_an_attachment_and_the_watermarked_copy_is_inline(client, worker, submit, staff_factory):
    submit(worker, photos=[photo(name="现场.html")])
    media = QuickReportMedia.objects.get()
    client.force_login(staff_factory("intake"))
    original = client.get(reverse("quickreports:media", args=[media.pk, "original"]))
    assert original.status_code == 200 and original["Content-Type"] == "image/jpeg"
    assert original["Content-Disposition"] == (
        f"attachment; filename=\"evidence-{media.pk}.jpg\"; filename*=UTF-8''evidence-{media.pk}.jpg")
    marked = client.get(reverse("quickreports:media", args=[media.pk, "watermarked"]))
    assert marked.status_code == 200 and marked["Content-Type"] == "image/jpeg"
    assert marked["Content-Disposition"].startswith(f'inline; filename="evidence-{media.pk}-watermarked.jpg"')
    for response in (original, marked):
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Security-Policy"] == "sandbox"
        assert response["X-Content-SHA256"] and response["Cache-Control"] == "private, max-age=300"
    assert media.original.original_name == "现场.jpg"


@pytest.mark.parametrize("role", ["hotline", "benefits_reviewer", "system_admin"])
def test_other_roles_of_the_region_get_403(client, worker, submit, staff_factory, role):
    submit(worker, photos=[photo()])
    media = QuickReportMedia.objects.get()
    client.force_login(staff_factory(role))
    assert client.get(reverse("quickreports:media", args=[media.pk, "watermarked"])).status_code == 403


def test_staff_of_another_region_and_strangers_get_404(client, worker, submit, staff_factory, bystander):
    submit(worker, photos=[photo()])
    media = QuickReportMedia.objects.get()
    url = reverse("quickreports:media", args=[media.pk, "watermarked"])
    client.force_login(staff_factory("intake", jurisdiction="370100"))
    assert client.get(url).status_code == 404
    client.force_login(bystander)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 404


def test_reporter_and_its_employer_see_the_evidence(client, worker, submit, employer_user_a):
    submit(worker, photos=[photo()])
    media = QuickReportMedia.objects.get()
    url = reverse("quickreports:media", args=[media.pk, "watermarked"])
    for account in (worker, employer_user_a):
        client.force_login(account)
        assert client.get(url).status_code == 200
