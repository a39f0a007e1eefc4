"""Demo 入出院通知 for 青岛市 (370200): one daily file of the fake 卫健委 (fakes/hospitals.py) applied
through the real adapter. 张伟 admitted and discharged at 青岛大学附属医院（演示） and 刘洋 admitted at
青岛市市立医院（演示） link to their open injury cases (their case timelines show the stay); 王建国
(no injury case) and 刘芳 (none either: a finger injury whose quick report never came) stay
unlinked for the 受理员 to check, link or dismiss.

Idempotent: the demo file is received once per 统筹区 (found by its name); a second run changes
nothing. The batch row is written here as the batch service would leave it after processing (the
demo needs no worker)."""

import hashlib
import io
import uuid
from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from gongshang.core.models import StoredFile

from ..adapters import adapter_for
from ..choices import BatchKind, BatchStatus, Direction, Partner
from ..fakes.hospitals import FakeHealthCommission
from ..models import ExchangeBatch

REGION = "370200"
FILE_NAME = "卫健入出院通知（演示）.csv"
ZHANG_WEI_ID, LIU_YANG_ID = "370202198803151237", "370203199001012316"
WANG_JIANGUO_ID, LIU_FANG_ID = "370203197506120030", "370211198509230045"


def demo_file(today) -> bytes:
    """The fake partner's file of the demo, dated back from `today` (so the stays are recent)."""
    fake = FakeHealthCommission()
    return fake.daily_file([
        fake.admission(ZHANG_WEI_ID, "张伟", today - timedelta(days=5), hospital=0, diagnosis="左足第二跖骨骨折",
                       diagnosis_code="S92.300"),
        fake.discharge(ZHANG_WEI_ID, "张伟", today - timedelta(days=1), hospital=0, diagnosis="左足第二跖骨骨折术后",
                       diagnosis_code="S92.300"),
        fake.admission(LIU_YANG_ID, "刘洋", today - timedelta(days=1), hospital=1, diagnosis="右桡骨远端骨折术后取内固定",
                       diagnosis_code="S52.501"),
        fake.admission(WANG_JIANGUO_ID, "王建国", today - timedelta(days=2), hospital=1, diagnosis="社区获得性肺炎",
                       diagnosis_code="J18.9"),
        fake.admission(LIU_FANG_ID, "刘芳", today - timedelta(days=3), hospital=2, diagnosis="右手示指离断伤",
                       diagnosis_code="S68.101"),
    ])


def _stored(content: bytes) -> StoredFile:
    path = default_storage.save(f"exchange/demo/{uuid.uuid4().hex}.csv", ContentFile(content))
    return StoredFile.objects.create(storage_path=path, original_name=FILE_NAME, content_type="text/csv",
                                     extension="csv", size=len(content), sha256=hashlib.sha256(content).hexdigest())


@transaction.atomic
def seed(stdout=None) -> None:
    if ExchangeBatch.objects.filter(region=REGION, partner=Partner.HEALTH, kind=BatchKind.HOSPITAL_NOTICES,
                                    original_name=FILE_NAME).exists():
        if stdout:
            stdout.write("  入出院通知：演示文件已接收，跳过")
        return
    adapter = adapter_for(Partner.HEALTH, BatchKind.HOSPITAL_NOTICES)
    content = demo_file(timezone.localdate())
    batch = ExchangeBatch.objects.create(
        region=REGION, partner=Partner.HEALTH, kind=BatchKind.HOSPITAL_NOTICES, direction=Direction.INBOUND,
        format_version=adapter.format_versions[0], checksum=hashlib.sha256(content).hexdigest(),
        file=_stored(content), original_name=FILE_NAME, status=BatchStatus.PROCESSING, started_at=timezone.now())
    outcome = adapter.process(batch, io.BytesIO(content))
    ExchangeBatch.objects.filter(pk=batch.pk).update(
        status=BatchStatus.DONE, total=outcome.total, accepted=outcome.accepted, duplicate=outcome.duplicate,
        rejected=outcome.rejected, errors=[{"row": e.row, "message": e.message} for e in outcome.errors],
        summary=outcome.summary, finished_at=timezone.now())
    if stdout:
        figures = "，".join(f"{k} {v} 条" for k, v in outcome.summary.items())
        stdout.write(f"  入出院通知：卫健演示文件 {outcome.accepted} 条（{figures}）")
