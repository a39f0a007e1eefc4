"""Evidence helpers: embedded capture times (EXIF, MediaInfo/ffprobe) and watermarked copies.

The original is never touched: metadata is read from the upload and the watermark is drawn on
a decoded, downscaled copy saved as a new JPEG.
"""

import glob
import io
import json
import logging
import os
import re
import shutil
import struct
import subprocess
import tempfile
import threading
import warnings
import weakref
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from datetime import timezone as dt_timezone

from django.utils import timezone
from PIL import Image, ImageDraw, ImageFile, ImageFont, ImageOps

from .markup import markup_found

logger = logging.getLogger(__name__)

EXIF_IFD = 0x8769
DATETIME_ORIGINAL, DATETIME_DIGITIZED, OFFSET_TIME_ORIGINAL = 36867, 36868, 36881
WATERMARK_MAX_SIDE = 2048
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
)
FONT_GLOBS = ("/usr/share/fonts/**/*[Cc][Jj][Kk]*", "/usr/share/fonts/**/wqy*", "/usr/local/share/fonts/**/*")
Image.MAX_IMAGE_PIXELS = 80_000_000  # a phone photo is < 50 MP; refuse decompression bombs
DEFAULT_MAX_PIXELS = 64_000_000  # 50 MP phone modes fit; an image bigger than this is refused unread
# A progressive JPEG is decoded scan by scan, each pass over every block of the picture: a 1.2 MB
# file of 10,000 near-empty scans of a 62 MP picture costs 43 s of CPU. Cameras and editors write
# 1 to 10 scans per picture (a phone's multi-picture file holds a few pictures); libjpeg-turbo's
# djpeg offers -maxscans for the same reason. Counted as SOS markers (FF DA) in the whole file.
MAX_JPEG_SCANS = 150
SOS_MARKER = b"\xff\xda"
SOS_PATTERN = re.compile(re.escape(SOS_MARKER))
COPY_CHUNK = 1 << 20
TAIL_BYTES = 64 * 1024
# Walking a PNG's chunks for an eXIf after the image data: encoders write 8 to 64 KB per IDAT chunk
# (a 20 MB photo: a few thousand chunks); a file of millions of empty chunks is cut off here.
PNG_MAX_CHUNKS = 100_000
PNG_MAX_EXIF_BYTES = 1 << 20


def parse_exif_datetime(value, offset=None) -> datetime | None:
    """'2026:11:23 09:30:12' (+ optional '+08:00') → aware datetime; local time when no offset."""
    try:
        naive = datetime.strptime(str(value).strip().rstrip("\x00")[:19], "%Y:%m:%d %H:%M:%S")
    except (TypeError, ValueError):
        return None
    tz = timezone.get_default_timezone()  # EXIF times without an offset are local (TIME_ZONE)
    text = str(offset or "").strip().rstrip("\x00")
    if len(text) == 6 and text[0] in "+-" and text[3] == ":":
        try:
            minutes = int(text[1:3]) * 60 + int(text[4:6])
            tz = dt_timezone(timedelta(minutes=minutes if text[0] == "+" else -minutes))
        except ValueError:
            tz = timezone.get_default_timezone()  # EXIF times without an offset are local (TIME_ZONE)
    return naive.replace(tzinfo=tz)


def photo_capture_time(fileobj) -> datetime | None:
    """EXIF DateTimeOriginal (or DateTimeDigitized) of an image; None when absent or unreadable."""
    try:
        fileobj.seek(0)
        with Image.open(fileobj) as img:
            return _capture_time(img, fileobj)
    except Exception:  # unreadable metadata means "no capture time", never a crash
        return None
    finally:
        fileobj.seek(0)


