"""The quick structural check of an uploaded image (evidence.image_structure_problem): what a
quick-report submission waits for, with no pixel decoded; the full decode follows in a task."""

import io

import pytest
from PIL import Image

from gongshang.core.files import evidence
from gongshang.core.tests import hostile_files as hostile


def check(data: bytes, **kw):
    return evidence.image_structure_problem(io.BytesIO(data), **kw)


def test_whole_jpeg_png_and_webp_pass():
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 20, 30)).save(buffer, "WEBP")
    assert check(hostile.jpeg_bytes()) is None
    assert check(hostile.png_bytes()) is None
    assert check(buffer.getvalue()) is None


def test_zero_padding_after_the_end_marker_is_allowed():
    assert check(hostile.jpeg_bytes() + b"\x00" * 32) is None


@pytest.mark.parametrize("maker", [hostile.jpeg_bytes, hostile.png_bytes])
def test_a_file_cut_short_is_undecodable(maker):
    whole = maker()
    assert check(whole[: len(whole) * 2 // 3]) == "undecodable"


def test_a_picture_carrying_a_page_is_left_to_the_full_check():
    """The quick check does not scan for markup (about 10 ms a megabyte): the full check does."""
    for data in (hostile.polyglot_jpeg(), hostile.jpeg_with_page_after_end()):
        assert check(data) in (None, "undecodable")
        assert evidence.image_problem(io.BytesIO(data)) in ("active_content", "undecodable")
    assert check(hostile.jpeg_with_page_after_end()) is None


def test_the_end_marker_is_found_past_the_last_block(monkeypatch):
    """A motion photo's video after the end marker is longer than the block read from the end."""
    monkeypatch.setattr(evidence, "TAIL_BYTES", 16)
    assert check(hostile.jpeg_bytes(size=(400, 300)) + b"\x00" * 64) is None
    whole = hostile.jpeg_bytes()
    assert check(whole[: len(whole) // 2] + b"\x00" * 64) == "undecodable"


def test_pixels_and_scans_are_counted_without_decoding(monkeypatch):
    bomb, scans, big = hostile.png_bomb(), hostile.jpeg_scan_bomb(), hostile.jpeg_bytes(size=(400, 300))
    whole = hostile.jpeg_bytes()

    def no_decoding(self, *args, **kwargs):
        raise AssertionError("pixels were decoded")

    monkeypatch.setattr(Image.Image, "load", no_decoding)
    assert check(bomb) == "too_many_pixels"
    assert check(scans) == "too_many_scans"
    assert check(big, max_pixels=100_000) == "too_many_pixels"
    assert check(whole) is None


def test_not_an_image_is_undecodable():
    assert check(b"hello world") == "undecodable"


# Whole phone photos the full decode accepts pass the quick check too.
def _mpo() -> bytes:
    """A phone's multi-picture JPEG (MPF: Ultra HDR gain map, depth map); Pillow opens it as "MPO"."""
    buffer = io.BytesIO()
    Image.new("RGB", (400, 300), (1, 2, 3)).save(buffer, "MPO", save_all=True,
                                                 append_images=[Image.new("RGB", (100, 75), (9, 9, 9))])
    return buffer.getvalue()


def _motion_photo() -> bytes:
    """A Google/Samsung motion photo: the JPEG, then an MP4 after its end marker (no markup)."""
    return hostile.jpeg_bytes(size=(400, 300)) + b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 16


def _png_with_trailer() -> bytes:
    return hostile.png_bytes() + b"editor-trailer-" * 4


@pytest.mark.parametrize("maker", [_mpo, _motion_photo, _png_with_trailer],
                         ids=["mpo_multi_picture_jpeg", "motion_photo_mp4_after_eoi", "png_trailing_bytes"])
def test_whole_phone_photos_pass_the_quick_check(maker):
    data = maker()
    assert evidence.image_problem(io.BytesIO(data)) is None
    assert check(data) is None


def test_a_multi_picture_jpeg_cut_short_is_undecodable():
    data = _mpo()
    assert check(data[: len(data) // 3]) == "undecodable"


def _jpeg_taken_at(taken) -> bytes:
    exif = Image.Exif()
    if taken is not None:
        exif.get_ifd(evidence.EXIF_IFD)[evidence.DATETIME_ORIGINAL] = taken.strftime("%Y:%m:%d %H:%M:%S")
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 80, 40)).save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def test_the_photo_check_reads_the_capture_time_in_the_same_opening(monkeypatch):
    """photo_quick_check: the verdict of image_structure_problem and the EXIF time of
    photo_capture_time, with the file opened once; no time for a file the checks refuse."""
    from datetime import datetime

    from django.utils import timezone

    taken = timezone.make_aware(datetime(2026, 11, 23, 9, 30, 12))
    data = _jpeg_taken_at(taken)
    opened = []
    real_open = Image.open
    monkeypatch.setattr(Image, "open", lambda *a, **k: opened.append(1) or real_open(*a, **k))
    assert evidence.photo_quick_check(io.BytesIO(data)) == (None, taken)
    assert len(opened) == 1
    assert evidence.photo_capture_time(io.BytesIO(data)) == taken
    assert evidence.photo_quick_check(io.BytesIO(_jpeg_taken_at(None))) == (None, None)
    assert evidence.photo_quick_check(io.BytesIO(data[: len(data) * 2 // 3])) == ("undecodable", None)
    assert evidence.photo_quick_check(io.BytesIO(data), max_pixels=10) == ("too_many_pixels", None)


def _png_taken_at(taken, *, exif_after_pixels: bool, size=(64, 48)) -> bytes:
    """A PNG whose eXIf chunk holds `taken` (none when None), before or after its image data."""
    import struct
    import zlib

    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 80, 40)).save(buffer, "PNG")
    data = buffer.getvalue()
    if taken is None:
        return data
    exif = Image.Exif()
    exif.get_ifd(evidence.EXIF_IFD)[evidence.DATETIME_ORIGINAL] = taken.strftime("%Y:%m:%d %H:%M:%S")
    payload = exif.tobytes()
    chunk = struct.pack(">I", len(payload)) + b"eXIf" + payload + struct.pack(">I", zlib.crc32(b"eXIf" + payload))
    at = data.rfind(b"IEND") - 4 if exif_after_pixels else data.find(b"IDAT") - 4
    return data[:at] + chunk + data[at:]


def test_the_capture_time_of_a_png_is_read_without_decoding_its_pixels(monkeypatch):
    """A PNG may put its eXIf chunk after the image data, and Pillow's getexif() then decodes the
    whole picture to reach it: 0.7 s and 190 MB for a 200 KB PNG of 62 MP, on the request path the
    quick check keeps free of decoding. The chunk is found by walking the chunk headers instead."""
    from datetime import datetime

    from django.utils import timezone
    from PIL import ImageFile

    taken = timezone.make_aware(datetime(2026, 11, 23, 9, 30, 12))
    after, before = (_png_taken_at(taken, exif_after_pixels=True), _png_taken_at(taken, exif_after_pixels=False))
    without = _png_taken_at(None, exif_after_pixels=True)

    def no_decoding(self, *args, **kwargs):
        raise AssertionError("pixels were decoded")

    monkeypatch.setattr(Image.Image, "load", no_decoding)
    monkeypatch.setattr(ImageFile.ImageFile, "load", no_decoding)
    assert evidence.photo_quick_check(io.BytesIO(after)) == (None, taken)
    assert evidence.photo_quick_check(io.BytesIO(before)) == (None, taken)
    assert evidence.photo_quick_check(io.BytesIO(without)) == (None, None)
    assert evidence.photo_capture_time(io.BytesIO(after)) == taken
    monkeypatch.undo()
    assert evidence.image_problem(io.BytesIO(after)) is None  # a whole PNG all the same
