"""Demo 工伤快报 for 青岛市 (370200): 张伟 reports his own injury (one photo with a capture time);
the employer 91370200MA3C5UWK4C reports an accident injuring 张伟 and 李娜 (one of them typed
incompletely). Idempotent: nothing is added once demo reports exist (outdated watermarked copies
are derived again). Codes are printed, and kept in VAR_DIR/demo/ for the demo page (a code is
stored only as a hash, so nothing else could show it again); only where demo data is allowed."""

import io
import json
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from gongshang.accounts.models import User
from gongshang.core.pii.crypto import blind_index

from . import content
from .models import QuickReport
from .services.submission import InjuredInput, ReportInput, quick_report_submit
from .services.watermarks import rewatermark_all

ZHANG_WEI_ID, LI_NA_ID = "370202198803151237", "370211199207084569"
EMPLOYER_USCC = "91370200MA3C5UWK4C"


def _codes_file() -> Path:
    return Path(settings.VAR_DIR) / "demo" / "quick_report_codes.json"


def remember_code(*, code: str, case_numbers: list[str], reporter: str) -> None:
    if not settings.DEMO_DATA_ALLOWED:  # never in production (seed_demo refuses to run there too)
        return
    rows = [row for row in demo_codes() if row["code"] != code]
    rows.append({"code": code, "case_numbers": list(case_numbers), "reporter": reporter})
    _codes_file().parent.mkdir(parents=True, exist_ok=True)
    _codes_file().write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")


def demo_codes() -> list[dict]:
    """The demo reports' codes, for the demo page; empty when none were kept."""
    if not settings.DEMO_DATA_ALLOWED:
        return []
    try:
        rows = json.loads(_codes_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return rows if isinstance(rows, list) else []


def forget_codes() -> None:
    """New demo reports get new codes: the old ones no longer open anything."""
    _codes_file().unlink(missing_ok=True)


def _photo(captured_at, color) -> SimpleUploadedFile:
    img = Image.new("RGB", (960, 720), color)
    exif = Image.Exif()
    exif.get_ifd(0x8769)[36867] = timezone.localtime(captured_at).strftime("%Y:%m:%d %H:%M:%S")
    buffer = io.BytesIO()
    img.save(buffer, "JPEG", exif=exif, quality=80)
    return SimpleUploadedFile("demo-scene.jpg", buffer.getvalue(), content_type="image/jpeg")


def seed(stdout=None) -> None:
    if QuickReport.objects.filter(region="370200").exists():
        # Demo copies made before watermarks named the case showed the code: derive them again.
        _checked, regenerated = rewatermark_all(region="370200")
        if stdout:
            stdout.write(f"  工伤快报：演示快报已存在，跳过（重新生成水印件 {regenerated} 个）")
        return
    now = timezone.now()
    worker = User.objects.filter(kind="individual", person__id_number_index=blind_index(ZHANG_WEI_ID)).first()
    handler = User.objects.filter(username=EMPLOYER_USCC).first()
    results = []
    if worker is not None:
        results.append((quick_report_submit(actor=worker, photos=[_photo(now - timedelta(hours=3), (150, 90, 60))],
                                           data=ReportInput(
            reporter_kind="self", accident_at=now - timedelta(hours=3), description="操作冲床时右手食指被压伤",
            address="山东省青岛市市南区香港中路 100 号 2 号车间", latitude=36.0662, longitude=120.3829,
            accuracy_m=20, persons=[InjuredInput(body_part="手部", injury_type="挤压伤")],
            pledge_version=content.PLEDGE_VERSION)), "张伟本人申报（个人账户）"))
    if handler is not None:
        results.append((quick_report_submit(actor=handler, data=ReportInput(
            reporter_kind="employer", accident_at=now - timedelta(hours=20), description="货架倒塌，两人被砸伤",
            address="山东省青岛市市南区香港中路 100 号仓库", reporter_mobile="13800000001",
            persons=[InjuredInput(name="张伟", id_number=ZHANG_WEI_ID, mobile="13900000001", body_part="下肢"),
                     InjuredInput(name="李", id_number=LI_NA_ID[:10], mobile="")],
            pledge_version=content.PLEDGE_VERSION)), "单位申报（单位账户 91370200MA3C5UWK4C）"))
    forget_codes()
    for result, reporter in results:
        remember_code(code=result.code, case_numbers=result.case_numbers, reporter=reporter)
        if stdout:
            stdout.write(f"  工伤快报：{'、'.join(result.case_numbers)}，快报唯一标志码 {result.code}"
                         "（演示说明页 /demo/ 也列出）")
