"""Demo 身份核验 for 青岛市 (370200): the 数据交换管理员 (杨交换, username `exchange`) checks the
test identities of the fake register by hand — one that matches, one with a wrong name, a deceased
person, an unknown ID number — and one check while the register does not answer (the fake
`DownPopulationRegister`, as an operator would see an outage). The system's own checks (增员,
binding, quick reports) come from the other demo seeds. Idempotent: skipped once the exchange
administrator has checks of their own."""

from django.db import transaction
from django.test import override_settings

from gongshang.accounts.models import User

from ..choices import IdentityContext
from ..fakes.population import DownPopulationRegister
from ..models import IdentityCheck
from ..services.identity import identity_check_record

REGION = "370200"
DOWN = f"{DownPopulationRegister.__module__}.{DownPopulationRegister.__name__}"
CHECKS = [
    ("370202198506120311", "周建国"),   # 在册: 身份信息一致
    ("370202198506120311", "周建华"),   # 姓名与身份证号不一致
    ("370203195603080422", "吴秀英"),   # 登记为已死亡
    ("370211200109150572", "冯小明"),   # 查无此身份证号
]
DURING_OUTAGE = ("370212197807201017", "郑海峰")


@transaction.atomic
def seed(stdout=None) -> None:
    clerk = User.objects.filter(username="exchange", kind="staff").first()
    if clerk is None or IdentityCheck.objects.filter(actor=clerk, context=IdentityContext.STAFF).exists():
        if stdout:
            stdout.write("  身份核验：演示核验记录已存在，跳过")
        return
    for id_number, name in CHECKS:
        identity_check_record(actor=clerk, id_number=id_number, name=name, context=IdentityContext.STAFF,
                              region=REGION)
    # The demo's one outage: the register is switched to the fake that never answers, for one check.
    with override_settings(POPULATION_REGISTER_BACKEND=DOWN):
        identity_check_record(actor=clerk, id_number=DURING_OUTAGE[0], name=DURING_OUTAGE[1],
                              context=IdentityContext.STAFF, region=REGION)
    if stdout:
        stdout.write(f"  身份核验：{len(CHECKS) + 1} 条人工核验记录（含人口库不可用一次）")
