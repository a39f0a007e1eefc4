"""协议机构: create and edit (validated), suspend / resume / terminate the agreement (with a reason,
through the transition table), link the institution's API client accounts, and the one check the
settlement parts call before any settlement (`institution_settleable`)."""

import re
from datetime import date

from django.db import transaction

from gongshang.accounts.access import check, require
from gongshang.accounts.choices import Audience
from gongshang.core.audit import record_event
from gongshang.core.errors import DomainError, FieldErrors
from gongshang.core.regions import full_name, get_region, pooling_region_of
from gongshang.core.workflow import transition

from ..choices import AgreementStatus, EventType, InstitutionKind
from ..errors import MedicalErrorCode
from ..models import AgreementInstitution

# 医保定点机构编码 (e.g. H37020200001: H + 区划 + 序号) or the agency's own code for rehabilitation
# institutions and device suppliers: a capital letter, then 4-19 capital letters or digits.
CODE_PATTERN = re.compile(r"^[A-Z][A-Z0-9]{4,19}$")
FIELDS = ("county", "code", "name", "kind", "level", "agreement_no", "agreement_from", "agreement_to",
          "address", "contact_name", "contact_phone", "webhook_url", "bank_name", "bank_account")
REQUIRED = {"county": "请选择机构所在区县", "code": "请填写机构编码", "name": "请填写机构名称",
            "kind": "请选择机构类别", "agreement_no": "请填写协议编号", "agreement_from": "请填写协议起始日期",
            "agreement_to": "请填写协议终止日期"}
MAX_REASON = 500
BANK_ACCOUNT = re.compile(r"^\d{8,30}$")
# Text a spreadsheet would run as a formula: the bank file (CSV / xlsx) carries the name and bank.
FORMULA_START = ("=", "+", "-", "@")


def county_choices(region: str) -> list[tuple[str, str]]:
    """The counties (区县) of a 统筹区 for a form's select, from the GB/T 2260 list."""
    from gongshang.core.regions import children

    return [(c.code, c.name) for c in children(region) if not c.is_placeholder]


def _clean(region: str, data: dict, *, instance: AgreementInstitution | None = None) -> dict:
    values = {name: data[name] for name in FIELDS if name in data}
    for name, value in values.items():
        if isinstance(value, str):
            values[name] = value.strip()
    errors = {}
    for name, message in REQUIRED.items():
        if instance is None or name in values:
            if values.get(name) in (None, ""):
                errors[name] = message
    code = values.get("code")
    if code:
        code = values["code"] = code.upper()
        if not CODE_PATTERN.match(code):
            errors["code"] = "机构编码应以大写字母开头，由 5～20 位大写字母或数字组成（如医保定点编码 H37020200001）"
        elif AgreementInstitution.objects.filter(code=code).exclude(pk=getattr(instance, "pk", None)).exists():
            errors["code"] = f"机构编码 {code} 已被其他协议机构使用，请核对"
    for name, label in (("name", "机构名称"), ("bank_name", "开户银行")):
        if str(values.get(name) or "").startswith(FORMULA_START):
            errors[name] = f"{label}不能以 = + - @ 开头（表格软件会当作公式），请核对"
    if values.get("bank_account"):
        account = values["bank_account"] = "".join(str(values["bank_account"]).split())
        if not BANK_ACCOUNT.match(account):
            errors["bank_account"] = "银行账号应为 8～30 位数字（可含空格），请按开户许可证或银行回单核对"
    kind = values.get("kind")
    if kind and kind not in InstitutionKind.values:
        errors["kind"] = "机构类别只能是医疗机构、康复机构或辅助器具配置机构"
    county = values.get("county")
    if county:
        place = get_region(county)
        if place is None or place.level != "county" or pooling_region_of(county) != region:
            errors["county"] = (f"区县代码 {county} 不在本统筹区（{full_name(region) or region}）内，"
                                "请从列表中选择本统筹区的区县")
    start = values.get("agreement_from", getattr(instance, "agreement_from", None))
    end = values.get("agreement_to", getattr(instance, "agreement_to", None))
    if isinstance(start, date) and isinstance(end, date) and start > end:
        errors["agreement_to"] = "协议终止日期不能早于起始日期，请核对协议期限"
    if errors:
        raise FieldErrors(errors)
    return values


def institution_create(*, actor, data: dict) -> AgreementInstitution:
    """A new 协议机构 in the actor's 统筹区, agreement in force."""
    require(actor, "medical_institution", "manage")
    region = actor.jurisdiction
    values = _clean(region, data)
    with transaction.atomic():
        institution = AgreementInstitution.objects.create(region=region, status=AgreementStatus.IN_FORCE, **values)
        record_event(actor=actor, event_type=EventType.INSTITUTION_SAVED, target=institution, region=region,
                     details={"action": "create", "code": institution.code, "name": institution.name})
    return institution


