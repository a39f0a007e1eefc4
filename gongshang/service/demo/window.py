"""Demo 一窗受理 for 青岛市 (370200), employer 91370200MA3C5UWK4C: two workers of its roster came to the
综合窗口 (demo user `window`) with their papers; the counter took each recognition application,
accepted it at once and named all three matters. 刘洋's recognition is already decided as 工伤
(demo user `reviewer`), so the appraisal application and the benefits matter exist; 陈静's waits
for the decision (the back office may prepare). Runs after the recognition demo; idempotent."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from gongshang.accounts.models import User
from gongshang.core.files.pdf import blank_pdf
from gongshang.core.pii.crypto import blind_index

from ..models import WindowRequest

REGION = "370200"
EMPLOYER_USCC = "91370200MA3C5UWK4C"
KINDS = ("application_form", "labour_relation", "medical_diagnosis", "injured_id", "outpatient_record")
# (ID number, days since the accident, place, what happened, diagnosis, decide now)
WORKERS = [
    ("370203199001012316", 12, "青岛市市南区香港中路 100 号 2 号车间", "操作冲床时右手被压伤", "右手中指末节骨折", True),
    ("370212199503153529", 4, "青岛市市南区香港中路 100 号仓库", "搬运货物时从货架跌落扭伤腰部", "腰椎间盘突出（急性）", False),
]


def _case(window, employer, person, days_ago: int, place: str, what: str):
    from gongshang.cases import services as case_services
    from gongshang.cases.choices import CaseSource

    accident = case_services.accident_create(region=REGION, occurred_at=timezone.now() - timedelta(days=days_ago),
                                             employer=employer, address=place, description=what)
    return case_services.case_create(actor=window, accident=accident, source=CaseSource.APPLICATION, injured={
        "name": person.name, "id_number": person.id_number, "mobile": person.mobile, "person": person,
        "employer": employer, "body_part": "右手" if "手" in what else "腰部"})


def _take(window, case, place: str, what: str, diagnosis: str):
    from gongshang.recognition.services.counter import (
        application_material_add_at_counter,
        application_start_at_counter,
    )

    from ..services.window import window_request_create

    draft = application_start_at_counter(actor=window, case=case, applicant_kind="worker", data={
        "circumstance": "art14_1", "treatments": ["outpatient"], "diagnosis": diagnosis, "accident_place": place,
        "description": what})
    pdf = blank_pdf()
    for kind in KINDS:
        application_material_add_at_counter(actor=window, application=draft, kind=kind, upload=SimpleUploadedFile(
            f"窗口扫描-{kind}.pdf", pdf, content_type="application/pdf"))
    return window_request_create(actor=window, application=draft, wants_appraisal=True, injury_stable=True,
                                 wants_benefits=True, channel="window")


def seed(stdout=None) -> None:
    from gongshang.recognition.services import decision
    from gongshang.registry.models import Employer, InsuredPerson

    if WindowRequest.objects.filter(region=REGION).exists():
        if stdout:
            stdout.write("  一窗受理：演示登记已存在，跳过")
        return
    window = User.objects.filter(username="window").first()
    reviewer = User.objects.filter(username="reviewer").first()
    employer = Employer.objects.filter(uscc=EMPLOYER_USCC).first()
    if window is None or reviewer is None or employer is None:
        return
    taken = []
    for id_number, days_ago, place, what, diagnosis, decide_now in WORKERS:
        person = InsuredPerson.objects.filter(id_number_index=blind_index(id_number)).first()
        if person is None:
            continue
        case = _case(window, employer, person, days_ago, place, what)
        request = _take(window, case, place, what, diagnosis)
        if decide_now:
            decision.application_decide(actor=reviewer, application=request.recognition, result="recognized",
                                        article="《工伤保险条例》第十四条第（一）项",
                                        reasoning=f"{person.name}在工作时间和工作场所内，因工作原因受到事故伤害，事实清楚。")
        taken.append(case.number)
    if stdout:
        stdout.write(f"  一窗受理：{'、'.join(taken)}（其一已认定，鉴定和待遇事项已自动发起）")
