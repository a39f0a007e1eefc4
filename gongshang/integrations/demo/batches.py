"""Demo 交换批次 for 青岛市 (370200): one failed batch, so the failed state and its retry button can be
seen — the tax bureau sent a file that is not its agreed contribution format (a report exported by
mistake), which the tax adapter refuses as a whole (nothing applied). The batches of the other areas'
demos come from their fake partners. Idempotent: a second run finds the file by its checksum. Without
the tax adapter (or the demo 数据交换管理员) there is nothing to show and nothing is written."""

import hashlib

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from gongshang.accounts.models import User
from gongshang.core.errors import DomainError

from .. import adapters
from ..choices import BatchKind, Partner
from ..models import ExchangeBatch
from ..services.batches import batch_receive

REGION = "370200"
WRONG_FILE = ("2026年10月社保费征收情况汇总表（演示：交换方误传的统计报表，不是约定的缴费明细格式）\n"
              "项目,本月,累计\n工伤保险费（万元）,1234.56,11876.40\n").encode()


@transaction.atomic
def seed(stdout=None) -> None:
    admin = User.objects.filter(username="exchange", kind="staff", jurisdiction=REGION).first()
    if admin is None or adapters.adapter_for(Partner.TAX, BatchKind.CONTRIBUTIONS) is None:
        return
    checksum = hashlib.sha256(WRONG_FILE).hexdigest()
    if ExchangeBatch.objects.filter(region=REGION, partner=Partner.TAX, kind=BatchKind.CONTRIBUTIONS,
                                    checksum=checksum).exists():
        return
    try:
        batch = batch_receive(actor=admin, partner=Partner.TAX, kind=BatchKind.CONTRIBUTIONS,
                              upload=SimpleUploadedFile("2026-10-汇总表.csv", WRONG_FILE, content_type="text/csv"))
    except DomainError as exc:
        if stdout is not None:
            stdout.write(f"  数据交换：演示批次未生成：{exc.message}")
        return
    if stdout is not None:
        stdout.write(f"  数据交换：演示批次 #{batch.pk}（税务局文件格式不符）：{batch.get_status_display()}")
