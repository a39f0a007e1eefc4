from django.db import models
from django.utils.translation import gettext_lazy as _


class BenefitsErrorCode(models.TextChoices):
    PARAMETER_MISSING = "benefits.parameter_missing", _("该统筹区在该日期没有生效的待遇参数，请先由管理员录入。")
    PARAMETER_OVERLAP = "benefits.parameter_overlap", _("该日期落在已有参数的有效期内（或该统计年度已录入）；如需修改请使用“更正”。")
    INVALID_TRANSITION = "benefits.invalid_transition", _("当前状态下不能办理此操作。")
    SAME_PERSON = "benefits.same_person", _("复核须由另一名待遇审核员办理，经办人不能复核自己经办的业务。")
    NO_CONCLUSION = "benefits.no_conclusion", _("案件尚未登记认定决定和鉴定结论，不能核定待遇。")
    ALREADY_CREATED = "benefits.already_created", _("该结论已核定过待遇。")
    NOT_GRADED = "benefits.not_graded", _(
        "当前鉴定结论为未达级，没有伤残待遇可以核定；原伤残等级的按月待遇由待遇审核员复核后终止。")
    APPRAISAL_ON_PLATFORM = "benefits.appraisal_on_platform", _(
        "本案的伤残等级以劳动能力鉴定委员会在平台上作出的鉴定结论为准，不能手工登记伤残结论；"
        "对结论有异议的，请按再次鉴定或复查鉴定办理。工亡仍可在此登记。")
    RECOGNITION_UNDECIDED = "benefits.recognition_undecided", _(
        "该案件的工伤认定申请尚未作出认定决定，待认定为工伤或视同工伤后才能登记结论、核定待遇。")
    RECOGNITION_REFUSED = "benefits.recognition_refused", _(
        "该案件的工伤认定结论为不予认定工伤，不能核定工伤保险待遇。")
    RUN_EXISTS = "benefits.run_exists", _("该统筹区该月的发放批次已存在。")
    BANK_FILE = "benefits.bank_file", _("银行回盘文件无法识别，请使用导出的报盘文件格式。")
