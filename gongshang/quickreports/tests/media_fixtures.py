"""Tiny evidence files built in the tests: JPEGs with or without EXIF capture time, MP4 via ffmpeg."""

import io
import shutil
import subprocess
from datetime import UTC, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

EXIF_IFD, DATETIME_ORIGINAL = 0x8769, 36867


def jpeg_bytes(captured_at: datetime | None = None, size=(64, 48), color=(200, 80, 40)) -> bytes:
    img = Image.new("RGB", size, color)
    exif = Image.Exif()
    if captured_at is not None:
        exif.get_ifd(EXIF_IFD)[DATETIME_ORIGINAL] = timezone.localtime(captured_at).strftime("%Y:%m:%d %H:%M:%S")
    buffer = io.BytesIO()
    img.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def photo(captured_at=None, name="scene.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jpeg_bytes(captured_at), content_type="image/jpeg")


def mp4_bytes(tmp_path, *, created: datetime | None, seconds: float = 1.0) -> bytes:
    if not shutil.which("ffmpeg"):
        pytest.skip("ffmpeg not installed: cannot build a test video")
    out = tmp_path / "clip.mp4"
    cmd = ["ffmpeg", "-y", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc=size=96x64:rate=5",
           "-t", str(seconds), "-pix_fmt", "yuv420p"]
    if created is not None:
        stamp = created.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        cmd += ["-metadata", f"creation_time={stamp}"]
    cmd += [str(out)]
    subprocess.run(cmd, check=True)
    return out.read_bytes()
