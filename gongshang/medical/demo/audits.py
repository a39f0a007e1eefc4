"""Demo 现场稽核 (青岛市 370200): five more 稽核员 besides 陈稽核 (accounts demo), each with a 区县;
three two-person teams so that every team has members of two counties and checks the third
(市南区 370202, 市北区 370203, 黄岛区 370211); a campaign over the region's agreement institutions,
under way, with one visit recorded (checklist, a 挂床住院 finding with a photo and an amount to
recover) and its rectification notice (the recovery waits for the next monthly statement).
Idempotent: nothing is added when the demo campaign exists. Demo passwords and TOTP keys are the
accounts demo's (public, demo only)."""

from datetime import date, timedelta
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image

from gongshang.accounts.choices import StaffRole
from gongshang.accounts.demo import PASSWORD, demo_totp_key
from gongshang.accounts.models import User
from gongshang.accounts.services.staff import staff_create

from ..choices import AgreementStatus, InstitutionKind
from ..models import AgreementInstitution, AuditCampaign
from ..services import audits as services

REGION = "370200"
CAMPAIGN = "2026年工伤保险协议机构现场稽核（演示）"
SHINAN, SHIBEI, HUANGDAO = "370202", "370203", "370211"

# username, name, county (陈稽核 "auditor" comes from the accounts demo).
INSPECTORS = [
    ("auditor", "陈稽核", SHINAN),
    ("auditor2", "周稽核", SHIBEI),
    ("auditor3", "何稽核", HUANGDAO),
    ("auditor4", "高稽核", SHINAN),
    ("auditor5", "罗稽核", SHIBEI),
    ("auditor6", "梁稽核", HUANGDAO),
]
# Each team: two counties, so it checks the institutions of the third only.
TEAMS = [("第一组", ("auditor", "auditor5")), ("第二组", ("auditor2", "auditor6")), ("第三组", ("auditor3", "auditor4"))]

# Created only when the region has no agreement institution in that county yet (the institutions demo
# creates the region's institutions; these keep this demo runnable on its own).
FALLBACK_INSTITUTIONS = [
    ("H37020200001", "青岛大学附属医院（演示）", SHINAN, InstitutionKind.MEDICAL, "三级甲等"),
    ("H37020300001", "青岛市市北区工伤康复中心（演示）", SHIBEI, InstitutionKind.REHABILITATION, ""),
    ("H37021100001", "青岛市黄岛区人民医院（演示）", HUANGDAO, InstitutionKind.MEDICAL, "二级甲等"),
]


def _jpeg() -> SimpleUploadedFile:
    buf = BytesIO()
    Image.new("RGB", (320, 240), (200, 200, 190)).save(buf, "JPEG", quality=80)
    return SimpleUploadedFile("病房现场照片.jpg", buf.getvalue(), content_type="image/jpeg")


def _inspectors() -> dict:
    users = {}
    for username, name, _county in INSPECTORS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user, _ = staff_create(actor=None, username=username, display_name=name, jurisdiction=REGION,
                                   roles=[StaffRole.INSPECTOR], password=PASSWORD, totp_key=demo_totp_key(username))
        users[username] = user
    return users


def _institutions(today: date) -> None:
    for code, name, county, kind, level in FALLBACK_INSTITUTIONS:
        if AgreementInstitution.objects.filter(region=REGION, county=county).exists():
            continue
        if AgreementInstitution.objects.filter(code=code).exists():
            continue
        inst = AgreementInstitution.objects.create(
            region=REGION, county=county, code=code, name=name, kind=kind, level=level,
            agreement_no=f"GSXY-2026-{code[-5:]}", agreement_from=date(today.year, 1, 1),
            agreement_to=date(today.year + 2, 12, 31), status=AgreementStatus.IN_FORCE)
        client = User.objects.filter(username="inst-demo-qdfy").first()
        if client is not None and county == SHINAN:
            inst.api_clients.add(client)


@transaction.atomic
def seed(stdout=None) -> AuditCampaign | None:
    if AuditCampaign.objects.filter(region=REGION, name=CAMPAIGN).exists():
        if stdout:
            stdout.write("  现场稽核：演示稽核计划已存在，跳过")
        return AuditCampaign.objects.get(region=REGION, name=CAMPAIGN)
    if not User.objects.filter(username="auditor").exists():
        if stdout:
            stdout.write("  现场稽核：缺少演示稽核员陈稽核（请先运行账户演示数据），跳过")
        return None
    today = timezone.localdate()
    users = _inspectors()
    _institutions(today)
    lead = users["auditor"]
    counties = {username: county for username, _name, county in INSPECTORS}
    campaign = services.campaign_create(actor=lead, name=CAMPAIGN, starts_on=today - timedelta(days=2),
                                        ends_on=today + timedelta(days=28))
    for name, members in TEAMS:
        services.team_create(actor=lead, campaign=campaign, name=name,
                             members=[(users[u], counties[u], n == 0) for n, u in enumerate(members)])
    result = services.campaign_assign(actor=lead, campaign=campaign)
    services.campaign_start(actor=lead, campaign=campaign)
    campaign.refresh_from_db()
    visit = (campaign.visits.select_related("institution", "team", "campaign")
             .filter(institution__county=SHINAN, team__isnull=False).order_by("institution__code").first())
    if visit is not None:
        member = visit.team.members.select_related("user").order_by("-leader", "pk").first().user
        for item in services.rules_checklist.checklist_for(visit.institution.kind):
            result_code, note = ("fail", "现场核对：8 张在院床位中 2 张无人，职工不在院") if item.code == "QZ02" else ("ok", "")
            visit = services.visit_answer(actor=member, visit=visit, item=item.code, result=result_code, note=note)
        services.finding_add(actor=member, visit=visit, pattern="phantom_bed", checklist_item="QZ02",
                             description="骨科病区 12 床、15 床登记在院的工伤职工不在院，住院期间仅收取床位费和伙食费",
                             amount="2360.00", uploads=[_jpeg()])
        visit.refresh_from_db()
        services.visit_notify(actor=lead, visit=visit)
    if stdout:
        stdout.write(f"  现场稽核：{campaign.name}，{campaign.visits.count()} 家机构、3 个稽核组"
                     f"（异地交叉，未能分配 {len(result.problems)} 家）；"
                     f"{visit.institution.name if visit else '（无市南区机构）'}已检查并下达整改通知")
        stdout.write("  稽核员账户：" + "、".join(f"{u}（{n}）" for u, n, _c in INSPECTORS))
    return campaign
