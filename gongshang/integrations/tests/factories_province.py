"""Test helpers of the province area: a case with a 再次鉴定 accepted (its first conclusion issued on
the platform), a case whose monthly benefits are being paid, province batches, and the sample files.
Rows in the states the tests start from are written directly or through the other apps' services;
every step under test goes through this area's services."""

import json
from datetime import date
from pathlib import Path
from types import SimpleNamespace

from gongshang.accounts.tests.factories import IndividualUserFactory
from gongshang.appraisal.services import conclusions
from gongshang.appraisal.tests.factories import make_application, recognised_case
from gongshang.appraisal.tests.factories_conclusions import examined
from gongshang.benefits.demo import seed_parameters
from gongshang.benefits.tests.factories import approved_case

from ..choices import BatchKind, BatchStatus, Partner
from .factories import ExchangeBatchFactory

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
CONCLUSIONS_SAMPLE = SAMPLES / "province_conclusions_v1.json"
TRANSFERS_SAMPLE = SAMPLES / "province_transfers_v1.json"


def sample_bytes(path: Path) -> bytes:
    return path.read_bytes()


def sample_json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def second_appraisal(*, person, employer, handler, apr, status="accepted"):
    """张伟's recognised case concluded 七级 on the platform, and his 再次鉴定 application (accepted)."""
    seed_parameters()
    worker = IndividualUserFactory(person=person, mobile=person.mobile or "13900000001", display_name=person.name)
    case = recognised_case(person, employer, handler)
    first = conclusions.conclusion_create(actor=apr, application=examined(case=case, creator=worker, apr=apr, grade=7),
                                          data={})
    return make_application(case=case, creator=worker, kind="second", status=status, previous_conclusion=first,
                            received_on=date(2026, 3, 2), accepted_on=date(2026, 3, 2))


def paid_case(*, person, employer, maker, checker, grade=3):
    """A case whose monthly items (伤残津贴 for 三级) a second 待遇审核员 has approved: being paid."""
    case, rows = approved_case(person, employer, maker, checker, grade=grade)
    return case


def province_batch(content: bytes, *, kind=BatchKind.PROVINCE_CONCLUSIONS, region="370200", created_by=None,
                   name="province.json"):
    """An inbound batch of the province (as the exchange mechanism stores it) holding `content`."""
    return ExchangeBatchFactory(content=content, partner=Partner.PROVINCE, kind=kind, region=region,
                                original_name=name, created_by=created_by, status=BatchStatus.PROCESSING)


def run_adapter(batch):
    """Apply a batch through its registered adapter, as the batch service does (returns the Outcome)."""
    from gongshang.core.files.storage import open_stored

    from ..adapters import adapter_for

    with open_stored(batch.file) as stream:
        return adapter_for(batch.partner, batch.kind).process(batch, stream)


def province_world(settings, tmp_path, staff_factory, zhang_wei, employer_a, employer_user_a):
    """Files in a temporary folder; the region's 鉴定管理员, two 待遇审核员, a 数据交换管理员 and a
    分管领导; the benefits parameters (each test module's `w` fixture calls it with its fixtures)."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    seed_parameters()
    return SimpleNamespace(
        apr=staff_factory("appraisal_admin", display_name="郑鉴定"),
        ben=staff_factory("benefits_reviewer", display_name="冯待遇"),
        ben2=staff_factory("benefits_reviewer", display_name="陈复核"),
        exc=staff_factory("exchange", display_name="杨交换"),
        lead=staff_factory("leader", display_name="韩领导"),
        person=zhang_wei, employer=employer_a, handler=employer_user_a)
