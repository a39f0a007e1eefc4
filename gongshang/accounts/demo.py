"""Demo accounts (青岛市 370200). Password Demo@2026 everywhere; TOTP secrets are fixed and
public — demo only, never in production."""

import base64
import hashlib

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from gongshang.accounts.choices import StaffRole
from gongshang.accounts.models import User
from gongshang.accounts.services.employers import employer_register
from gongshang.accounts.services.individuals import individual_account_for_mobile, person_bind
from gongshang.accounts.services.institutions import institution_client_create
from gongshang.accounts.services.staff import staff_create
from gongshang.core.pii.crypto import blind_index
from gongshang.registry.models import Employer, InsuredPerson

PASSWORD = "Demo@2026"
REGION = "370200"

STAFF = [
    ("intake", "孙受理", [StaffRole.INTAKE]),
    ("investigator", "周调查", [StaffRole.INVESTIGATOR]),
    ("reviewer", "吴审核", [StaffRole.REVIEWER]),
    ("appraisal", "郑鉴定", [StaffRole.APPRAISAL_ADMIN]),
    ("benefits", "冯待遇", [StaffRole.BENEFITS_REVIEWER]),
    # A second 待遇审核员: entitlements and payroll runs need a checker other than the maker.
    ("benefits2", "陈复核", [StaffRole.BENEFITS_REVIEWER]),
    ("auditor", "陈稽核", [StaffRole.INSPECTOR]),
    # A second 稽核员: a medical statement is approved and released by someone other than its maker.
    ("auditor2", "周稽核", [StaffRole.INSPECTOR]),
    ("hotline", "褚坐席", [StaffRole.HOTLINE]),
    ("window", "王窗口", [StaffRole.WINDOW]),
    # 工伤预防: a county's 专管员 drafts the plan, the city's approves it (not the one who submitted it).
    ("prevention", "李预防", [StaffRole.PREVENTION]),
    ("prevention2", "赵市预防", [StaffRole.PREVENTION]),
    ("cooperator", "钱合作", [StaffRole.COOPERATOR]),
    ("leader", "韩领导", [StaffRole.LEADER]),
    ("exchange", "杨交换", [StaffRole.EXCHANGE]),
    ("sysadmin", "卫系统", [StaffRole.SYSTEM_ADMIN]),
    ("secadmin", "蒋安全", [StaffRole.SECURITY_ADMIN]),
    ("auditadmin", "沈审计", [StaffRole.AUDIT_ADMIN]),
]

EMPLOYER_HANDLERS = [
    ("91370200MA3C5UWK4C", "刘经办", "13800000001"),
    ("91370211MA3D8QXL2Y", "钱经办", "13800000002"),
]

# 合作经办: the insurer the embedded staff member comes from (shown on every line they act on).
ORGANISATIONS = {"cooperator": "中国人寿青岛分公司（演示）"}

INDIVIDUALS = [("13900000001", "370202198803151237")]

INSTITUTION = ("inst-demo-qdfy", "青岛大学附属医院（演示）", "Demo-Inst-Secret-2026")


def demo_totp_key(username: str) -> str:
    """A fixed 20-byte key per demo user (hex, as django-otp stores it)."""
    return hashlib.sha256(f"gongshang-demo-totp-{username}".encode()).hexdigest()[:40]


def demo_totp_secret(username: str) -> str:
    """The same key in base32, as typed into an authenticator app."""
    return base64.b32encode(bytes.fromhex(demo_totp_key(username))).decode()


@transaction.atomic
def seed(stdout=None) -> None:
    for username, name, roles in STAFF:
        user = User.objects.filter(username=username).first()
        if user is None:
            user, _ = staff_create(actor=None, username=username, display_name=name, jurisdiction=REGION,
                                   roles=roles, password=PASSWORD, totp_key=demo_totp_key(username),
                                   organisation=ORGANISATIONS.get(username, ""))
        elif username in ORGANISATIONS and not user.organisation:  # a database seeded before the field
            User.objects.filter(pk=user.pk).update(organisation=ORGANISATIONS[username])
        TOTPDevice.objects.filter(user=user).exclude(key=demo_totp_key(username)).update(key=demo_totp_key(username))
    for uscc, name, mobile in EMPLOYER_HANDLERS:
        if not User.objects.filter(username=uscc).exists():
            employer = Employer.objects.get(uscc=uscc)
            employer_register(uscc=uscc, name=employer.name, legal_rep_name=employer.legal_rep_name,
                              legal_rep_id_number=employer.legal_rep_id_number, handler_name=name,
                              handler_mobile=mobile, password=PASSWORD, region=employer.region)
    for mobile, id_number in INDIVIDUALS:
        user = individual_account_for_mobile(mobile)
        if user.person_id is None:
            person = InsuredPerson.objects.get(id_number_index=blind_index(id_number))
            person_bind(None, actor=user, id_number=id_number, name=person.name)
    client_id, name, secret = INSTITUTION
    if not User.objects.filter(username=client_id).exists():
        institution_client_create(actor=None, name=name, jurisdiction=REGION, client_id=client_id,
                                  secret=secret)
    if stdout:
        stdout.write(f"  账户：{len(STAFF)} 名经办人员、{len(EMPLOYER_HANDLERS)} 家单位、{len(INDIVIDUALS)} 名个人、1 个定点机构")
        stdout.write(f"  演示密码：{PASSWORD}（仅限演示）")
        stdout.write("  经办人员动态口令密钥（仅限演示，base32，可输入任意身份验证器）：")
        for username, _, roles in STAFF:
            stdout.write(f"    {username:<13}{demo_totp_secret(username)}  {roles[0].label}")
        stdout.write(f"  定点机构接口凭证（仅限演示）：{client_id} / {secret}")
