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
