from django.db import models
from django.utils.translation import gettext_lazy as _


class CertificateKind(models.TextChoices):
    """IssuedDocument.kind values of the employer hall's printouts."""

    EMPLOYER = "registry.employer_certificate", _("工伤保险单位参保证明")
    PERSON = "registry.person_certificate", _("个人参保证明")
    CHANGE_REPORT = "registry.change_report", _("人员增减员异动申报表")


class CertificateErrorCode(models.TextChoices):
    EMPLOYER_PENDING = "certificate_employer_pending", _("单位信息尚待经办机构核验，核验通过后才能打印证明。")
    NO_INJURY_ENROLMENT = "certificate_no_injury_enrolment", _(
        "本单位还没有工伤保险参保记录，无法出具单位参保证明。请先办理增员申报，经办机构确认后再打印。")
    NO_ENROLMENT_HERE = "certificate_no_enrolment_here", _("该人员在本单位没有参保记录，无法出具个人参保证明。")
    TOO_MANY_ROWS = "certificate_too_many_rows", _("所选期间的异动记录过多，请缩短期间后分次打印。")
