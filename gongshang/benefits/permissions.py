"""Access helpers of 工伤待遇 used by the models' scopes (accounts/access.py is the one mechanism):
who an individual's own rows are, and the per-row conditions the matrix cannot express (the
four-eyes rules, who enters national figures)."""

from django.conf import settings
from django.db.models import Q

from gongshang.core.pii.crypto import blind_index

from .choices import NATIONAL_REGION

SYSTEM_ADMIN = "system_admin"


def own_beneficiary(prefix: str = ""):
    """Individuals: rows of the bound person, or naming the bound person's ID number as the
    beneficiary (a dependant or next of kin registered by ID number, blind index)."""
    def rule(actor):
        person = getattr(actor, "person", None) if getattr(actor, "person_id", None) else None
        if person is None:
            return None
        q = Q(**{f"{prefix}person_id": person.pk})
        index = blind_index(person.id_number)
        return q | Q(**{f"{prefix}beneficiary_id_index": index}) if index else q
    rule.describe = f"本人或以本人身份证号登记的受领人（{prefix}person）"
    return rule


def own_region_and_national(path: str = "region"):
    """Staff: the figures of their own 统筹区 and the national ones (another 统筹区's figures are
    that region's business)."""
    def rule(actor):
        if not actor.jurisdiction:
            return None
        return Q(**{path: actor.jurisdiction}) | Q(**{path: NATIONAL_REGION})
    rule.describe = f"本统筹区及全国（{path}）"
    return rule


def not_the_maker(maker_field: str, actions: tuple[str, ...]):
    """Maker-checker: `actions` are refused to the account recorded in `maker_field`."""
    def condition(actor, obj, action) -> bool:
        return action not in actions or getattr(obj, maker_field) != actor.pk
    return condition


def may_edit_parameters_of(actor, region: str) -> bool:
    """Regional values by staff of that 统筹区; national values only by the 系统管理员 of the home
    统筹区 (DEFAULT_POOLING_REGION), who keeps the platform-wide figures."""
    if region == NATIONAL_REGION:
        return SYSTEM_ADMIN in actor.role_codes and actor.jurisdiction == settings.DEFAULT_POOLING_REGION
    return region == actor.jurisdiction


def parameter_condition(actor, obj, action) -> bool:
    return action not in ("add", "correct") or may_edit_parameters_of(actor, obj.region)


PARAMETER_REFUSAL = "全国参数只能由系统管理员（主统筹区）录入；地区参数只能由本统筹区的人员录入。"
SECOND_PERSON = "复核须由另一名待遇审核员办理，经办人不能复核自己经办的业务。"
RELEASER = "放行报盘须由复核人以外的待遇审核员办理。"
