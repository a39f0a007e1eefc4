"""Demo 工伤快报 for 青岛市 (370200): 张伟 reports his own injury (one photo with a capture time);
the employer 91370200MA3C5UWK4C reports an accident injuring 张伟 and 李娜 (one of them typed
incompletely). Idempotent: nothing is added once demo reports exist (outdated watermarked copies
are derived again). Codes are printed once."""

import io
from datetime import timedelta

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
        results.append(quick_report_submit(actor=worker, photos=[_photo(now - timedelta(hours=3), (150, 90, 60))],
                                           data=ReportInput(
            reporter_kind="self", accident_at=now - timedelta(hours=3), description="操作冲床时右手食指被压伤",
            address="山东省青岛市市南区香港中路 100 号 2 号车间", latitude=36.0662, longitude=120.3829,
            accuracy_m=20, persons=[InjuredInput(body_part="手部", injury_type="挤压伤")],
            pledge_version=content.PLEDGE_VERSION)))
    if handler is not None:
        results.append(quick_report_submit(actor=handler, data=ReportInput(
            reporter_kind="employer", accident_at=now - timedelta(hours=20), description="货架倒塌，两人被砸伤",
            address="山东省青岛市市南区香港中路 100 号仓库", reporter_mobile="13800000001",
            persons=[InjuredInput(name="张伟", id_number=ZHANG_WEI_ID, mobile="13900000001", body_part="下肢"),
                     InjuredInput(name="李", id_number=LI_NA_ID[:10], mobile="")],
            pledge_version=content.PLEDGE_VERSION)))
    if stdout:
        for result in results:
            stdout.write(f"  工伤快报：{'、'.join(result.case_numbers)}，快报唯一标志码 {result.code}（仅此一次显示）")
