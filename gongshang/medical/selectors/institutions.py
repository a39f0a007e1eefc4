"""协议机构 and 工伤医疗地区参数 reads."""

from datetime import date, timedelta

from django.db.models import Q, QuerySet

from gongshang.accounts.access import get_for, restrict

from ..models import AgreementInstitution, MedicalSetting

ENDING_SOON_DAYS = 60


def institution_list(*, actor, kind: str = "", status: str = "", county: str = "", q: str = "",
                     ending_within: int | None = None, on: date | None = None) -> QuerySet:
    """The 协议机构 `actor` may see (staff: their 统筹区; an institution: its own), filtered.
    `ending_within`: agreements ending between `on` and `on` + that many days (续签提醒)."""
    rows = restrict(actor, AgreementInstitution).order_by("region", "code")
    if kind:
        rows = rows.filter(kind=kind)
    if status:
        rows = rows.filter(status=status)
    if county:
        rows = rows.filter(county=county)
    if q:
        rows = rows.filter(Q(name__icontains=q) | Q(code__istartswith=q))
    if ending_within is not None and on is not None:
        rows = rows.filter(agreement_to__gte=on, agreement_to__lte=on + timedelta(days=ending_within))
    return rows


def institution_get_for(actor, pk, action: str = "view") -> AgreementInstitution:
    return get_for(actor, AgreementInstitution, pk, action)


def institutions_of_client(actor) -> QuerySet:
    """The 协议机构 an institution account acts for (its API clients link)."""
    return AgreementInstitution.objects.filter(api_clients=actor).order_by("code")


def setting_for(region: str, on: date) -> MedicalSetting:
    """The 统筹区's 工伤医疗参数 valid on `on`; an unsaved instance with the model's defaults when the
    region has entered none for that day (others read its fields and never save it)."""
    found = (MedicalSetting.objects.filter(region=region, valid_from__lte=on)
             .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on)).order_by("-valid_from").first())
    if found is not None:
        return found
    return MedicalSetting(region=region, valid_from=on, source="默认值（本统筹区尚未录入）")


def setting_list(*, actor) -> QuerySet:
    return restrict(actor, MedicalSetting).order_by("-valid_from")


def institution_history(institution) -> list[dict]:
    """The agreement's changes (created, edited, suspended, resumed, terminated, clients linked), newest
    first, for those who manage it (the caller has checked `manage` on the institution)."""
    from gongshang.core.models.audit import AuditEvent

    events = (AuditEvent.objects.filter(target_type=institution._meta.label_lower, target_id=str(institution.pk))
              .order_by("-pk")[:50])
    labels = {"create": "新增", "update": "修改", "link_client": "关联接入账户", "unlink_client": "取消关联接入账户",
              "suspend": "暂停结算", "resume": "恢复结算", "terminate": "解除协议"}
    rows = []
    for event in events:
        details = event.details or {}
        action = details.get("action") or event.event_type.rpartition(".")[2]
        rows.append({"at": event.at, "who": event.actor_label, "what": labels.get(action, action),
                     "reason": details.get("reason", ""), "client": details.get("client_id", "")})
    return rows