def _capture_time(img, fileobj) -> datetime | None:
    try:
        exif = (_png_exif(img, fileobj) if img.format == "PNG" else img.getexif()).get_ifd(EXIF_IFD)
    except Exception:  # unreadable metadata means "no capture time", never a crash
        return None
    value = exif.get(DATETIME_ORIGINAL) or exif.get(DATETIME_DIGITIZED)
    return parse_exif_datetime(value, exif.get(OFFSET_TIME_ORIGINAL)) if value else None


def _png_exif(img, fileobj) -> Image.Exif:
    """A PNG's EXIF without decoding its pixels. Pillow's PngImageFile.getexif() decodes the whole
    picture when no eXIf chunk precedes the image data (the chunk may follow it): a 200 KB PNG of
    62 MP then costs 0.7 s and 190 MB. What the chunks before the data carry is read as Pillow
    reads it; an eXIf chunk after the data is found by walking the chunk headers."""
    exif = Image.Image.getexif(img)  # the base method: the header chunks only, nothing decoded
    if "exif" in img.info or exif.get_ifd(EXIF_IFD):
        return exif
    data = _png_chunk(fileobj, b"eXIf")
    if data:
        exif = Image.Exif()
        exif.load(data)
    return exif


def _png_chunk(fileobj, wanted: bytes) -> bytes | None:
    """The data of the first `wanted` chunk, reading chunk headers only (8 bytes each, the data
    skipped); None when absent, too large, past PNG_MAX_CHUNKS chunks, or cut short."""
    fileobj.seek(8)  # the signature
    for _ in range(PNG_MAX_CHUNKS):
        header = fileobj.read(8)
        if len(header) < 8:
            return None
        length, kind = struct.unpack(">I4s", header)
        if kind == wanted:
            data = fileobj.read(length) if length <= PNG_MAX_EXIF_BYTES else b""
            return data if data and len(data) == length else None
        if kind == b"IEND":
            return None
        fileobj.seek(length + 4, os.SEEK_CUR)  # the data and its CRC
    return None


def image_problem(fileobj, *, max_pixels: int = DEFAULT_MAX_PIXELS) -> str | None:
    """None for a whole, decodable image; else "too_many_pixels", "too_many_scans", "undecodable" or
    "active_content".

    The size is read from the header and checked BEFORE any pixel is decoded (a 371 KB PNG can
    decode to 1.4 GB); then the image is decoded completely (JPEG at reduced scale: same bytes
    read, little memory) after its scans are counted (a progressive JPEG of thousands of scans is
    a CPU bomb), so a truncated file is refused here and not while writing. A picture
    that decodes but carries a web page (an image/HTML polyglot) is "active_content".
    """
    try:
        fileobj.seek(0)
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(fileobj) as img:
                width, height = img.size
                if width * height > max_pixels:
                    return "too_many_pixels"
                if img.format == "JPEG":
                    if jpeg_scans(fileobj) > MAX_JPEG_SCANS:
                        return "too_many_scans"
                    img.draft("RGB", (WATERMARK_MAX_SIDE, WATERMARK_MAX_SIDE))
                _load_strictly(img)
        if markup_found(fileobj):
            return "active_content"
        _remember_whole(fileobj, width * height)
        return None
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        return "too_many_pixels"
    except Exception:  # truncated, corrupt or unknown: not an image we can use
        return "undecodable"
    finally:
        fileobj.seek(0)


def _tail(fileobj, n: int = 64) -> bytes:
    fileobj.seek(0, os.SEEK_END)
    size = fileobj.tell()
    fileobj.seek(max(0, size - n))
    return fileobj.read(n)


