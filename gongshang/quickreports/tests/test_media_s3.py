"""Evidence on S3: the production storage (django-storages S3Storage, configured as
config/settings/base.py does from S3_BUCKET) against a local S3 server (moto). A quick report's
photo is stored by core.files, its watermarked copy derived from the stored original, and both
are served through the app (the app streams files; it hands out no S3 addresses)."""

import hashlib
import runpy
from pathlib import Path

import pytest
from django.urls import reverse

from gongshang.core.files.storage import open_stored
from gongshang.core.tests.ports import unused_port
from gongshang.quickreports.models import QuickReportMedia

from .media_fixtures import photo

BASE_SETTINGS = Path(__file__).resolve().parents[3] / "config" / "settings" / "base.py"
BUCKET = "gongshang-evidence"



@pytest.fixture
def s3(settings, monkeypatch):
    """A moto S3 server on 127.0.0.1 and the storage settings base.py derives for it."""
    server_module = pytest.importorskip("moto.server", reason="moto[server] is not installed "
                                        "(pip install 'moto[server]', in the test extra)")
    import boto3

    port = unused_port()
    server = server_module.ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    try:
        environment = {"S3_BUCKET": BUCKET, "S3_ENDPOINT_URL": endpoint, "S3_ACCESS_KEY_ID": "test-key",
                       "S3_SECRET_ACCESS_KEY": "test-secret", "S3_REGION": "us-east-1"}
        for name, value in environment.items():
            monkeypatch.setenv(name, value)
        storages = runpy.run_path(str(BASE_SETTINGS))["STORAGES"]
        assert storages["default"]["BACKEND"] == "storages.backends.s3.S3Storage"
        settings.STORAGES = {**settings.STORAGES, "default": storages["default"]}
        client = boto3.client("s3", endpoint_url=endpoint, aws_access_key_id="test-key",
                              aws_secret_access_key="test-secret", region_name="us-east-1")
        client.create_bucket(Bucket=BUCKET)
        yield client
    finally:
        server.stop()


@pytest.mark.django_db
def test_evidence_is_stored_on_s3_and_served_through_the_app(s3, client, worker, submit, staff_factory):
    upload = photo(name="现场.jpg")
    sent = upload.read()
    upload.seek(0)
    submit(worker, photos=[upload])
    media = QuickReportMedia.objects.select_related("original", "watermarked").get()

    keys = {item["Key"] for item in s3.list_objects_v2(Bucket=BUCKET)["Contents"]}
    assert media.original.storage_path in keys and media.watermarked.storage_path in keys
    stored = s3.get_object(Bucket=BUCKET, Key=media.original.storage_path)["Body"].read()
    assert stored == sent  # the original unchanged, byte for byte
    assert hashlib.sha256(stored).hexdigest() == media.original.sha256
    with open_stored(media.original) as handle:
        assert handle.read() == sent

    client.force_login(staff_factory("intake"))
    original = client.get(reverse("quickreports:media", args=[media.pk, "original"]))
    assert original.status_code == 200 and original["Content-Type"] == "image/jpeg"
    assert b"".join(original.streaming_content) == sent
    assert original["X-Content-SHA256"] == media.original.sha256
    marked = client.get(reverse("quickreports:media", args=[media.pk, "watermarked"]))
    body = b"".join(marked.streaming_content)
    assert marked.status_code == 200 and body[:2] == b"\xff\xd8" and body != sent
    assert hashlib.sha256(body).hexdigest() == media.watermarked.sha256
