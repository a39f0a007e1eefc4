"""Chinese names for the codes the benefits answers carry (payer, payment status, relation, item),
so that pages show 工伤保险基金 and 已到账, never fund or paid. The API keeps the codes."""

from django import template

from ..choices import BenefitType, Payer, PaymentStatus
from ..rules.death import RELATIONS

register = template.Library()
ITEM_NAMES = {"own_wage": "本人工资", **{code: str(name) for code, name in BenefitType.choices}}


@register.filter
def payer_name(code: str) -> str:
    return str(dict(Payer.choices).get(code, code))


@register.filter
def payment_status_name(code: str) -> str:
    return str(dict(PaymentStatus.choices).get(code, code))


@register.filter
def relation_name(code: str) -> str:
    """Relations are stored in Chinese; older rows or API input may still carry a code."""
    return RELATIONS.get(code, code)


@register.filter
def item_names(codes) -> str:
    return "、".join(ITEM_NAMES.get(code, code) for code in codes or ())
