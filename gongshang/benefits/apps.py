from django.apps import AppConfig


class BenefitsConfig(AppConfig):
    name = "gongshang.benefits"
    label = "benefits"
    verbose_name = "工伤待遇"

    def ready(self):
        from gongshang.core.notifications.templates import register_template

        register_template("sms_payment_failed", "【工伤保险】{month}工伤保险待遇{amount}元发放未成功（{reason}），"
                                                "将在下月重新发放；如银行账户有变化，请联系经办机构。")
