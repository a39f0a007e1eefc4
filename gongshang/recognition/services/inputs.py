"""Cleaning what an applicant typed (page or API) into model values: every problem reported at
once, by field, in Chinese; nothing is saved on a refusal. Required fields (*) are checked at
submission, so a draft may be incomplete."""

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils import timezone

from gongshang.core.errors import FieldErrors
from gongshang.core.money import to_fen
from gongshang.core.regions import full_name, is_valid_region
from gongshang.core.validators import ascii_digits, validate_id_number, validate_mobile, validate_uscc

from ..models import RecognitionApplication
from ..rules import codes, materials

TEXT_FIELDS = ("injured_name", "injured_id_number", "injured_mobile", "job_title", "employer_name",
               "employer_uscc", "employer_address", "employer_contact", "employer_phone", "accident_place",
               "description", "body_part", "diagnosis", "applicant_name", "applicant_id_number",
               "applicant_mobile", "applicant_relation", "handler_name", "handler_mobile", "handling_region",
               "circumstance", "applicant_kind")
BOOL_FIELDS = ("died", "serious_injury", "by_agent")
EDITABLE_FIELDS = (*TEXT_FIELDS, *BOOL_FIELDS, "accident_at", "diagnosed_on", "treatments", "monthly_wage")

REQUIRED = {
    "injured_name": "工伤人员姓名", "injured_id_number": "工伤人员身份证号", "employer_name": "单位名称",
    "employer_uscc": "统一社会信用代码", "accident_at": "受伤时间", "accident_place": "受伤地点",
    "circumstance": "认定情形", "description": "受伤经过", "body_part": "受伤部位", "diagnosis": "诊断结论",
    "applicant_name": "申请人", "applicant_mobile": "申请人联系电话", "handler_name": "经办人",
    "handler_mobile": "经办人联系电话", "handling_region": "受理地区",
}
MAX_TEXT = {"description": 4000}


def _validate(validator, value, field, errors, out):
    try:
        out[field] = validator(value)
    except ValidationError as exc:
        errors[field] = exc.messages[0]


def _text(data: dict, errors: dict, out: dict) -> None:
    for field in TEXT_FIELDS:
        if field not in data or data[field] is None:
            continue
        value = str(data[field]).strip()
        limit = MAX_TEXT.get(field) or RecognitionApplication._meta.get_field(field).max_length or 500
        if len(value) > limit:
            errors[field] = f"{RecognitionApplication._meta.get_field(field).verbose_name}不能超过 {limit} 个字"
            continue
        out[field] = value
    for field, validator in (("injured_id_number", validate_id_number), ("applicant_id_number", validate_id_number),
                             ("employer_uscc", validate_uscc), ("injured_mobile", validate_mobile),
                             ("applicant_mobile", validate_mobile), ("handler_mobile", validate_mobile),
                             ("employer_phone", _phone)):
        if out.get(field):
            _validate(validator, out[field], field, errors, out)
    region = out.get("handling_region")
    if region and not is_valid_region(region):
        errors["handling_region"] = "受理地区应为 6 位行政区划代码，例如青岛市 370200，请从列表中选择"


def _phone(value: str) -> str:
    digits = value.replace("-", "").replace(" ", "")
    if not ascii_digits(digits) or not 7 <= len(digits) <= 12:
        raise ValidationError("联系电话应为手机号或带区号的固定电话，例如 0532-88886666")
    return value


EARLIEST = date(1950, 1, 1)  # before it no application can be in time; also keeps dates inside what DBs store


def _date_error(day: date, label: str) -> str:
    if day < EARLIEST:
        return f"{label}不能早于 {EARLIEST:%Y-%m-%d}，请核对"
    if day > timezone.localdate():
        return f"{label}不能晚于今天，请核对"
    return ""


def _accident_at(value, errors: dict, out: dict) -> None:
    if value in ("", None):
        out["accident_at"] = None
    elif not isinstance(value, datetime):
        errors["accident_at"] = "受伤时间格式应为 YYYY-MM-DD HH:MM"
    elif _date_error(value.date(), "受伤时间"):  # checked on the typed date first: year 1 overflows in UTC
        errors["accident_at"] = _date_error(value.date(), "受伤时间")
    else:
        value = timezone.make_aware(value) if timezone.is_naive(value) else value
        if value > timezone.now():
            errors["accident_at"] = "受伤时间不能晚于现在，请核对"
        else:
            out["accident_at"] = value


def _dates(data: dict, errors: dict, out: dict) -> None:
    if "accident_at" in data:
        _accident_at(data["accident_at"], errors, out)
    if "diagnosed_on" in data:
        value = data["diagnosed_on"]
        if value in ("", None):
            out["diagnosed_on"] = None
        elif not isinstance(value, date) or isinstance(value, datetime):
            errors["diagnosed_on"] = "职业病诊断日期格式应为 YYYY-MM-DD"
        elif _date_error(value, "职业病诊断日期"):
            errors["diagnosed_on"] = _date_error(value, "职业病诊断日期")
        else:
            out["diagnosed_on"] = value


def _others(data: dict, errors: dict, out: dict) -> None:
    for field in BOOL_FIELDS:
        if field in data and data[field] is not None:
            out[field] = bool(data[field])
    if "treatments" in data and data["treatments"] is not None:
        out["treatments"] = list(dict.fromkeys(str(t) for t in data["treatments"]))
    if data.get("monthly_wage") not in (None, ""):
        try:
            wage = Decimal(str(data["monthly_wage"]))
        except InvalidOperation:
            wage = None
        if wage is None or wage < 0 or wage >= Decimal("10000000"):
            errors["monthly_wage"] = "月缴费工资应为 0 到 9999999.99 之间的金额（元）"
        else:
            out["monthly_wage"] = to_fen(wage)
    errors.update(materials.check_facts(out.get("circumstance", ""), out.get("treatments", ()),
                                        out.get("applicant_kind") or codes.EMPLOYER))


def clean_input(data: dict) -> dict:
    """Model values from `data` (only the keys given); FieldErrors listing every problem."""
    unknown = sorted(set(data) - set(EDITABLE_FIELDS))
    errors: dict[str, str] = {field: "不允许的字段" for field in unknown}
    out: dict = {}
    _text(data, errors, out)
    _dates(data, errors, out)
    _others(data, errors, out)
    if errors:
        raise FieldErrors(errors, f"请修改以下内容：{'、'.join(errors)}")
    return out


def missing_required(application) -> dict[str, str]:
    """Field → message for every required (*) field still empty, checked at submission."""
    errors = {field: f"请填写{label}" for field, label in REQUIRED.items() if not getattr(application, field)}
    if not materials.diagnosis_required(application.circumstance):
        errors.pop("diagnosis", None)
        errors.pop("body_part", None)
    if not application.treatments and materials.treatment_required(application.circumstance, application.died):
        errors["treatments"] = "请选择治疗方式（120急救、门诊或住院，可多选）"
    if application.circumstance == codes.OCCUPATIONAL_DISEASE and not application.diagnosed_on:
        errors["diagnosed_on"] = "职业病须填写诊断（鉴定）日期：申请时限自该日起算"
    if application.handling_region and not full_name(application.handling_region):
        errors["handling_region"] = "受理地区代码不存在，请从列表中选择"
    return errors
