from django.db import models
from django.utils.translation import gettext_lazy as _

from gongshang.accounts.access import Scope, in_region, of_employer, of_person
from gongshang.core.pii.fields import BlindIndexField, EncryptedTextField

from .choices import (
    ChangeDirection,
    ChangeKind,
    ChangeStatus,
    EmployerStatus,
    EmployerType,
    EnrolmentStatus,
    Gender,
    HouseholdType,
    ImportMode,
    ImportStatus,
    Industry,
    InsuranceType,
    InsuredIdentity,
    RateClass,
)
from .rules.workflows import CHANGE_WORKFLOW, EMPLOYER_WORKFLOW, ENROLMENT_WORKFLOW, IMPORT_WORKFLOW

OPEN_ENROLMENT_STATUSES = (EnrolmentStatus.ACTIVE, EnrolmentStatus.SUSPENDED)


class Employer(models.Model):
    """参保单位: an employer registered with the social insurance agency, keyed by its USCC."""

    uscc = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    name = models.CharField(_("单位名称"), max_length=200)
    employer_type = models.CharField(_("单位类型"), max_length=32, choices=EmployerType.choices,
                                     default=EmployerType.ENTERPRISE)
    industry = models.CharField(_("行业门类"), max_length=1, choices=Industry.choices, blank=True)
    rate_class = models.PositiveSmallIntegerField(_("工伤保险行业风险类别"), choices=RateClass.choices,
                                                  null=True, blank=True, help_text=_("未核定时为空"))
    region = models.CharField(_("所属统筹区"), max_length=6, db_index=True)
    address = models.CharField(_("地址"), max_length=300, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_mobile = EncryptedTextField(_("联系电话"), blank=True)
    legal_rep_name = models.CharField(_("法定代表人姓名"), max_length=50)
    legal_rep_id_number = EncryptedTextField(_("法定代表人身份证号"))
    legal_rep_id_number_index = BlindIndexField(source="legal_rep_id_number")
    reserved_mobile = EncryptedTextField(_("预留手机号"), blank=True)
    reserved_mobile_index = BlindIndexField(source="reserved_mobile")
    status = models.CharField(_("状态"), max_length=16, choices=EmployerStatus.choices,
                              default=EmployerStatus.ACTIVE)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    access = Scope(kind="employer", staff=in_region("region"), employer=of_employer("pk"))
    workflow = EMPLOYER_WORKFLOW

    class Meta:
        verbose_name = _("参保单位")
        verbose_name_plural = _("参保单位")

    def __str__(self):
        return f"{self.name}（{self.uscc}）"


class InsuredPerson(models.Model):
    """参保人员: a natural person in the insurance registry, found by ID number (blind index)."""

    id_number = EncryptedTextField(_("身份证号"))
    id_number_index = BlindIndexField(source="id_number", unique=True)
    name = models.CharField(_("姓名"), max_length=50)
    gender = models.CharField(_("性别"), max_length=8, choices=Gender.choices)
    birth_date = models.DateField(_("出生日期"))
    mobile = EncryptedTextField(_("手机号"), blank=True)
    mobile_index = BlindIndexField(source="mobile")
    household_type = models.CharField(_("户口性质"), max_length=8, choices=HouseholdType.choices, blank=True)
    region = models.CharField(_("参保地统筹区"), max_length=6, db_index=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    # An employer reaches the people it has ever enrolled, not only those enrolled now: it prints
    # 个人参保证明 and 增减员报表 for people it has since reduced, and a 续保 starts from a
    # suspended relation. What it sees of them (enrolments, contributions) stays its own rows.
    access = Scope(kind="person", staff=in_region("region"), employer=of_employer("enrolments__employer"),
                   individual=of_person("pk"), distinct=True)

    class Meta:
        verbose_name = _("参保人员")
        verbose_name_plural = _("参保人员")
        indexes = [
            # 按姓名查询 matches the start of a name (LIKE 'x%'). Pattern operators only: an index
            # ordered by name would tempt the planner to walk every person for a roster sorted by name.
            models.Index(fields=["name"], name="person_name_prefix", opclasses=["varchar_pattern_ops"]),
        ]

    def __str__(self):
        return self.name


class Enrolment(models.Model):
    """参保关系: a person insured by an employer for one insurance type from a start month."""

    person = models.ForeignKey(InsuredPerson, on_delete=models.PROTECT, related_name="enrolments",
                               verbose_name=_("参保人员"))
    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="enrolments",
                                 verbose_name=_("参保单位"))
    insurance_type = models.CharField(_("险种"), max_length=16, choices=InsuranceType.choices)
    start_month = models.DateField(_("参保开始月份"))
    stop_month = models.DateField(_("停保月份"), null=True, blank=True)
    status = models.CharField(_("参保状态"), max_length=16, choices=EnrolmentStatus.choices,
                              default=EnrolmentStatus.ACTIVE)
    identity = models.CharField(_("参保身份"), max_length=16, choices=InsuredIdentity.choices,
                                default=InsuredIdentity.EMPLOYEE)
    declared_wage = models.DecimalField(_("申报缴费工资"), max_digits=12, decimal_places=2, null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    access = Scope(kind="enrolment", staff=in_region("employer__region"), employer=of_employer("employer"),
                   individual=of_person("person"))
    workflow = ENROLMENT_WORKFLOW

    class Meta:
        verbose_name = _("参保关系")
        verbose_name_plural = _("参保关系")
        indexes = [models.Index(fields=["employer", "insurance_type", "status"])]
        constraints = [
            # One open relation per person, employer and insurance type; several employers may each
            # insure the same person against injury (劳社部函〔2004〕256号 第一条).
            models.UniqueConstraint(fields=["person", "employer", "insurance_type"],
                                    condition=models.Q(status__in=OPEN_ENROLMENT_STATUSES),
                                    name="uniq_open_enrolment"),
        ]

    def __str__(self):
        return f"{self.person} {self.get_insurance_type_display()} {self.get_status_display()}"


class ContributionRecord(models.Model):
    """缴费记录: one month's contribution wage base (缴费工资) for a person at an employer.

    The 12 months before an injury give the 本人工资 of 工伤保险条例 第六十四条, so bases are exact
    Decimals and each (person, employer, month, insurance type) appears once.
    """

    person = models.ForeignKey(InsuredPerson, on_delete=models.PROTECT, related_name="contributions",
                               verbose_name=_("参保人员"))
    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="contributions",
                                 verbose_name=_("参保单位"))
    insurance_type = models.CharField(_("险种"), max_length=16, choices=InsuranceType.choices,
                                      default=InsuranceType.INJURY)
    month = models.DateField(_("费款所属期"), help_text=_("月份第一天"))
    wage_base = models.DecimalField(_("缴费工资"), max_digits=12, decimal_places=2)
    paid = models.BooleanField(_("已缴费"), default=True)

    # Part of the enrolment record (the matrix's "enrolment" row): the same readers, the same rows.
    access = Scope(kind="enrolment", staff=in_region("employer__region"), employer=of_employer("employer"),
                   individual=of_person("person"))

    class Meta:
        verbose_name = _("缴费记录")
        verbose_name_plural = _("缴费记录")
        indexes = [
            # 花名册 按缴费状态 (欠费): the few unpaid months, by employer.
            models.Index(fields=["employer", "insurance_type", "person"], name="contribution_unpaid",
                         condition=models.Q(paid=False)),
        ]
        constraints = [
            models.UniqueConstraint(fields=["person", "employer", "insurance_type", "month"],
                                    name="uniq_contribution_month"),
            # One row per month: the month is stored as its first day, so "unique per month" holds.
            models.CheckConstraint(condition=models.Q(month__day=1), name="contribution_month_first_day"),
            models.CheckConstraint(condition=models.Q(wage_base__gt=0), name="contribution_wage_base_positive"),
        ]
        ordering = ["-month"]

    def __str__(self):
        return f"{self.person} {self.month:%Y-%m} {self.wage_base}"


class RosterImport(models.Model):
    """批量报盘: one uploaded sheet of additions or reductions, validated row by row.

    Its rows become change requests (EnrolmentChange) only when the whole import succeeds in
    all-or-nothing mode, or for the valid rows in valid-rows mode; the roster itself changes
    only when staff confirm them.
    """

    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="roster_imports",
                                 verbose_name=_("参保单位"))
    region = models.CharField(_("所属统筹区"), max_length=6, db_index=True)
    direction = models.CharField(_("报盘类型"), max_length=8, choices=ChangeDirection.choices)
    mode = models.CharField(_("导入方式"), max_length=16, choices=ImportMode.choices)
    status = models.CharField(_("状态"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    source_file = models.ForeignKey("core.StoredFile", on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("上传文件"))
    original_name = models.CharField(_("文件名"), max_length=255)
    error_file = models.ForeignKey("core.StoredFile", on_delete=models.PROTECT, related_name="+", null=True,
                                   blank=True, verbose_name=_("错误标注文件"))
    total = models.PositiveIntegerField(_("总行数"), default=0)
    processed = models.PositiveIntegerField(_("已处理行数"), default=0)
    accepted = models.PositiveIntegerField(_("导入行数"), default=0)
    rejected = models.PositiveIntegerField(_("错误行数"), default=0)
    errors = models.JSONField(_("错误明细"), default=list, blank=True)
    failure_message = models.CharField(_("失败原因"), max_length=500, blank=True)
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("上传人"))
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始处理"), null=True, blank=True)
    finished_at = models.DateTimeField(_("处理完成"), null=True, blank=True)
    # While running, the processing worker renews this after every chunk; past it, the worker
    # is taken for dead and a sweep fails the import (imports/leases.py).
    lease_expires_at = models.DateTimeField(_("处理租约到期"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("处理次数"), default=0)

    access = Scope(kind="roster_import", staff=in_region("region"), employer=of_employer("employer"),
                   condition=lambda actor, obj, action: action != "retry" or obj.retry_allowed)
    workflow = IMPORT_WORKFLOW
    MAX_ATTEMPTS = 3  # claims of one import: a file that keeps killing its worker is not run forever

    class Meta:
        verbose_name = _("批量报盘")
        verbose_name_plural = _("批量报盘")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.get_direction_display()}报盘 {self.original_name}"

    @property
    def retry_allowed(self) -> bool:
        return self.attempts < self.MAX_ATTEMPTS

    @staticmethod
    def access_refusal(action: str) -> str:
        return "该批次已多次处理仍未完成，不能再重新处理。请检查文件内容后重新上传。"


class EnrolmentChange(models.Model):
    """人员异动申报: one 增员 or 减员 request for one person and one insurance type.

    The employer may modify or withdraw it while it is pending; staff confirm (the roster
    changes then) or reject it with a reason. Identity data is kept on the request itself, since
    a 新参保 person may not be in the registry until confirmation.
    """

    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="changes",
                                 verbose_name=_("参保单位"))
    region = models.CharField(_("所属统筹区"), max_length=6, db_index=True)
    direction = models.CharField(_("异动方向"), max_length=8, choices=ChangeDirection.choices)
    kind = models.CharField(_("异动类型"), max_length=20, choices=ChangeKind.choices)
    insurance_type = models.CharField(_("险种"), max_length=16, choices=InsuranceType.choices)
    effective_month = models.DateField(_("生效月份"), help_text=_("月份第一天"))
    person = models.ForeignKey(InsuredPerson, on_delete=models.PROTECT, related_name="changes", null=True,
                               blank=True, verbose_name=_("参保人员"))
    id_number = EncryptedTextField(_("身份证号"))
    id_number_index = BlindIndexField(source="id_number")
    name = models.CharField(_("姓名"), max_length=50)
    mobile = EncryptedTextField(_("手机号"), blank=True)
    household_type = models.CharField(_("户口性质"), max_length=8, choices=HouseholdType.choices, blank=True)
    identity = models.CharField(_("参保身份"), max_length=16, choices=InsuredIdentity.choices, blank=True)
    declared_wage = models.DecimalField(_("申报缴费工资"), max_digits=12, decimal_places=2, null=True, blank=True)
    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="changes", null=True,
                                  blank=True, verbose_name=_("参保关系"))
    status = models.CharField(_("状态"), max_length=16, choices=ChangeStatus.choices, default=ChangeStatus.PENDING)
    reject_reason = models.CharField(_("退回原因"), max_length=500, blank=True)
    roster_import = models.ForeignKey(RosterImport, on_delete=models.PROTECT, related_name="changes", null=True,
                                      blank=True, verbose_name=_("来源报盘"))
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("申报人"))
    created_at = models.DateTimeField(_("申报时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)
    decided_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+", null=True,
                                   blank=True, verbose_name=_("确认人"))
    decided_at = models.DateTimeField(_("确认时间"), null=True, blank=True)

    access = Scope(kind="enrolment_change", staff=in_region("region"), employer=of_employer("employer"))
    workflow = CHANGE_WORKFLOW

    class Meta:
        verbose_name = _("人员异动申报")
        verbose_name_plural = _("人员异动申报")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["region", "status", "direction"]),
                   models.Index(fields=["employer", "status"])]
        constraints = [
            models.UniqueConstraint(fields=["employer", "id_number_index", "insurance_type"],
                                    condition=models.Q(status=ChangeStatus.PENDING),
                                    name="uniq_pending_change"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.name} {self.get_insurance_type_display()}"
