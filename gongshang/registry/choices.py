from django.db import models
from django.utils.translation import gettext_lazy as _


class EmployerStatus(models.TextChoices):
    PENDING = "pending", _("待核验")
    ACTIVE = "active", _("正常参保")
    SUSPENDED = "suspended", _("暂停缴费")
    CLOSED = "closed", _("注销")


class Gender(models.TextChoices):
    MALE = "male", _("男")
    FEMALE = "female", _("女")


class InsuranceType(models.TextChoices):
    INJURY = "injury", _("工伤保险")
    UNEMPLOYMENT = "unemployment", _("失业保险")
    MEDICAL = "medical", _("医疗保险")
    PENSION = "pension", _("养老保险")


class EnrolmentStatus(models.TextChoices):
    ACTIVE = "active", _("参保缴费")
    SUSPENDED = "suspended", _("暂停参保")
    TERMINATED = "terminated", _("终止参保")
    RETIRED = "retired", _("退休")
