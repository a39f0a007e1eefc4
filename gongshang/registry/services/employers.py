"""参保单位核验: staff verify a self-registered employer (待核验 → 正常参保) and set the
industry and 工伤保险行业风险类别 that decide its contribution rate."""

from gongshang.accounts.access import get_for, require
from gongshang.accounts.validation import collect
from gongshang.core.workflow import transition
from gongshang.registry.choices import Industry, RateClass
from gongshang.registry.errors import RegistryErrorCode, RegistryEvent
from gongshang.registry.models import Employer


def employer_verify(*, actor, employer_id: int, industry: str, rate_class) -> Employer:
    require(actor, "employer", "verify")
    with collect() as errors:
        if industry not in Industry.values:
            errors["industry"] = "请选择单位所属行业门类。"
        try:
            rate_class = int(rate_class)
        except (TypeError, ValueError):
            rate_class = None
        if rate_class not in RateClass.values:
            errors["rate_class"] = "请选择工伤保险行业风险类别（一类至八类）。"
    employer = get_for(actor, Employer, employer_id, "verify")
    return transition(actor, employer, "verify", event_type=RegistryEvent.EMPLOYER_VERIFIED,
                      changes={"industry": industry, "rate_class": rate_class}, region=employer.region,
                      details={"industry": industry, "rate_class": rate_class},
                      code=RegistryErrorCode.EMPLOYER_NOT_PENDING)
