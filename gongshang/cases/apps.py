from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "gongshang.cases"
    label = "cases"
    verbose_name = "工伤案件"
