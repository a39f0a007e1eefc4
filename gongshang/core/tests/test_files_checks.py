"""The content check of every upload (core.files.checks, .pdf, .markup): whole images under a pixel
cap, no web page inside a picture, PDFs parsed and free of scripts and automatic actions."""

import io

import pytest
from PIL import Image, ImageFile

from gongshang.core.errors import CoreErrorCode, DomainError
from gongshang.core.files import markup
from gongshang.core.files.checks import check_content, content_problem
from gongshang.core.files.pdf import MAX_OBJECTS, pdf_problem

from . import hostile_files as h

BOMB = h.png_bomb()


def refusal(data: bytes, mime: str, **kwargs) -> DomainError:
    with pytest.raises(DomainError) as exc:
        check_content(io.BytesIO(data), mime, **kwargs)
    return exc.value


@pytest.mark.parametrize(("data", "mime", "code"), [
    (h.polyglot_jpeg(), "image/jpeg", CoreErrorCode.FILE_ACTIVE_CONTENT),
    (h.magic_then_page(), "image/jpeg", CoreErrorCode.FILE_DAMAGED),
    (BOMB, "image/png", CoreErrorCode.FILE_TOO_MANY_PIXELS),
    (h.pdf_open_action_js(), "application/pdf", CoreErrorCode.FILE_ACTIVE_CONTENT),
], ids=["jpeg-html-polyglot", "ffd8ffe0-then-html", "png-30000x30000", "pdf-openaction-js"])
def test_the_four_hostile_files_are_refused_with_422_naming_the_field(data, mime, code):
    error = refusal(data, mime, field="file", label="材料文件")
    assert (error.status, error.code) == (422, code)
    assert error.details == [{"field": "file", "message": error.message}]
    assert error.message.startswith("材料文件") and "请" in error.message  # what is wrong, and what to do


def test_pdf_script_message_says_how_to_fix_it():
    message = refusal(h.pdf_open_action_js(), "application/pdf", label="材料文件").message
    assert message == "材料文件含有脚本、自动动作或附件，请用“打印为 PDF”另存为普通 PDF 后上传。"


def test_pixel_bomb_is_refused_from_its_header_without_decoding(monkeypatch):
    def no_decoding(self, *args, **kwargs):
        raise AssertionError("pixels were decoded")

    monkeypatch.setattr(Image.Image, "load", no_decoding)
    assert len(BOMB) < 200 * 1024
    assert content_problem(io.BytesIO(BOMB), "image/png") == "too_many_pixels"


def test_progressive_jpeg_with_hundreds_of_scans_is_refused_before_decoding(monkeypatch):
    """A JPEG scan bomb: small, few pixels, but every repeated scan is another pass over the picture."""
    bomb = h.jpeg_scan_bomb()
    assert len(bomb) < 100 * 1024
    monkeypatch.setattr("gongshang.core.files.evidence._load_strictly",
                        lambda img: (_ for _ in ()).throw(AssertionError("pixels were decoded")))
    error = refusal(bomb, "image/jpeg", field="file", label="材料文件")
    assert (error.status, error.code) == (422, CoreErrorCode.FILE_TOO_COMPLEX)
    assert error.message.startswith("材料文件是分段扫描过多（超过 150 段）的 JPEG 图片") and "重新保存" in error.message


def test_ordinary_progressive_jpegs_pass():
    assert content_problem(io.BytesIO(h.jpeg_bytes(size=(800, 600), progressive=True)), "image/jpeg") is None
    assert content_problem(io.BytesIO(h.jpeg_scan_bomb(side=64, extra_scans=100)), "image/jpeg") is None


def test_pixel_cap_is_a_setting(settings):
    picture = h.png_bytes(size=(2000, 1000))
    settings.UPLOAD_MAX_PIXELS = 1_000_000
    assert content_problem(io.BytesIO(picture), "image/png") == "too_many_pixels"
    settings.UPLOAD_MAX_PIXELS = 2_000_000
    assert content_problem(io.BytesIO(picture), "image/png") is None


@pytest.mark.parametrize("data", [h.jpeg_with_page_after_end(), h.jpeg_bytes(comment=b"<SCRIPT src=//x>")])
def test_a_page_after_the_image_or_in_upper_case_is_found(data):
    assert content_problem(io.BytesIO(data), "image/jpeg") == "active_content"