def _ends_whole(img, fileobj) -> bool:
    """The image's data reaches its end, judged without decoding: JPEG (and a phone's multi-picture
    MPO) has an end-of-image marker (FF D9) after the start of its scan data (what follows it, such
    as a motion photo's video, is allowed); PNG has its IEND chunk (trailing bytes allowed); WebP is
    as long as its RIFF header declares. A download cut short fails this; the full decode in the
    task catches what this cannot."""
    fmt = img.format
    if fmt in ("JPEG", "MPO"):
        start = img.tile[0][2] if img.tile else 0
        return _find(fileobj, b"\xff\xd9", start)
    if fmt == "PNG":
        return _find(fileobj, b"IEND", 8)
    if fmt == "WEBP":
        fileobj.seek(0)
        head = fileobj.read(8)
        fileobj.seek(0, os.SEEK_END)
        return len(head) == 8 and int.from_bytes(head[4:8], "little") + 8 <= fileobj.tell()
    return False


def _find(fileobj, needle: bytes, start: int) -> bool:
    """Whether `needle` occurs at or after `start`; the file's last block first (where an end
    marker normally is), then the whole file in blocks (a marker split across two blocks is found)."""
    fileobj.seek(0, os.SEEK_END)
    size = fileobj.tell()
    tail_start = max(start, size - TAIL_BYTES)
    fileobj.seek(tail_start)
    if needle in fileobj.read(TAIL_BYTES):
        return True
    fileobj.seek(start)
    tail = b""
    while block := fileobj.read(COPY_CHUNK):
        if needle in tail + block:
            return True
        tail = block[-(len(needle) - 1):]
    return False


def image_structure_problem(fileobj, *, max_pixels: int = DEFAULT_MAX_PIXELS) -> str | None:
    """The quick checks a submission waits for (no pixel decoded): the pixel count from the header,
    the JPEG scan count and the file's end where the format puts it. The full check
    (`image_problem`: every pixel decoded, and no web page inside) follows off the request path,
    before anything is derived from the file or shown. Same reasons as `image_problem`."""
    return _quick_check(fileobj, max_pixels, with_capture_time=False)[0]


def photo_quick_check(fileobj, *, max_pixels: int = DEFAULT_MAX_PIXELS) -> tuple[str | None, datetime | None]:
    """(`image_structure_problem`, `photo_capture_time`) with one opening of the file; the capture
    time is read only once the checks have passed (None otherwise)."""
    return _quick_check(fileobj, max_pixels, with_capture_time=True)


def _quick_check(fileobj, max_pixels: int, *, with_capture_time: bool) -> tuple[str | None, datetime | None]:
    try:
        fileobj.seek(0)
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(fileobj) as img:
                width, height = img.size
                if width * height > max_pixels:
                    return "too_many_pixels", None
                if img.format in ("JPEG", "MPO") and jpeg_scans(fileobj) > MAX_JPEG_SCANS:
                    return "too_many_scans", None
                if not _ends_whole(img, fileobj):
                    return "undecodable", None
                return None, _capture_time(img, fileobj) if with_capture_time else None
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        return "too_many_pixels", None
    except Exception:
        return "undecodable", None
    finally:
        fileobj.seek(0)


def jpeg_scans(fileobj) -> int:
    """How many start-of-scan markers the file holds (an upper bound on the scans libjpeg decodes:
    entropy-coded data never holds FF DA, metadata rarely). Streams; leaves the position as found."""
    position = fileobj.tell()
    count, tail = 0, b""
    try:
        fileobj.seek(0)
        while block := fileobj.read(COPY_CHUNK):
            window = tail + block
            count += len(SOS_PATTERN.findall(window))  # three times faster than bytes.count here
            tail = window[-1:] if window[-1:] == b"\xff" else b""  # a marker split across two blocks
        return count
    finally:
        fileobj.seek(position)


# Uploads already found whole (→ their pixel count), so that storing one after its check does
# not decode it a second time. Weak: an entry goes with its upload at the end of the request.
_WHOLE_IMAGES = weakref.WeakKeyDictionary()


def _remember_whole(fileobj, pixels: int) -> None:
    try:
        _WHOLE_IMAGES[fileobj] = pixels
    except TypeError:  # an object that takes no weak reference: simply checked again later
        pass


