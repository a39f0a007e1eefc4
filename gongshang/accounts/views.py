"""Sign-in pages for the four audiences, registration, password reset, binding, account admin."""

import base64
import io
from urllib.parse import quote

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.http import HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from gongshang.accounts import forms
from gongshang.accounts.access import permit, public
from gongshang.accounts.choices import Audience, SmsPurpose, TokenRevokeReason
from gongshang.accounts.errors import AccountsErrorCode
from gongshang.accounts.models import User
from gongshang.accounts.selectors import (
    api_token_get_for,
    api_token_list,
    employer_handler_list,
    institution_client_list,
    staff_account_get_for,
    staff_account_list,
)
from gongshang.accounts.services import (
    auth,
    employers,
    individuals,
    institutions,
    lockout,
    passwords,
    staff,
    tokens,
)
from gongshang.accounts.services.sms import sms_code_send
from gongshang.accounts.validation import collect, validated
from gongshang.core.errors import DomainError
from gongshang.core.pii.masking import mask_mobile
from gongshang.core.validators import validate_mobile
from gongshang.web.errors import add_errors_to_form
from gongshang.web.paging import paged

HOME_BY_AUDIENCE = {
    Audience.INDIVIDUAL: "web:individual_home",
    Audience.EMPLOYER: "web:employer_home",
    Audience.STAFF: "web:staff_home",
    Audience.INSTITUTION: "medical:portal_home",
}


def lockout_response(request, response=None, credentials=None, *args, **kwargs):
    """django-axes calls this when a locked login is attempted through its middleware."""
    error = lockout.locked_error()
    if request.path.startswith("/api/"):
        return JsonResponse(error.as_body(), status=error.status, json_dumps_params={"ensure_ascii": False})
    return render(request, "accounts/locked_out.html", {"message": error.message}, status=error.status)


def _after_login(request, user):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return redirect(target)
    return redirect(HOME_BY_AUDIENCE.get(user.kind, "web:home"))


@public
def login_choice(request):
    return render(request, "accounts/login_choice.html")


def _password_login(request, form_class, audience: str, template: str):
    """One page flow for every password entrance; the form decides whether a TOTP is asked.

    The image captcha is the challenge: always on the employer page, on the staff page once the
    account is past its failure ceiling (then the page asks again, with the captcha)."""
    form = form_class(request.POST or None, challenge="captcha_1" in request.POST)
    notice = None
    if request.method == "POST" and form.is_valid():
        try:
            user, device = auth.authenticate_password(request, username=form.cleaned_data["username"],
                                                      password=form.cleaned_data["password"],
                                                      otp=form.cleaned_data.get("otp"), audiences={audience},
                                                      challenge_passed=form.challenged)
        except DomainError as exc:
            if exc.code != AccountsErrorCode.CHALLENGE_REQUIRED:
                add_errors_to_form(form, exc)
            else:
                form = form_class(initial={"username": form.cleaned_data["username"]}, challenge=True)
                notice = AccountsErrorCode.CHALLENGE_REQUIRED.label
        else:
            auth.session_login(request, user, device)
            return _after_login(request, user)
    return render(request, template, {"form": form, "notice": notice})


@public
def employer_login(request):
    return _password_login(request, forms.EmployerLoginForm, Audience.EMPLOYER, "accounts/employer_login.html")


@public
def institution_login(request):
    """定点机构登录: client id + secret; the same lockout and throttle as every password entrance,
    and the image captcha on every attempt, as on the employer page."""
    return _password_login(request, forms.InstitutionLoginForm, Audience.INSTITUTION,
                           "accounts/institution_login.html")


@public
def staff_login(request):
    return _password_login(request, forms.StaffLoginForm, Audience.STAFF, "accounts/staff_login.html")


@public
def individual_login(request):
    form = forms.IndividualLoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not form.cleaned_data.get("code"):
            form.add_error("code", "请填写短信验证码")
        else:
            try:
                user = auth.individual_sms_login(request, mobile=_mobile(form), code=form.cleaned_data["code"])
            except DomainError as exc:
                add_errors_to_form(form, exc)
            else:
                auth.session_login(request, user)
                if user.person_id is None:
                    messages.info(request, "登录成功。请先完成实名绑定，以便查询您的参保和工伤信息。")
                    return redirect("accounts:bind_person")
                return _after_login(request, user)
    return render(request, "accounts/individual_login.html", {"form": form})


def _mobile(form) -> str:
    with collect() as errors:
        mobile = validated(errors, "mobile", validate_mobile, form.cleaned_data["mobile"])
    return mobile


