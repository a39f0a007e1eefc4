from django.apps import AppConfig


class MedicalConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "gongshang.medical"
    verbose_name = "工伤医疗"
