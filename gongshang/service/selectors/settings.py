"""The one reader of 服务地区参数 (every part reads its figures here)."""

from datetime import date

from django.db.models import Q, QuerySet

from gongshang.accounts.access import restrict

from ..models import FundIncome, ServiceSetting


def setting_for(region: str, on: date) -> ServiceSetting:
    """The 统筹区's 服务参数 valid on `on`; an unsaved instance with the model's defaults when the
    region has entered none for that day (callers read its fields and never save it)."""
    found = (ServiceSetting.objects.filter(region=region, valid_from__lte=on)
             .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on)).order_by("-valid_from").first())
    if found is not None:
        return found
    return ServiceSetting(region=region, valid_from=on, source="默认值（本统筹区尚未录入）")


def fund_income_for(region: str, year: int) -> FundIncome | None:
    """The 统筹区's 工伤保险基金征缴收入 of `year` (the prevention cap of year + 1 rests on it)."""
    return FundIncome.objects.filter(region=region, year=year).first()


def setting_list(*, actor) -> QuerySet:
    return restrict(actor, ServiceSetting).order_by("-valid_from")