@require_POST
@public
def individual_send_code(request):
    """htmx: send the login code; answers a small fragment shown under the form."""
    form = forms.IndividualLoginForm(request.POST)
    context = {}
    if form.is_valid():
        try:
            mobile = _mobile(form)
            code = sms_code_send(mobile=mobile, purpose=SmsPurpose.LOGIN)
            context = {"ok": True, "masked": mask_mobile(mobile),
                       "demo_code": code if settings.SMS_DEMO_SHOW_CODE else None,
                       "minutes": settings.SMS_CODE_TTL_SECONDS // 60}
        except DomainError as exc:
            context = {"error": exc.message}
    else:
        context = {"error": "请填写正确的手机号"}
    return render(request, "accounts/_sms_sent.html", context)


@public  # signed in or not: ends whatever session there is
def logout_view(request):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    auth.session_logout(request)
    messages.success(request, "您已安全退出。")
    return redirect("web:home")


@permit("own_account", "change_password")
def password_change(request):
    """修改密码: revokes every API token and ends every other session; this one stays."""
    form = forms.PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = passwords.password_change(request, actor=request.user,
                                             old_password=form.cleaned_data["old_password"],
                                             new_password=form.cleaned_data["new_password"])
        except DomainError as exc:
            add_errors_to_form(form, exc)
        else:
            update_session_auth_hash(request, user)
            messages.success(request, "密码已修改。本账户的接口令牌已全部撤销，其他设备上的登录已退出。")
            return redirect(HOME_BY_AUDIENCE.get(user.kind, "web:home"))
    return render(request, "accounts/password_change.html", {"form": form})


@permit("own_account", "view")
def my_tokens(request):
    """我的登录令牌: the account's live API tokens (revocable) and those that ended lately."""
    page, query = paged(request, api_token_list(actor=request.user))
    ended = api_token_list(actor=request.user, active=False)[:20]
    return render(request, "accounts/my_tokens.html", {"page": page, "query": query, "ended": ended})


@require_POST
@permit("own_account", "edit")
def my_token_revoke(request, pk: int):
    token = api_token_get_for(request.user, pk, "edit")
    if tokens.api_token_revoke(actor=request.user, token=token, reason=TokenRevokeReason.USER):
        messages.success(request, f"已撤销令牌 {token.masked}，使用它的客户端须重新登录。")
    else:
        messages.info(request, f"令牌 {token.masked} 已失效，无需撤销。")
    return redirect("accounts:my_tokens")


@public
def employer_register(request):
    form = forms.EmployerRegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = employers.employer_register(
                uscc=data["uscc"], name=data["name"], legal_rep_name=data["legal_rep_name"],
                legal_rep_id_number=data["legal_rep_id_number"], handler_name=data["handler_name"],
                handler_mobile=data["handler_mobile"], password=data["password"], region=data["region"])
        except DomainError as exc:
            add_errors_to_form(form, exc)
        else:
            messages.success(request, f"注册成功。登录账户名为统一社会信用代码 {user.username}。")
            return redirect("accounts:employer_login")
    return render(request, "accounts/employer_register.html", {"form": form})


@public
def employer_password_reset(request):
    form = forms.PasswordResetForm(request.POST or None)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if request.POST.get("action") == "send":
                masked, code = employers.employer_password_reset_send(
                    username=data["username"], legal_rep_name=data["legal_rep_name"])
                context.update(sent_to=masked, demo_code=code if settings.SMS_DEMO_SHOW_CODE else None)
            else:
                if not data.get("code"):
                    form.add_error("code", "请填写短信验证码")
                elif not data.get("new_password"):
                    form.add_error("new_password", "请填写新密码")
                else:
                    employers.employer_password_reset(
                        username=data["username"], legal_rep_name=data["legal_rep_name"],
                        code=data["code"], new_password=data["new_password"])
                    messages.success(request, "密码已重置，请使用新密码登录。")
                    return redirect("accounts:employer_login")
        except DomainError as exc:
            add_errors_to_form(form, exc)
    return render(request, "accounts/employer_password_reset.html", context)


@permit("own_account", "bind_person")
def bind_person(request):
    form = forms.BindPersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            individuals.person_bind(request, actor=request.user, id_number=form.cleaned_data["id_number"],
                                    name=form.cleaned_data["name"])
        except DomainError as exc:
            add_errors_to_form(form, exc)
        else:
            messages.success(request, "实名绑定成功。")
            return redirect("web:individual_home")
    return render(request, "accounts/bind_person.html", {"form": form})


@permit("employer_handler", "view")
def employer_handlers(request):
    form = forms.HandlerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            employers.employer_handler_add(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_errors_to_form(form, exc)
        else:
            messages.success(request, "已新增经办人账户。")
            return redirect("accounts:employer_handlers")
    return render(request, "accounts/employer_handlers.html",
                  {"form": form, "handlers": employer_handler_list(actor=request.user)})


def _totp_qr(uri: str) -> str:
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def _public_base(request) -> str:
    """Where the activation link points: the configured public address, else this site's."""
    return settings.PUBLIC_BASE_URL or request.build_absolute_uri("/").rstrip("/")


def _activation_notice(user, link) -> dict:
    return {"user": user, "masked_mobile": mask_mobile(user.mobile),
            "demo_link": link if settings.SMS_DEMO_SHOW_CODE else None}


@permit("staff_account", "view")
def staff_list(request):
    form = forms.StaffCreateForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            user, link = staff.staff_create(actor=request.user, jurisdiction=request.user.jurisdiction,
                                            base=_public_base(request),
                                            **form.cleaned_data)
        except DomainError as exc:
            add_errors_to_form(form, exc)
        else:
            created = _activation_notice(user, link)
            form = forms.StaffCreateForm()
    return render(request, "accounts/staff_list.html",
                  {"form": form, "accounts": staff_account_list(actor=request.user), "created": created})


@permit("staff_account", "view")
def staff_detail(request, pk: int):
    account = staff_account_get_for(request.user, pk, "manage" if request.method == "POST" else "view")
    initial = {"roles": sorted(account.role_codes), "organisation": account.organisation}
    form = forms.StaffRolesForm(request.POST or None, initial=initial)
    reset = None
    if request.method == "POST" and request.POST.get("action") == "reset_credentials":
        try:
            link = staff.staff_credentials_reset(actor=request.user, user=account, base=_public_base(request))
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            reset = _activation_notice(account, link)
        form = forms.StaffRolesForm(initial=initial)
    elif request.method == "POST" and form.is_valid():
        try:
            staff.staff_set_roles(actor=request.user, user=account, roles=form.cleaned_data["roles"],
                                  organisation=form.cleaned_data["organisation"])
        except DomainError as exc:
            add_errors_to_form(form, exc)
        else:
            messages.success(request, "角色已更新。")
            return redirect(reverse("accounts:staff_detail", args=[account.pk]))
    return render(request, "accounts/staff_detail.html", {"account": account, "form": form, "reset": reset})


ACTIVATION_SESSION_KEY = "staff_activation_totp"


@public  # the signed one-time token is the credential
def staff_activate(request, uidb64: str, token: str):
    """The one-time link: the staff member sets a password and enrols the authenticator."""
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_str
    from django.utils.http import urlsafe_base64_decode
    from django_otp.util import random_hex

    try:
        user = User.objects.get(pk=int(force_str(urlsafe_base64_decode(uidb64))), kind=Audience.STAFF)
    except (ValueError, TypeError, OverflowError, User.DoesNotExist):
        user = None
    if user is None or not default_token_generator.check_token(user, token):
        return render(request, "accounts/staff_activate_invalid.html", status=404)
    keys = request.session.get(ACTIVATION_SESSION_KEY, {})
    key = keys.get(str(user.pk)) or random_hex(20)
    request.session[ACTIVATION_SESSION_KEY] = {**keys, str(user.pk): key}
    form = forms.StaffActivateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            staff.staff_activate(user=user, password=form.cleaned_data["password"], totp_key=key,
                                 otp=form.cleaned_data["otp"])
        except DomainError as exc:
            add_errors_to_form(form, exc)
        else:
            request.session.pop(ACTIVATION_SESSION_KEY, None)
            messages.success(request, "账户已激活，请使用新密码和动态口令登录。")
            return redirect("accounts:staff_login")
    secret = base64.b32encode(bytes.fromhex(key)).decode()
    uri = f"otpauth://totp/{quote('工伤保险平台')}:{quote(user.username)}?secret={secret}&issuer={quote('工伤保险平台')}"
    return render(request, "accounts/staff_activate.html",
                  {"form": form, "account": user, "secret": secret, "qr": _totp_qr(uri)})


@permit("institution_credential", "view")
def institution_list(request):
    form = forms.InstitutionForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            user, secret = institutions.institution_client_create(
                actor=request.user, name=form.cleaned_data["name"], jurisdiction=request.user.jurisdiction)
        except DomainError as exc:
            add_errors_to_form(form, exc)
        else:
            created = {"client_id": user.username, "secret": secret, "name": user.display_name}
            form = forms.InstitutionForm()
    return render(request, "accounts/institution_list.html",
                  {"form": form, "clients": institution_client_list(actor=request.user), "created": created})



@permit("access_matrix", "view")
def access_matrix(request):
    """The role × action matrix as the security administrator reads it (rows: kind · action)."""
    from gongshang.accounts.rules import access_table

    return render(request, "accounts/access_matrix.html",
                  {"rows": access_table.rows(), "columns": access_table.column_labels()})
