"""单位账户: registration by USCC, extra handler accounts, password reset by SMS to the
reserved mobile (seed 002: 法人登录、注册、忘记密码)."""

from django.conf import settings
from django.db import IntegrityError, transaction

from gongshang.accounts.access import require
from gongshang.accounts.choices import Audience, AuthEvent, SmsPurpose, TokenRevokeReason
from gongshang.accounts.errors import AccountsErrorCode
from gongshang.accounts.models import User
from gongshang.accounts.services import lockout
from gongshang.accounts.services.passwords import check_new_password
from gongshang.accounts.services.sms import sms_code_send, sms_code_verify
from gongshang.accounts.services.tokens import api_tokens_revoke_all
from gongshang.accounts.validation import collect, validated
from gongshang.core.audit import record_event
from gongshang.core.errors import DomainError, FieldErrors, Forbidden
from gongshang.core.pii.crypto import blind_index
from gongshang.core.pii.masking import mask_mobile
from gongshang.core.regions import is_valid_region, pooling_region_of
from gongshang.core.validators import validate_id_number, validate_mobile, validate_uscc
from gongshang.registry.choices import EmployerStatus
from gongshang.registry.models import Employer


def employer_register(*, uscc: str, name: str, legal_rep_name: str, legal_rep_id_number: str,
                      handler_name: str, handler_mobile: str, password: str, region: str = "") -> User:
    """Register the primary handler account of an employer (username = USCC).

    An employer already in the registry must match its legal representative (name + ID number);
    a new employer is added to the registry as 待核验 (pending) until staff verify it.
    """
    region = region or settings.DEFAULT_POOLING_REGION
    with collect() as errors:
        uscc = validated(errors, "uscc", validate_uscc, uscc)
        legal_rep_id_number = validated(errors, "legal_rep_id_number", validate_id_number, legal_rep_id_number)
        handler_mobile = validated(errors, "handler_mobile", validate_mobile, handler_mobile)
        for field, value, label in (("name", name, "单位名称"), ("legal_rep_name", legal_rep_name, "法定代表人姓名"),
                                    ("handler_name", handler_name, "经办人姓名")):
            if not (value or "").strip():
                errors[field] = f"请填写{label}"
        if not is_valid_region(region):
            errors["region"] = "请选择有效的所属统筹区"
        check_new_password(password, field="password", errors=errors)
    with transaction.atomic():
        employer = Employer.objects.select_for_update().filter(uscc=uscc).first()
        if employer is not None:
            if User.objects.filter(employer=employer, is_primary_handler=True).exists():
                raise DomainError(AccountsErrorCode.ALREADY_REGISTERED, status=409)
            if (employer.legal_rep_name != legal_rep_name.strip()
                    or employer.legal_rep_id_number_index != blind_index(legal_rep_id_number)):
                raise FieldErrors(
                    {"legal_rep_name": "法定代表人信息与参保登记不一致，请核对营业执照上的法定代表人姓名和身份证号；"
                                       "如近期变更过法定代表人，请先到经办窗口办理变更。"})
        else:
            employer = Employer.objects.create(
                uscc=uscc, name=name.strip(), region=pooling_region_of(region) or region,
                legal_rep_name=legal_rep_name.strip(), legal_rep_id_number=legal_rep_id_number,
                reserved_mobile=handler_mobile, status=EmployerStatus.PENDING,
            )
        try:
            user = User.objects.create_user(
                username=uscc, password=password, kind=Audience.EMPLOYER, employer=employer,
                is_primary_handler=True, display_name=handler_name.strip(), mobile=handler_mobile,
            )
        except IntegrityError as exc:
            raise DomainError(AccountsErrorCode.ALREADY_REGISTERED, status=409) from exc
        record_event(actor=user, event_type=AuthEvent.EMPLOYER_REGISTERED, target=employer,
                     region=employer.region, details={"uscc": uscc, "new_employer": employer.status == "pending"})
    return user


def _looks_like_uscc(username: str) -> bool:
    # A handler may not take a credit-code-shaped name: the USCC is the primary account's login
    # of *some* employer, and login/password reset look accounts up by it.
    return len(username) == 18 and username.isalnum()


def employer_handler_add(*, actor: User, username: str, display_name: str, mobile: str,
                         password: str) -> User:
    """A primary handler adds another handler account for the same employer."""
    require(actor, "employer_handler", "manage")
    if not actor.is_primary_handler:  # the matrix says employers; of them, the primary handler only
        raise Forbidden("只有单位主经办人可以新增经办人账户。")
    username = (username or "").strip()
    with collect() as errors:
        if not username or len(username) < 4 or not username.replace("-", "").replace("_", "").isalnum():
            errors["username"] = "账户名至少 4 位，只能包含字母、数字、- 和 _"
        elif _looks_like_uscc(username):
            errors["username"] = "账户名不能是统一社会信用代码，请在本单位代码后加序号，例如 代码-02"
        elif User.objects.filter(username__iexact=username).exists():
            errors["username"] = "该账户名已被使用，请换一个"
        if not (display_name or "").strip():
            errors["display_name"] = "请填写经办人姓名"
        mobile = validated(errors, "mobile", validate_mobile, mobile)
        check_new_password(password, field="password", errors=errors)
    with transaction.atomic():
        user = User.objects.create_user(username=username, password=password, kind=Audience.EMPLOYER,
                                        employer_id=actor.employer_id, display_name=display_name.strip(),
                                        mobile=mobile)
        record_event(actor=actor, event_type=AuthEvent.HANDLER_ADDED, target=user,
                     region=actor.employer.region, details={"username": username})
    return user


def _employer_account(username: str, legal_rep_name: str) -> User:
    user = (User.objects.select_related("employer")
            .filter(username__iexact=(username or "").strip(), kind=Audience.EMPLOYER).first())
    if user is None or user.employer.legal_rep_name != (legal_rep_name or "").strip():
        raise FieldErrors({"username": "账户名与法定代表人姓名不匹配，请核对后重试。"})
    if not user.employer.reserved_mobile:
        raise FieldErrors({"username": "该单位没有预留手机号，请到经办窗口办理“账号申诉”。"})
    return user


def employer_password_reset_send(*, username: str, legal_rep_name: str) -> tuple[str, str]:
    """Send a reset code to the employer's reserved mobile; returns (masked mobile, code)."""
    user = _employer_account(username, legal_rep_name)
    code = sms_code_send(mobile=user.employer.reserved_mobile, purpose=SmsPurpose.RESET_PASSWORD,
                         region=user.employer.region)
    return mask_mobile(user.employer.reserved_mobile), code


def employer_password_reset(*, username: str, legal_rep_name: str, code: str, new_password: str) -> User:
    """Set a new password with the SMS code; every API token of the account stops working."""
    user = _employer_account(username, legal_rep_name)
    if not sms_code_verify(mobile=user.employer.reserved_mobile, purpose=SmsPurpose.RESET_PASSWORD, code=code):
        raise FieldErrors({"code": AccountsErrorCode.SMS_CODE_INVALID.label})
    check_new_password(new_password, user=user, field="new_password")
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])
        api_tokens_revoke_all(user=user, reason=TokenRevokeReason.PASSWORD_RESET)
        record_event(actor=user, event_type=AuthEvent.PASSWORD_RESET, target=user,
                     region=user.employer.region)
    lockout.reset_account(user.username)
    return user
