from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "gongshang.accounts"
    label = "accounts"
    verbose_name = "账户与权限"

    def ready(self):
        from gongshang.core.notifications.templates import register_template

        register_template(
            "sms_staff_activation",
            "【工伤保险】{name}，您的经办账号{username}已开通，请在{days}天内打开链接设置密码并绑定动态口令：{url}",
            secret=True,
        )
