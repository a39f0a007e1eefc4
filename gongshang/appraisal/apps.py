from django.apps import AppConfig


class AppraisalConfig(AppConfig):
    name = "gongshang.appraisal"
    label = "appraisal"
    verbose_name = "劳动能力鉴定"