def checked_pixels(fileobj) -> int | None:
    """The pixel count of an upload `image_problem` already found whole, else None."""
    try:
        return _WHOLE_IMAGES.get(fileobj)
    except TypeError:
        return None


_STRICT_LOAD = threading.Lock()


def _load_strictly(img) -> None:
    """Decode all pixels and fail on a truncated file. WeasyPrint sets Pillow's process-wide
    LOAD_TRUNCATED_IMAGES = True when it is imported (images.py), which would silently pad a
    truncated photo with grey; the flag is switched off while this one image loads."""
    with _STRICT_LOAD:
        previous = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            img.load()
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = previous


def is_decodable_image(fileobj) -> bool:
    return image_problem(fileobj) is None


def _parse_media_date(text) -> datetime | None:
    """MediaInfo dates: '2026-11-23 01:30:00 UTC', 'UTC 2026-11-23 01:30:00' or ISO 8601."""
    text = str(text or "").replace("UTC", "").strip()
    if not text:
        return None
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def video_metadata(fileobj) -> tuple[datetime | None, float | None, str]:
    """(creation time, duration in seconds, source) read by MediaInfo; ffprobe fills what MediaInfo
    could not read (no duration or no time), so an unreadable duration is never a silent pass."""
    created = duration = None
    source = "none"
    try:
        from pymediainfo import MediaInfo

        fileobj.seek(0)
        info = MediaInfo.parse(fileobj)
        general = info.general_tracks[0] if info.general_tracks else None
        if general is not None:
            created = (_parse_media_date(getattr(general, "comapplequicktimecreationdate", None))
                       or _parse_media_date(general.encoded_date) or _parse_media_date(general.tagged_date))
            duration = float(general.duration) / 1000 if general.duration else None
            source = "mediainfo"
    except Exception:
        logger.warning("MediaInfo could not read a video; trying ffprobe", exc_info=True)
    finally:
        fileobj.seek(0)
    if created is None or duration is None:
        probed_created, probed_duration, probed_source = _ffprobe_metadata(fileobj)
        if created is None and probed_created is not None:
            created, source = probed_created, probed_source
        if duration is None and probed_duration is not None:
            duration = probed_duration
            source = source if source != "none" else probed_source
    return created, duration, source


@contextmanager
def local_copy(fileobj):
    """A filesystem path holding `fileobj`'s bytes: its own temporary file when it still exists,
    else a temporary copy streamed in chunks (in-memory uploads, S3 objects)."""
    path = getattr(fileobj, "temporary_file_path", lambda: None)()
    if path and os.path.exists(path):
        yield path
        return
    with tempfile.NamedTemporaryFile(suffix=".media") as tmp:
        fileobj.seek(0)
        while block := fileobj.read(COPY_CHUNK):
            tmp.write(block)
        tmp.flush()
        fileobj.seek(0)
        yield tmp.name


def _ffprobe_metadata(fileobj) -> tuple[datetime | None, float | None, str]:
    ffprobe = shutil.which("ffprobe")
    if not ffprobe:
        return None, None, "none"
    try:
        with local_copy(fileobj) as path:
            cmd = [ffprobe, "-v", "quiet", "-print_format", "json", "-show_format", path]
            out = subprocess.run(cmd, capture_output=True, timeout=20, check=True).stdout  # noqa: S603
        fmt = json.loads(out).get("format", {})
        created = _parse_media_date((fmt.get("tags") or {}).get("creation_time"))
        return created, float(fmt["duration"]) if fmt.get("duration") else None, "ffprobe"
    except (subprocess.SubprocessError, ValueError, OSError):
        return None, None, "none"
    finally:
        fileobj.seek(0)


def find_cjk_font() -> str | None:
    """A font with Chinese glyphs, found at run time (fonts-wqy-microhei on Debian)."""
    override = os.environ.get("GONGSHANG_CJK_FONT")
    for path in ([override] if override else []) + list(FONT_CANDIDATES):
        if path and os.path.isfile(path):
            return path
    for pattern in FONT_GLOBS:
        for path in sorted(glob.glob(pattern, recursive=True)):
            if path.lower().endswith((".ttc", ".ttf", ".otf")) and ("cjk" in path.lower() or "wqy" in path.lower()):
                return path
    return None


