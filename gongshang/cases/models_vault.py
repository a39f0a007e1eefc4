"""材料库 (the case's document vault): every material of a case, stored once and referenced by
every stage that needs it (DESIGN "The one chain")."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongshang.accounts.access import Scope, either, in_region, of_employer, of_person

# Vault kinds by audience: "agency_*" papers stay inside the agency (调查报告); "conclusion_*" are the
# conclusions benefits are computed from; everything else is material an applicant handed in.
INTERNAL = models.Q(kind__startswith="agency_")
CONCLUSION = models.Q(kind__startswith="conclusion_")


def of_applications():
    """Applicants: the cases of the recognition applications they reach (their own drafts, and once
    submitted those naming their employer or bound person: RecognitionApplication.access)."""
    def rule(actor):
        from gongshang.recognition.models import RecognitionApplication  # recognition builds on cases

        where = RecognitionApplication.access.rows(actor)
        if where is None:
            return None
        return models.Q(case__in=RecognitionApplication.objects.filter(where).values("case_id"))
    rule.describe = "可查看的工伤认定申请的案件"
    return rule


def unsubmitted_withheld(rule):
    """Applicants: `rule`'s rows, less what another applicant uploaded to a draft on the same case (the
    worker and the employer may each keep one, 条例 第十七条第二款): the case's vault is shared, a
    draft is not (RecognitionApplication.access shows it to the other side once submitted)."""
    def wrapped(actor):
        from gongshang.recognition.models import RecognitionApplication
        from gongshang.recognition.rules import workflow

        where = rule(actor)
        if where is None:
            return None
        own_side = models.Q(uploaded_by=actor.pk)
        if actor.employer_id:
            own_side |= models.Q(uploaded_by__employer_id=actor.employer_id)
        submitted_by_uploader = (RecognitionApplication.objects.filter(case=models.OuterRef("case"))
                                 .exclude(status__in=[workflow.DRAFT, workflow.DELETED])
                                 .filter(models.Q(created_by=models.OuterRef("uploaded_by"))
                                         | models.Q(created_by__employer=models.OuterRef("uploaded_by__employer"))))
        shown = (models.Q(uploaded_by__isnull=True) | ~models.Q(uploaded_by__kind__in=OUTSIDE_KINDS)
                 | models.Q(source=DocumentSource.QUICK_REPORT) | own_side | models.Q(models.Exists(submitted_by_uploader)))
        return where & shown
    wrapped.describe = f"{rule.describe}（他方未提交的草稿中的材料除外）"
    return wrapped


OUTSIDE_KINDS = ("employer", "individual", "institution")


class DocumentSource(models.TextChoices):
    UPLOAD = "upload", _("上传")
    QUICK_REPORT = "quick_report", _("工伤快报现场影像")
    ISSUED = "issued", _("平台出具")


class CaseDocument(models.Model):
    """案件材料: one stored file of a case with its material kind (a stable code each stage defines,
    e.g. "medical_diagnosis"). Never deleted: a wrong file is retired (retired_at) and stays in
    the history; the file itself (StoredFile) keeps its SHA-256."""

    case = models.ForeignKey("cases.InjuryCase", on_delete=models.PROTECT, related_name="documents",
                             verbose_name=_("工伤案件"))
    kind = models.CharField(_("材料类型"), max_length=40, db_index=True)
    title = models.CharField(_("材料名称"), max_length=200, blank=True)
    file = models.ForeignKey("core.StoredFile", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("文件"))
    source = models.CharField(_("来源"), max_length=16, choices=DocumentSource.choices,
                              default=DocumentSource.UPLOAD)
    source_ref = models.CharField(_("来源记录"), max_length=64, blank=True,
                                  help_text=_("如快报影像编号 quickreports.quickreportmedia:12"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("上传人"))
    uploaded_at = models.DateTimeField(_("加入时间"), auto_now_add=True)
    retired_at = models.DateTimeField(_("移除时间"), null=True, blank=True)
    retired_reason = models.CharField(_("移除原因"), max_length=200, blank=True)

    access = Scope(
        kind="case_document",
        # Staff: their 统筹区 (or that of the application), each role the kinds the matrix gives it.
        # Applicants: the cases of their employer / bound person, and those of the applications they
        # own or see (a worker's own application on a case not yet linked to an insured person).
        staff=either(in_region("case__region"), of_applications()),
        employer=unsubmitted_withheld(either(of_employer("case__employer"), of_applications())),
        individual=unsubmitted_withheld(either(of_person("case__person"), of_applications())),
        variants={"case_document.material": ~INTERNAL & ~CONCLUSION, "case_document.internal": INTERNAL,
                  "case_document.conclusion": CONCLUSION},
    )

    class Meta:
        verbose_name = _("案件材料")
        verbose_name_plural = _("案件材料")
        ordering = ["uploaded_at", "pk"]
        constraints = [
            # One vault entry per file and kind: importing the same evidence twice changes nothing.
            models.UniqueConstraint(fields=["case", "file", "kind"], name="uniq_case_document_file_kind"),
        ]

    def __str__(self):
        return f"{self.case_id} {self.kind} {self.title}"

    @property
    def is_current(self) -> bool:
        return self.retired_at is None
