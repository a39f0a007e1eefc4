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


class EmployerType(models.TextChoices):
    ENTERPRISE = "enterprise", _("企业")
    PUBLIC_INSTITUTION = "public_institution", _("机关事业单位")
    SOCIAL_ORGANISATION = "social_organisation", _("社会团体")
    PRIVATE_NON_ENTERPRISE = "private_non_enterprise", _("民办非企业单位")
    INDIVIDUAL_BUSINESS = "individual_business", _("有雇工的个体工商户")
    OTHER = "other", _("其他")


class Industry(models.TextChoices):
    """GB/T 4754-2017 国民经济行业分类 门类 (sections)."""

    A = "A", _("农、林、牧、渔业")
    B = "B", _("采矿业")
    C = "C", _("制造业")
    D = "D", _("电力、热力、燃气及水生产和供应业")
    E = "E", _("建筑业")
    F = "F", _("批发和零售业")
    G = "G", _("交通运输、仓储和邮政业")
    H = "H", _("住宿和餐饮业")
    I = "I", _("信息传输、软件和信息技术服务业")  # noqa: E741 (the section letter)
    J = "J", _("金融业")
    K = "K", _("房地产业")
    L = "L", _("租赁和商务服务业")
    M = "M", _("科学研究和技术服务业")
    N = "N", _("水利、环境和公共设施管理业")
    O = "O", _("居民服务、修理和其他服务业")  # noqa: E741
    P = "P", _("教育")
    Q = "Q", _("卫生和社会工作")
    R = "R", _("文化、体育和娱乐业")
    S = "S", _("公共管理、社会保障和社会组织")
    T = "T", _("国际组织")


class RateClass(models.IntegerChoices):
    """工伤保险行业风险类别 (人社部发〔2015〕71号: eight classes, base rates 0.2%–1.9%)."""

    CLASS_1 = 1, _("一类")
    CLASS_2 = 2, _("二类")
    CLASS_3 = 3, _("三类")
    CLASS_4 = 4, _("四类")
    CLASS_5 = 5, _("五类")
    CLASS_6 = 6, _("六类")
    CLASS_7 = 7, _("七类")
    CLASS_8 = 8, _("八类")


class HouseholdType(models.TextChoices):
    URBAN = "urban", _("城镇户口")
    RURAL = "rural", _("农村户口")


class InsuredIdentity(models.TextChoices):
    """参保身份."""

    EMPLOYEE = "employee", _("在职职工")
    MIGRANT_WORKER = "migrant_worker", _("农民工")
    DISPATCHED = "dispatched", _("劳务派遣人员")
    OVER_AGE = "over_age", _("超龄就业人员")
    INTERN = "intern", _("实习学生")


class PaymentStatus(models.TextChoices):
    """个人缴费状态 for the roster filter: derived from the contribution records."""

    PAID = "paid", _("正常缴费")
    OWED = "owed", _("欠费")
    NONE = "none", _("无缴费记录")


class ChangeKind(models.TextChoices):
    ADD_NEW = "add_new", _("新参保")
    ADD_CONTINUE = "add_continue", _("续保")
    ADD_TRANSFER_IN = "add_transfer_in", _("调入")
    REDUCE_SUSPEND = "reduce_suspend", _("暂停参保")
    REDUCE_TERMINATE = "reduce_terminate", _("终止参保")
    REDUCE_RETIRE = "reduce_retire", _("在职转退休")


ADD_KINDS = frozenset({ChangeKind.ADD_NEW, ChangeKind.ADD_CONTINUE, ChangeKind.ADD_TRANSFER_IN})
REDUCE_KINDS = frozenset({ChangeKind.REDUCE_SUSPEND, ChangeKind.REDUCE_TERMINATE, ChangeKind.REDUCE_RETIRE})


class ChangeDirection(models.TextChoices):
    ADD = "add", _("增员")
    REDUCE = "reduce", _("减员")


class ChangeStatus(models.TextChoices):
    PENDING = "pending", _("待确认")
    CONFIRMED = "confirmed", _("已确认")
    REJECTED = "rejected", _("已退回")
    WITHDRAWN = "withdrawn", _("已删除")


class ImportMode(models.TextChoices):
    ALL_OR_NOTHING = "all_or_nothing", _("全部正确才导入")
    VALID_ROWS = "valid_rows", _("只导入正确的行")


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("处理中")
    SUCCEEDED = "succeeded", _("已完成")
    REJECTED = "rejected", _("未导入（有错误）")
    FAILED = "failed", _("处理失败")
