"""Demo 劳动能力鉴定申请: 张伟 (370202198803151237, the individual account bound to him) applies
for 初次鉴定 on his recognised case; the materials handed in for recognition (ID, diagnosis) are
reused from the case's vault, the complete medical records are uploaded, and the application is
submitted (材料审核 due in 5 working days). Idempotent: nothing is added when the case already has
an appraisal application. `seed` runs the whole appraisal demo for seed_demo."""

from django.core.files.uploadedfile import SimpleUploadedFile

from gongshang.accounts.models import User
from gongshang.cases.models import InjuryCase
from gongshang.core.files.pdf import blank_pdf
from gongshang.core.pii.crypto import blind_index

from ..models import AppraisalApplication
from ..services import applications as services

ZHANG_WEI_ID = "370202198803151237"
ZHANG_WEI_MOBILE = "13900000001"
PDF = blank_pdf()


def _recognised_case():
    cases = (InjuryCase.objects.filter(region="370200", person__id_number_index=blind_index(ZHANG_WEI_ID))
             .order_by("pk"))
    for case in cases:
        if services.recognition_ok(case):
            return case
    return None


def _worker():
    person_users = User.objects.filter(kind="individual", person__id_number_index=blind_index(ZHANG_WEI_ID))
    return person_users.order_by("pk").first()


def seed_applications(stdout=None) -> AppraisalApplication | None:
    worker, case = _worker(), _recognised_case()
    if worker is None or case is None:
        if stdout:
            stdout.write("  劳动能力鉴定：缺少张伟的账户或已认定工伤的案件，跳过")
        return None
    existing = AppraisalApplication.objects.filter(case=case).order_by("pk").first()
    if existing is not None:
        if stdout:
            stdout.write("  劳动能力鉴定：演示申请已存在，跳过")
        return existing
    application = services.application_create(actor=worker, case=case, data={
        "kind": "initial", "applicant_kind": "worker", "applicant_mobile": ZHANG_WEI_MOBILE,
        "mailing_address": "青岛市市南区香港中路 100 号"})
    for item in services.checklist(application)["missing"]:
        services.application_material_add(actor=worker, application=application, kind=item["kind"],
                                          upload=SimpleUploadedFile(f"demo-{item['kind']}.pdf", PDF,
                                                                    content_type="application/pdf"))
    application = services.application_submit(actor=worker, application=application)
    if stdout:
        stdout.write(f"  劳动能力鉴定：{case.number} 初次鉴定申请已提交，材料审核时限 {application.completeness_due}")
    return application


def seed(stdout=None) -> None:
    """The whole appraisal demo (seed_demo): the committee's setting, site, expert pool and batches;
    张伟's application; a past batch concluded and published."""
    from .batches import seed_batches
    from .conclusions import seed_conclusions

    seed_batches(stdout=stdout)
    seed_applications(stdout=stdout)
    seed_conclusions(stdout=stdout)
