"""Demo: a 伤残 conclusion (七级 is too mild to show monthly items: 四级 with 部分护理) on 张伟's
quick-report case, and its entitlements computed by 冯待遇 (benefits), left 待审核 for a second
待遇审核员 — the demo has one, which is the point of maker-checker. Idempotent."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from gongshang.accounts.models import User
from gongshang.cases.models import InjuryCase
from gongshang.core.files.pdf import blank_pdf
from gongshang.core.pii.crypto import blind_index

from .models import CaseConclusion
from .services.entitlements import CreateInput, conclusion_record, entitlements_create

ZHANG_WEI_ID = "370202198803151237"
PDF = blank_pdf()


def seed_case(stdout=None) -> None:
    reviewer = User.objects.filter(username="benefits", kind="staff").first()
    case = (InjuryCase.objects.filter(region="370200", person__id_number_index=blind_index(ZHANG_WEI_ID))
            .order_by("pk").first())
    if reviewer is None or case is None or CaseConclusion.objects.filter(case=case).exists():
        return
    today = timezone.localdate()
    conclusion_record(actor=reviewer, case_id=case.pk, document=SimpleUploadedFile("鉴定结论书.pdf", PDF), data={
        "kind": "disability", "recognition_number": "青人社工认〔2026〕演示001号", "recognised_on": today,
        "conclusion_number": "青劳鉴〔2026〕演示001号", "concluded_on": today, "disability_grade": 4,
        "nursing_level": "partial"})
    rows = entitlements_create(actor=reviewer, case_id=case.pk, data=CreateInput(
        bank_name="青岛银行（演示）", bank_account="6222000000000001"))
    if stdout:
        stdout.write(f"  工伤待遇：{case.number} 登记四级伤残结论，核定 {len(rows)} 项待遇（待另一名待遇审核员复核）")
