"""鉴定专家库 services: add and edit experts (门类 of GB/T 16180-2014, title, employer for recusal,
availability), declare conflicts (回避, 条例 第二十七条), and open an expert's own login.

The login is a staff account holding only the role 鉴定专家 (appraisal_expert): it reaches the
applications of the panels the expert sits on and nothing else (permissions.staff_rows). The
鉴定管理员 opens it here instead of the 安全管理员 because the role grants nothing beyond the
expert's own panels; the password and TOTP are set by the expert through the one-time activation
link sent to their mobile (accounts.services.staff), never by the administrator."""

from datetime import date

from django.db import transaction

from gongshang.accounts.access import check, require
from gongshang.accounts.choices import StaffRole
from gongshang.accounts.services.staff import staff_activation_send, staff_create
from gongshang.core.audit import record_event
from gongshang.core.errors import CoreErrorCode, DomainError, FieldErrors
from gongshang.core.validators import validate_mobile

from ..choices import ConflictKind
from ..models import Expert, ExpertConflict
from ..rules.categories import CATEGORIES, LABELS

TITLES = ("主任医师", "副主任医师", "主任药师", "教授", "副教授")   # 条例 第二十四条: 高级职称


def _clean(data: dict, *, partial: bool = False) -> dict:
    errors, out = {}, {}
    if "name" in data or not partial:
        name = (data.get("name") or "").strip()
        if not name:
            errors["name"] = "请填写专家姓名"
        out["name"] = name[:50]
    if "categories" in data or not partial:
        cats = [c for c in (data.get("categories") or []) if c]
        wrong = [c for c in cats if c not in CATEGORIES]
        if not cats or wrong:
            errors["categories"] = f"请至少选择一个门类：{'、'.join(LABELS.values())}"
        out["categories"] = [c for c in CATEGORIES if c in cats]
    if "title" in data or not partial:
        title = (data.get("title") or "").strip()
        if title not in TITLES:
            errors["title"] = f"专家须具有高级职称（条例第二十四条），请选择：{'、'.join(TITLES)}"
        out["title"] = title
    if "workplace" in data or not partial:
        workplace = (data.get("workplace") or "").strip()
        if not workplace:
            errors["workplace"] = "请填写工作单位（医疗机构）"
        out["workplace"] = workplace[:200]
    if "mobile" in data:
        mobile = (data.get("mobile") or "").strip()
        if mobile:
            try:
                mobile = validate_mobile(mobile)
            except Exception:  # noqa: BLE001 - the validator's ValidationError
                errors["mobile"] = "请填写正确的 11 位手机号码"
        out["mobile"] = mobile
    for key in ("employer", "available", "unavailable_until"):
        if key in data:
            out[key] = data[key]
    if isinstance(out.get("unavailable_until"), str):
        try:
            out["unavailable_until"] = date.fromisoformat(out["unavailable_until"]) if out["unavailable_until"] else None
        except ValueError:
            errors["unavailable_until"] = "暂停日期格式应为 YYYY-MM-DD"
    if errors:
        raise FieldErrors(errors)
    return out


@transaction.atomic
def expert_create(*, actor, data: dict) -> Expert:
    require(actor, "appraisal_expert", "manage")
    fields = _clean(data)
    expert = Expert.objects.create(region=actor.jurisdiction, **fields)
    record_event(actor=actor, event_type="appraisal_expert.created", target=expert, region=expert.region,
                 details={"name": expert.name, "categories": expert.categories})
    return expert


@transaction.atomic
def expert_update(*, actor, expert: Expert, data: dict) -> Expert:
    check(actor, expert, "manage")
    fields = _clean(data, partial=True)
    for name, value in fields.items():
        setattr(expert, name, value)
    expert.save()
    record_event(actor=actor, event_type="appraisal_expert.updated", target=expert, region=expert.region,
                 details={k: (str(v) if not isinstance(v, list | bool | type(None)) else v)
                          for k, v in fields.items() if k != "mobile"})
    return expert


@transaction.atomic
def conflict_add(*, actor, expert: Expert, person, kind: str, note: str = "") -> ExpertConflict:
    check(actor, expert, "manage")
    if kind not in ConflictKind.values:
        raise FieldErrors({"kind": f"回避事由请选择：{'、'.join(ConflictKind.labels)}"})
    if person is None:
        raise FieldErrors({"id_number": "未找到该身份证号的参保人，请核对需回避的工伤职工身份证号"})
    conflict, _ = ExpertConflict.objects.get_or_create(expert=expert, person=person, kind=kind,
                                                       defaults={"note": (note or "")[:200]})
    record_event(actor=actor, event_type="appraisal_expert.conflict_added", target=expert, region=expert.region,
                 details={"person": person.pk, "kind": kind})
    return conflict


def expert_account_create(*, actor, expert: Expert, username: str, mobile: str = "",
                          password: str | None = None, totp_key: str | None = None):
    """The expert's own login (role 鉴定专家 only). With an actor, the activation link goes to the
    expert's mobile; `password`/`totp_key` only without an actor (demo data)."""
    if actor is not None:
        check(actor, expert, "manage")
        if password is not None or totp_key is not None:
            raise DomainError(CoreErrorCode.FORBIDDEN, "不能为专家设定密码，请由专家本人通过激活链接设置。", status=403)
    if expert.user_id:
        raise DomainError(CoreErrorCode.CONFLICT, f"{expert.name}已有登录账户（{expert.user.username}）。", status=409)
    mobile = mobile or expert.mobile
    if actor is not None and not mobile:
        raise FieldErrors({"mobile": "请填写专家本人的手机号码，激活链接将发送到该号码"})
    with transaction.atomic():
        user, _ = staff_create(actor=None, username=username, display_name=expert.name,
                               jurisdiction=expert.region, roles=[StaffRole.APPRAISAL_EXPERT], mobile=mobile,
                               password=password, totp_key=totp_key)
        expert.user = user
        if mobile and not expert.mobile:
            expert.mobile = mobile
        expert.save(update_fields=["user", "mobile"])
        link = staff_activation_send(actor=actor, user=user) if actor is not None else None
        record_event(actor=actor, event_type="appraisal_expert.account_created", target=expert, region=expert.region,
                     details={"username": user.username}, actor_label="" if actor else "system")
    return user, link