def test_truncated_image_is_refused_even_when_pillow_is_relaxed(monkeypatch):
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)  # as WeasyPrint sets it
    whole = h.jpeg_bytes(size=(300, 200))
    assert content_problem(io.BytesIO(whole[: len(whole) // 2]), "image/jpeg") == "undecodable"
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True


@pytest.mark.parametrize("data", [h.jpeg_bytes(), h.png_bytes(), h.jpeg_bytes(comment=b"scanned by HP, onerror")])
def test_clean_images_pass(data):
    mime = "image/png" if data.startswith(b"\x89PNG") else "image/jpeg"
    check_content(io.BytesIO(data), mime)


def test_markup_split_across_two_blocks_is_found(monkeypatch):
    monkeypatch.setattr(markup, "BLOCK", 64)
    data = b"\x00" * 60 + b"<script>" + b"\x00" * 100
    assert markup.markup_found(io.BytesIO(data))
    assert not markup.markup_found(io.BytesIO(b"\x00" * 60 + b"<scrip" + b"\x00" * 100))


@pytest.mark.parametrize(("builder", "reason"), [
    (h.pdf_open_action_js, "active_content"),
    (h.pdf_named_js, "active_content"),
    (h.pdf_page_action_js, "active_content"),
    (h.pdf_launch, "active_content"),
    (h.pdf_with_attachment, "active_content"),
    (lambda: h.pdf_encrypted("secret"), "encrypted"),
    (lambda: h.clean_pdf()[:300], "damaged"),
    (lambda: h.clean_pdf()[:-20], "damaged"),
    (lambda: b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n" + b" " * 300, "damaged"),
    (lambda: b"%PDF-1.4\n" + h.PAGE, "damaged"),
], ids=["openaction-js", "names-js", "page-aa", "launch", "attachment", "password", "truncated", "no-eof",
        "no-pages", "html-after-magic"])
def test_pdf_problems(builder, reason):
    assert pdf_problem(io.BytesIO(builder())) == reason


@pytest.mark.parametrize("builder", [h.clean_pdf, h.pdf_opening_at_page, h.pdf_with_link, lambda: h.pdf_encrypted("")],
                         ids=["blank", "open-at-page", "uri-link", "restrictions-without-password"])
def test_ordinary_pdfs_pass(builder):
    check_content(io.BytesIO(builder()), "application/pdf")


def test_pdf_generated_by_weasyprint_passes():
    from weasyprint import HTML

    pdf = HTML(string="<h1>工伤认定决定书</h1><a href='https://www.example.com'>核验</a><a href='#x'>跳转</a>"
                      "<h2 id='x'>附录</h2>").write_pdf()
    assert pdf_problem(io.BytesIO(pdf)) is None


def test_pdf_with_too_many_objects_is_refused(monkeypatch):
    monkeypatch.setattr("gongshang.core.files.pdf.MAX_OBJECTS", 2)
    assert MAX_OBJECTS > 1000
    assert pdf_problem(io.BytesIO(h.clean_pdf())) == "damaged"


def test_other_kinds_pass_unchanged():
    assert content_problem(io.BytesIO(b"PK\x03\x04 not really a sheet"), "application/vnd.ms-excel") is None


def test_an_upload_already_found_whole_is_not_decoded_again(monkeypatch):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from gongshang.core.files import evidence

    upload = SimpleUploadedFile("scene.png", h.png_bytes(size=(2000, 1000)))
    other = SimpleUploadedFile("other.png", h.png_bytes())
    assert evidence.image_problem(upload) is None  # as the quick report checks its photos
    opened = []

    def counting_open(*args, **kwargs):
        opened.append(args)
        raise OSError("opened again")

    monkeypatch.setattr(Image, "open", counting_open)
    assert content_problem(upload, "image/png") is None
    assert content_problem(upload, "image/png", max_pixels=1_000_000) == "too_many_pixels"
    assert opened == []
    assert content_problem(other, "image/png") == "undecodable"  # not checked before: opened (here: refused)
    assert len(opened) == 1
