"""Error codes of the batches, panels and exam day (the value is the machine code, the label the
default Chinese message)."""

from django.db import models


class BatchErrorCode(models.TextChoices):
    DRAW_INCOMPLETE = "draw_incomplete", "部分申请无法组成专家组，本次未抽取。请按提示补充专家后重新抽取。"
    NO_COMMITMENT = "no_commitment", "该批次没有事先公布抽取种子承诺值，不能抽取。"
    OPINIONS_MISSING = "opinions_missing", "专家组成员尚未全部签署意见。"
    OPINION_SIGNED = "opinion_signed", "您已签署过本申请的意见，不能再次签署。"
    NOT_GREEN_CHANNEL = "not_green_channel", "只有绿色通道申请可以安排上门或远程鉴定。"
    NO_PANEL = "no_panel", "该申请尚未抽取专家组。"
    NOT_EXPERT = "not_expert", "您的账户没有登记为鉴定专家。"
