"""Demo 协议机构, catalogues and regional parameters of 工伤医疗 (青岛市 370200; demo values).

- 青岛大学附属医院（演示）, 三级甲等, 市南区, agreement in force 2025-01-01..2028-12-31, linked to the
  demo API client inst-demo-qdfy (accounts/demo.py), so it can sign in and settle at once;
- two more hospitals (市北区, 黄岛区), a rehabilitation institution (崂山区) and a device supplier (市北区);
- the catalogues of demo/data/*.csv imported THROUGH the import service by the demo 稽核员 (auditor):
  the national 药品目录 (two 工伤-only drugs), the 统筹区's services (caps, frequency limits, price
  classes), a later price version of 大换药, materials, 住院服务标准, devices with service life and
  rehabilitation items;
- the 工伤医疗地区参数 of 370200 (model defaults, source "演示值").

Idempotent: an institution is created once (by its code), a file is imported once (by its digest).
Relies on accounts.demo (the auditor and the institution client).
"""

import hashlib
from datetime import date
from pathlib import Path

from django.db import transaction

from gongshang.accounts.models import User

from ..choices import ImportStatus
from ..models import AgreementInstitution, CatalogueImport, MedicalSetting
from ..services.catalogues import catalogue_import
from ..services.institutions import institution_create, institution_link_client

REGION = "370200"
DATA = Path(__file__).parent / "data"
AUDITOR = "auditor"
CLIENT = "inst-demo-qdfy"
FROM, TO = date(2025, 1, 1), date(2028, 12, 31)

INSTITUTIONS = [
    {"code": "H37020200001", "name": "青岛大学附属医院（演示）", "kind": "medical", "level": "三级甲等",
     "county": "370202", "agreement_no": "QDGS-XY-2025-0001", "address": "青岛市市南区江苏路 16 号（演示）",
     "contact_name": "医保办（演示）", "contact_phone": "13800009001", "client": CLIENT,
     "bank_name": "青岛银行（演示）", "bank_account": "622202020000010001"},
    {"code": "H37020300002", "name": "青岛市市立医院（演示）", "kind": "medical", "level": "三级甲等",
     "county": "370203", "agreement_no": "QDGS-XY-2025-0002", "address": "青岛市市北区胶州路 1 号（演示）",
     "contact_name": "医保办（演示）", "contact_phone": "13800009002",
     "bank_name": "青岛银行（演示）", "bank_account": "622202020000020001"},
    {"code": "H37021100003", "name": "青岛西海岸新区中心医院（演示）", "kind": "medical", "level": "三级乙等",
     "county": "370211", "agreement_no": "QDGS-XY-2025-0003", "address": "青岛市黄岛区黄浦江路 9 号（演示）",
     "contact_name": "医保办（演示）", "contact_phone": "13800009003",
     "bank_name": "青岛银行（演示）", "bank_account": "622202020000030001"},
    {"code": "R37021200001", "name": "青岛市工伤康复中心（演示）", "kind": "rehabilitation", "level": "",
     "county": "370212", "agreement_no": "QDGS-KF-2025-0001", "address": "青岛市崂山区海尔路 1 号（演示）",
     "contact_name": "康复科（演示）", "contact_phone": "13800009004",
     "bank_name": "青岛银行（演示）", "bank_account": "622202020000040001"},
    {"code": "D37020300001", "name": "青岛假肢矫形器配置中心（演示）", "kind": "device", "level": "",
     "county": "370203", "agreement_no": "QDGS-FJ-2025-0001", "address": "青岛市市北区辽宁路 1 号（演示）",
     "contact_name": "配置部（演示）", "contact_phone": "13800009005",
     "bank_name": "青岛银行（演示）", "bank_account": "622202020000050001"},
]

# (file, kind, national), in import order: a later version after the first one.
CATALOGUES = [
    ("drugs_national.csv", "drug", True),
    ("services.csv", "service", False),
    ("services_2026h2.csv", "service", False),
    ("materials.csv", "material", False),
    ("standards.csv", "standard", False),
    ("devices.csv", "device", False),
    ("rehabilitation.csv", "rehabilitation", False),
]


def _institutions(auditor) -> int:
    created = 0
    for spec in INSTITUTIONS:
        data = {k: v for k, v in spec.items() if k != "client"}
        institution = AgreementInstitution.objects.filter(code=data["code"]).first()
        if institution is None:
            institution = institution_create(actor=auditor, data={**data, "agreement_from": FROM, "agreement_to": TO})
            created += 1
        client = spec.get("client")
        if client and not institution.api_clients.filter(username=client).exists():
            institution_link_client(actor=auditor, institution=institution, client_id=client)
    return created


def _catalogues(auditor) -> int:
    imported = 0
    for file_name, kind, national in CATALOGUES:
        data = (DATA / file_name).read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        if CatalogueImport.objects.filter(region=REGION, kind=kind, sha256=digest, status=ImportStatus.DONE).exists():
            continue
        record = catalogue_import(actor=auditor, data=data, file_name=file_name, kind=kind, national=national)
        if record.status != ImportStatus.DONE:
            raise RuntimeError(f"demo catalogue {file_name} did not import: {record.errors[:3]}")
        imported += 1
    return imported


def _setting() -> None:
    MedicalSetting.objects.get_or_create(region=REGION, valid_from=date(2025, 1, 1), defaults={"source": "演示值"})


@transaction.atomic
def seed(stdout=None) -> None:
    auditor = User.objects.get(username=AUDITOR)
    created = _institutions(auditor)
    imported = _catalogues(auditor)
    _setting()
    if stdout:
        stdout.write(f"  工伤医疗：协议机构 {len(INSTITUTIONS)} 家（本次新增 {created}），目录文件 {len(CATALOGUES)} 个"
                     f"（本次导入 {imported}）；{CLIENT} 已关联青岛大学附属医院（演示），可登录定点机构门户")