def institution_update(*, actor, institution: AgreementInstitution, data: dict) -> AgreementInstitution:
    """Change the institution's data (not its status: suspend / resume / terminate do that)."""
    check(actor, institution, "manage")
    values = _clean(institution.region, data, instance=institution)
    with transaction.atomic():
        locked = AgreementInstitution.objects.select_for_update().get(pk=institution.pk)
        changed = sorted(name for name, value in values.items() if getattr(locked, name) != value)
        for name in changed:
            setattr(locked, name, values[name])
        if changed:
            locked.save(update_fields=[*changed, "updated_at"])
            # Field names only: the phone and the bank account are personal or sensitive.
            record_event(actor=actor, event_type=EventType.INSTITUTION_SAVED, target=locked, region=locked.region,
                         details={"action": "update", "fields": changed})
    return locked


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise FieldErrors({"reason": "请填写原因（将记入协议机构的变更记录）"})
    if len(reason) > MAX_REASON:
        raise FieldErrors({"reason": f"原因最多 {MAX_REASON} 个字"})
    return reason


def institution_suspend(*, actor, institution: AgreementInstitution, reason: str) -> AgreementInstitution:
    """暂停结算: the institution may not settle until resumed (e.g. during a 稽核 finding)."""
    return transition(actor, institution, "suspend", details={"reason": _reason(reason)},
                      code=MedicalErrorCode.INVALID_TRANSITION)


def institution_resume(*, actor, institution: AgreementInstitution, reason: str) -> AgreementInstitution:
    return transition(actor, institution, "resume", details={"reason": _reason(reason)},
                      code=MedicalErrorCode.INVALID_TRANSITION)


def institution_terminate(*, actor, institution: AgreementInstitution, reason: str) -> AgreementInstitution:
    """解除协议: final; a new agreement is a new 协议机构 record with its own number."""
    return transition(actor, institution, "terminate", details={"reason": _reason(reason)},
                      code=MedicalErrorCode.INVALID_TRANSITION)


def _client(institution: AgreementInstitution, client_id: str):
    from gongshang.accounts.models import User

    client = User.objects.filter(username=(client_id or "").strip(), kind=Audience.INSTITUTION).first()
    if client is None:
        raise FieldErrors({"client_id": "未找到该接入账户，请核对客户端编号（由安全管理员在“定点机构凭证”中创建）"})
    if client.jurisdiction and client.jurisdiction != institution.region:
        raise FieldErrors({"client_id": "该接入账户属于其他统筹区，不能关联本统筹区的协议机构"})
    return client


def institution_link_client(*, actor, institution: AgreementInstitution, client_id: str):
    """Let an existing 定点机构 API account act for this institution (its API and portal)."""
    check(actor, institution, "manage")
    client = _client(institution, client_id)
    with transaction.atomic():
        institution.api_clients.add(client)
        record_event(actor=actor, event_type=EventType.INSTITUTION_SAVED, target=institution,
                     region=institution.region, details={"action": "link_client", "client_id": client.username})
    return client


def institution_unlink_client(*, actor, institution: AgreementInstitution, client_id: str):
    check(actor, institution, "manage")
    client = institution.api_clients.filter(username=(client_id or "").strip()).first()
    if client is None:
        raise FieldErrors({"client_id": "该接入账户没有关联本机构"})
    with transaction.atomic():
        institution.api_clients.remove(client)
        record_event(actor=actor, event_type=EventType.INSTITUTION_SAVED, target=institution,
                     region=institution.region, details={"action": "unlink_client", "client_id": client.username})
    return client


def institution_settleable(institution: AgreementInstitution, on: date) -> None:
    """Raise DomainError(NO_AGREEMENT, 403) unless the agreement is in force on `on`.

    条例 第三十条: treatment at agreement institutions; only an agreement in force on the day of
    the settlement (status in_force and from ≤ day ≤ to) lets the fund pay directly. 403, not 422:
    nothing in the request is wrong, the institution is not allowed to settle on that day.
    """
    if institution.agreement_in_force(on):
        return
    if institution.status == AgreementStatus.SUSPENDED:
        message = f"{institution.name}的工伤保险服务协议已暂停结算，暂不能直接结算，请联系经办机构。"
    elif institution.status == AgreementStatus.TERMINATED:
        message = f"{institution.name}的工伤保险服务协议已解除，不能直接结算。"
    else:
        message = (f"{institution.name}的工伤保险服务协议有效期为 {institution.agreement_from:%Y-%m-%d} 至 "
                   f"{institution.agreement_to:%Y-%m-%d}，{on:%Y-%m-%d} 不在协议期内，不能直接结算。")
    raise DomainError(MedicalErrorCode.NO_AGREEMENT, message, status=403,
                      details={"institution": institution.code, "status": institution.status, "on": on.isoformat()})
