"""Demo data of the batches and the expert pool (青岛市 370200; demo values, not real people):
the appraisal setting, a site, 30 experts over the five 门类 (workplaces marked 演示), one planned
batch in the future, one past batch already drawn and examined (with its draw record, verifiable),
and one expert with a login (username "expert", the demo password). Idempotent."""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from gongshang.accounts.demo import PASSWORD, demo_totp_key
from gongshang.accounts.models import User

from ..models import AppraisalBatch, AppraisalSetting, AppraisalSite, Expert, PanelDraw
from ..rules import draw as draw_rules
from ..services.batches import _number, new_seed
from ..services.experts import expert_account_create

REGION = "370200"
COMMITTEE = "青岛市劳动能力鉴定委员会"
DEMO = "（演示）"
HOSPITALS = ("青岛大学附属医院", "青岛市市立医院", "青岛市中心医院", "青岛市海慈医疗集团", "青岛市第八人民医院",
             "青岛市职业病防治院")
# (name, title, 门类) — six per 门类.
EXPERTS = [
    ("王建国", "主任医师", "neuro"), ("李秀英", "副主任医师", "neuro"), ("张志强", "主任医师", "neuro"),
    ("刘海涛", "副主任医师", "neuro"), ("陈丽华", "主任医师", "neuro"), ("杨振宇", "副主任医师", "neuro"),
    ("赵德胜", "主任医师", "ortho"), ("黄晓明", "副主任医师", "ortho"), ("周立新", "主任医师", "ortho"),
    ("吴国平", "副主任医师", "ortho"), ("徐春梅", "主任医师", "ortho"), ("孙永刚", "副主任医师", "ortho"),
    ("胡玉兰", "主任医师", "sensory"), ("朱文博", "副主任医师", "sensory"), ("高淑芬", "主任医师", "sensory"),
    ("林志远", "副主任医师", "sensory"), ("何静", "主任医师", "sensory"), ("郭宏伟", "副主任医师", "sensory"),
    ("马俊杰", "主任医师", "visceral"), ("罗晓燕", "副主任医师", "visceral"), ("梁国栋", "主任医师", "visceral"),
    ("宋丽娟", "副主任医师", "visceral"), ("郑海波", "主任医师", "visceral"), ("谢明辉", "副主任医师", "visceral"),
    ("韩雪梅", "主任医师", "occupational"), ("唐建华", "副主任医师", "occupational"),
    ("冯卫东", "主任医师", "occupational"), ("于红霞", "副主任医师", "occupational"),
    ("董立军", "主任医师", "occupational"), ("萧文静", "副主任医师", "occupational"),
]
EXPERT_USERNAME = "expert"


def _setting():
    AppraisalSetting.objects.get_or_create(
        region=REGION, valid_from=date(2024, 1, 1),
        defaults={"committee_name": COMMITTEE, "batch_interval_days": 30, "cutoff_days": 7, "panel_size": 3,
                  "no_show_limit": 1, "publication_days": 7, "source": f"演示数据{DEMO}"})


def _site() -> AppraisalSite:
    # The same site as the conclusions demo (demo_conclusions.py): one 鉴定中心.
    site, _ = AppraisalSite.objects.get_or_create(
        region=REGION, name="青岛市劳动能力鉴定中心", defaults={"address": "青岛市市南区宁夏路 1 号", "capacity": 60})
    return site


def _experts() -> list[Expert]:
    found = []
    for n, (name, title, category) in enumerate(EXPERTS):
        expert, _ = Expert.objects.get_or_create(
            region=REGION, name=name, workplace=f"{HOSPITALS[n % len(HOSPITALS)]}{DEMO}",
            defaults={"title": title, "categories": [category]})
        found.append(expert)
    return found


def _expert_login(expert: Expert) -> None:
    if expert.user_id or User.objects.filter(username=EXPERT_USERNAME).exists():
        return
    expert_account_create(actor=None, expert=expert, username=EXPERT_USERNAME, mobile="13700000088",
                          password=PASSWORD, totp_key=demo_totp_key(EXPERT_USERNAME))


def _creator() -> User:
    return (User.objects.filter(username="appraisal").first()
            or User.objects.filter(kind="staff", jurisdiction=REGION).order_by("pk").first()
            or User.objects.get(username=EXPERT_USERNAME))


def _planned(site, creator, today) -> None:
    if AppraisalBatch.objects.filter(region=REGION, status="planned", exam_on__gt=today).exists():
        return
    exam_on = today + timedelta(days=20)
    seed, commitment = new_seed()
    AppraisalBatch.objects.create(region=REGION, number=_number(REGION, exam_on), exam_on=exam_on,
                                  cutoff_on=exam_on - timedelta(days=7), site=site, capacity=site.capacity,
                                  seed_commitment=commitment, seed_secret=seed, created_by=creator)


def _past(site, creator, experts, today) -> None:
    if AppraisalBatch.objects.filter(region=REGION, status="examined").exists():
        return
    exam_on = today - timedelta(days=10)
    seed, commitment = new_seed()
    batch = AppraisalBatch.objects.create(region=REGION, number=_number(REGION, exam_on), exam_on=exam_on,
                                          cutoff_on=exam_on - timedelta(days=7), site=site, capacity=site.capacity,
                                          status="examined", seed_commitment=commitment, created_by=creator)
    pool = [draw_rules.PoolExpert(id=e.pk, categories=tuple(e.categories), employer_id=e.employer_id)
            for e in experts]
    pool_json = [e.as_json() for e in sorted(pool, key=lambda e: e.id)]
    result = draw_rules.draw([], pool, panel_size=3, seed=seed)
    PanelDraw.objects.create(batch=batch, seed=seed, pool_snapshot=pool_json,
                             pool_sha256=draw_rules.snapshot_sha256(pool_json),
                             result={"panel_size": 3, "commitment": commitment, "applications": [], "panels": result},
                             drawn_by=creator)


@transaction.atomic
def seed_batches(stdout=None) -> None:
    today = timezone.localdate()
    _setting()
    site = _site()
    experts = _experts()
    _expert_login(experts[6])   # 赵德胜, 骨科门: the demo expert's login
    creator = _creator()
    _planned(site, creator, today)
    _past(site, creator, experts, today)
    if stdout:
        stdout.write(f"  劳动能力鉴定：{COMMITTEE}设置、鉴定场所 1 个、专家 {len(experts)} 名（演示）、"
                     "计划批次 1 个、已鉴定批次 1 个")
        stdout.write(f"  鉴定专家演示账户：{EXPERT_USERNAME} / {PASSWORD}")


seed = seed_batches
