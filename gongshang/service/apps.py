from django.apps import AppConfig


class ServiceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "gongshang.service"
    verbose_name = "服务（一窗受理、12333、留言、好差评、工伤预防）"