def _font(size: int):
    path = find_cjk_font()
    if path:
        return ImageFont.truetype(path, size), True
    return ImageFont.load_default(size=size), False


def watermark_image(img: Image.Image, lines: list[str]) -> tuple[bytes, bool]:
    """Draw `lines` on a dark band at the bottom; returns (JPEG bytes, CJK font found)."""
    img = ImageOps.exif_transpose(img).convert("RGB")
    img.thumbnail((WATERMARK_MAX_SIDE, WATERMARK_MAX_SIDE))
    size = max(14, img.width // 36)
    font, found = _font(size)
    pad, line_h = size // 2, int(size * 1.35)
    band_h = min(img.height, pad * 2 + line_h * len(lines))
    # Composite only the bottom band (not the whole picture): the cost stays small for big photos.
    box = (0, img.height - band_h, img.width, img.height)
    band = img.crop(box).convert("RGBA")
    shade = Image.new("RGBA", band.size, (0, 0, 0, 150))
    band = Image.alpha_composite(band, shade)
    draw = ImageDraw.Draw(band)
    for i, line in enumerate(lines):
        draw.text((pad, pad + i * line_h), line, font=font, fill=(255, 255, 255, 255))
    out = img.copy()
    out.paste(band.convert("RGB"), box[:2])
    buffer = io.BytesIO()
    out.save(buffer, "JPEG", quality=85)
    return buffer.getvalue(), found


def watermark_photo(fileobj, lines: list[str]) -> tuple[bytes, bool]:
    fileobj.seek(0)
    with Image.open(fileobj) as img:
        if img.format == "JPEG":
            img.draft("RGB", (WATERMARK_MAX_SIDE, WATERMARK_MAX_SIDE))  # decode at reduced scale: fast
        img.load()
        return watermark_image(img, lines)


def video_poster(stored_file, lines: list[str]) -> tuple[bytes, bool, bool]:
    """A watermarked still of the stored video's first second: (JPEG bytes, font found, real frame).

    Read from storage, not from the upload: the upload's temporary file has been moved into
    storage by then, and on S3 there is no local path at all."""
    frame = first_frame(stored_file)
    img = frame or Image.new("RGB", (960, 540), (40, 44, 52))
    data, found = watermark_image(img, ["【视频封面】", *lines])
    return data, found, frame is not None


def first_frame(stored_file) -> Image.Image | None:
    """The first frame of a stored video (StoredFile), by ffmpeg on its local path or on a
    temporary copy streamed from the storage."""
    from django.core.files.storage import default_storage

    ffmpeg = shutil.which("ffmpeg")
    if not ffmpeg:
        return None
    try:
        try:
            path = default_storage.path(stored_file.storage_path)
        except NotImplementedError:  # remote storage (S3): stream a copy
            path = None
        if path:
            return _frame_at(ffmpeg, path)
        with default_storage.open(stored_file.storage_path, "rb") as handle, local_copy(handle) as copy:
            return _frame_at(ffmpeg, copy)
    except (subprocess.SubprocessError, OSError, ValueError):
        logger.warning("could not extract the first frame of %s", stored_file.storage_path, exc_info=True)
        return None


def _frame_at(ffmpeg: str, path: str) -> Image.Image | None:
    cmd = [ffmpeg, "-v", "error", "-ss", "0", "-i", path, "-frames:v", "1", "-f", "image2pipe",
           "-vcodec", "png", "pipe:1"]
    out = subprocess.run(cmd, capture_output=True, timeout=30, check=True).stdout  # noqa: S603
    return Image.open(io.BytesIO(out)).convert("RGB") if out else None
