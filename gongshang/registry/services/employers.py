"""参保单位核验: staff verify a self-registered employer (待核验 → 正常参保) and set the
industry and 工伤保险行业风险类别 that decide its contribution rate."""

from django.db import transaction

from gongshang.accounts.choices import StaffRole
from gongshang.accounts.permissions import get_scoped_or_404, require_role, restrict
from gongshang.accounts.validation import collect
from gongshang.core.audit import record_event
from gongshang.core.errors import DomainError
from gongshang.registry.choices import EmployerStatus, Industry, RateClass
from gongshang.registry.errors import RegistryErrorCode, RegistryEvent
from gongshang.registry.models import Employer


def employer_verify(*, actor, employer_id: int, industry: str, rate_class, request=None) -> Employer:
    require_role(actor, StaffRole.INTAKE)
    with collect() as errors:
        if industry not in Industry.values:
            errors["industry"] = "请选择单位所属行业门类。"
        try:
            rate_class = int(rate_class)
        except (TypeError, ValueError):
            rate_class = None
        if rate_class not in RateClass.values:
            errors["rate_class"] = "请选择工伤保险行业风险类别（一类至八类）。"
    with transaction.atomic():
        employer = get_scoped_or_404(actor, restrict(actor, Employer.objects.select_for_update(),
                                                     employer_field=None), pk=employer_id)
        if employer.status != EmployerStatus.PENDING:
            raise DomainError(RegistryErrorCode.EMPLOYER_NOT_PENDING, status=409)
        employer.status, employer.industry, employer.rate_class = EmployerStatus.ACTIVE, industry, rate_class
        employer.save(update_fields=["status", "industry", "rate_class"])
        record_event(actor=actor, event_type=RegistryEvent.EMPLOYER_VERIFIED, target=employer, request=request,
                     region=employer.region, details={"industry": industry, "rate_class": rate_class})
    return employer
