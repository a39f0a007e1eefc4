"""Message templates: code → Chinese text with {placeholders}, rendered when the message is queued.

Apps add their own with `register_template(code, text)` at import time (e.g. in AppConfig.ready);
codes start with the channel (`sms_`, `wechat_`) so a list of templates reads by channel.
SMS texts carry the signature 【工伤保险】 the gateways require.
"""

import string

TEMPLATES: dict[str, str] = {
    # Accounts (个人登录, 单位找回密码).
    "sms_login_code": "【工伤保险】您的登录验证码为{code}，5分钟内有效。如非本人操作请忽略。",
    "sms_reset_code": "【工伤保险】您正在找回单位账户密码，验证码为{code}，5分钟内有效。请勿将验证码告知他人。",
    # Case progress and notices.
    "sms_case_progress": "【工伤保险】您的工伤案件{case_no}已进入“{stage}”环节，可登录平台查看详情。",
    "sms_supplement_notice": "【工伤保险】您提交的{business}材料需要补正：{items}。请于{deadline}前通过平台或窗口一次性补交。",
    "sms_decision_issued": "【工伤保险】您的{business}（{case_no}）已作出决定，请登录平台查看或领取文书。",
    "sms_payment_issued": "【工伤保险】{month}工伤保险待遇{amount}元已发放至您尾号{account_tail}的账户，请注意查收。",
    "sms_generic": "【工伤保险】{text}",
    "wechat_case_progress": "工伤案件进度提醒\n案件编号：{case_no}\n当前环节：{stage}\n请进入平台查看详情。",
    "wechat_generic": "{title}\n{text}",
}

# Templates whose params are secrets (one-time codes): never shown on staff pages.
SECRET_TEMPLATES: set[str] = {"sms_login_code", "sms_reset_code"}


class TemplateError(ValueError):
    """Unknown template code or missing parameter: a programming error in the caller."""


def register_template(code: str, text: str, *, secret: bool = False) -> None:
    """Add (or replace) a template. `secret=True` keeps its params off staff pages."""
    placeholders(text)  # fail at registration, not when the first message goes out
    TEMPLATES[code] = text
    if secret:
        SECRET_TEMPLATES.add(code)


def placeholders(text: str) -> set[str]:
    names = set()
    for _literal, field, _spec, _conv in string.Formatter().parse(text):
        if field is None:
            continue
        if not field.isidentifier():
            raise TemplateError(f"模板占位符只能是简单名称：{{{field}}}")
        names.add(field)
    return names


def render(code: str, params: dict) -> str:
    """The message body for template `code` with `params`; every placeholder must be given."""
    try:
        text = TEMPLATES[code]
    except KeyError:
        raise TemplateError(f"未知的消息模板：{code}") from None
    missing = placeholders(text) - set(params)
    if missing:
        raise TemplateError(f"消息模板 {code} 缺少参数：{', '.join(sorted(missing))}")
    return text.format_map({key: str(value) for key, value in params.items()})
