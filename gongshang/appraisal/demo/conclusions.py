"""Demo 鉴定结论 for 青岛市 (370200): a past batch (现场鉴定已结束) of three workers of 海川机械 — 刘洋
八级伤残 (his benefits computed, 待审核), 陈静 未达级, 杨帆 同意配置辅助器具 — concluded by 郑鉴定 with
their 结论书, then published (names masked). Demo persons, cases and a decided 认定工伤 each are made
here when missing. Idempotent: nothing is done once the demo batch exists."""

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from gongshang.accounts.models import User
from gongshang.cases.services import accident_create, case_create
from gongshang.core.pii.crypto import blind_index
from gongshang.recognition.models import RecognitionApplication
from gongshang.registry.models import Employer, InsuredPerson

from ..models import AppraisalApplication, AppraisalBatch, AppraisalSite, ExamRecord, Expert, ExpertOpinion
from ..permissions import owner_key_for
from ..rules.codes import KIND_ITEMS
from ..services.conclusions import conclusion_create
from ..services.publication import batch_publish

REGION = "370200"
BATCH_NUMBER = "JD-DEMO-C01"
EMPLOYER_USCC = "91370200MA3C5UWK4C"
# (ID number, kind, proposed grade, self-care, the body part, the diagnosis, the GB/T 16180 item, data)
WORKERS = [
    ("370203199001012316", "initial", 8, "", "右手", "右手中指、环指近节离断", "5.8.2.15", {}),
    ("370212199503153529", "initial", 0, "", "左膝", "左膝软组织挫伤，已愈", "", {}),
    ("372925199811204414", "device", None, "", "左小腿", "左小腿截肢术后", "",
     {"confirmed": True, "confirmation_detail": "左小腿假肢一具"}),
]


def _prerequisites():
    from gongshang.accounts import demo as accounts_demo
    from gongshang.benefits.demo import seed_parameters
    from gongshang.registry import demo as registry_demo

    registry_demo.seed()
    if not User.objects.filter(username="appraisal").exists():
        accounts_demo.seed()
    seed_parameters()
    return User.objects.get(username="appraisal"), User.objects.filter(username=EMPLOYER_USCC).first()


def _case(person, employer, handler, apr, *, body_part: str, diagnosis: str, injured_on):
    accident = accident_create(region=REGION, occurred_at=timezone.make_aware(datetime.combine(injured_on, time(9, 30))),
                               employer=employer, address="青岛市市南区香港中路 100 号车间")
    case = case_create(actor=None, accident=accident, injured={"name": person.name, "person": person,
                                                               "employer": employer, "body_part": body_part})
    RecognitionApplication.objects.create(
        case=case, region=REGION, owner_key=f"employer:{employer.pk}", created_by=handler or apr, status="delivered",
        applicant_kind="employer", decision_result="recognized", circumstance="art14_1", person=person,
        employer=employer, injured_name=person.name, body_part=body_part, diagnosis=diagnosis,
        decided_on=injured_on + timedelta(days=20), delivered_on=injured_on + timedelta(days=23))
    return case


@transaction.atomic
def seed_conclusions(stdout=None) -> None:
    if AppraisalBatch.objects.filter(number=BATCH_NUMBER).exists():
        if stdout:
            stdout.write("  鉴定结论：演示批次已存在，跳过")
        return
    apr, handler = _prerequisites()
    employer = Employer.objects.get(uscc=EMPLOYER_USCC)
    today = timezone.localdate()
    site, _ = AppraisalSite.objects.get_or_create(region=REGION, name="青岛市劳动能力鉴定中心",
                                                  defaults={"address": "青岛市市南区宁夏路 1 号", "capacity": 60})
    exam_on = today - timedelta(days=7)
    batch = AppraisalBatch.objects.create(region=REGION, number=BATCH_NUMBER, exam_on=exam_on,
                                          cutoff_on=exam_on - timedelta(days=7), site=site, capacity=60,
                                          status="examined", created_by=apr)
    expert = Expert.objects.filter(region=REGION, name="王骨科（演示）").first() or Expert.objects.create(
        region=REGION, name="王骨科（演示）", categories=["ortho"], title="主任医师", workplace="青岛市市立医院")
    results = []
    for id_number, kind, grade, self_care, body_part, diagnosis, item, data in WORKERS:
        person = InsuredPerson.objects.get(id_number_index=blind_index(id_number))
        case = _case(person, employer, handler, apr, body_part=body_part, diagnosis=diagnosis,
                     injured_on=today - timedelta(days=75))
        creator = handler or apr
        application = AppraisalApplication.objects.create(
            case=case, region=REGION, kind=kind, items=list(KIND_ITEMS[kind]), status="examined",
            owner_key=owner_key_for(creator), created_by=creator,
            applicant_kind="employer" if handler else "agency", applicant_name=employer.name,
            applicant_mobile=employer.contact_mobile, batch=batch, received_on=today - timedelta(days=30),
            accepted_on=today - timedelta(days=28))
        ExamRecord.objects.create(application=application, proposed_grade=grade, proposed_self_care=self_care,
                                  examined_at=timezone.make_aware(datetime.combine(exam_on, time(9))),
                                  proposal={"text": f"{diagnosis}。"}, identity_verified=True)
        ExpertOpinion.objects.create(application=application, expert=expert, grade=grade, self_care=self_care,
                                     standard_items=[item] if item else [], text=f"{diagnosis}，意见如上（演示）。",
                                     signature="0" * 64, confirmations=data)
        conclusion = conclusion_create(actor=apr, application=application, data=dict(data))
        results.append(f"{person.name} {conclusion.number}")
    lines = batch_publish(actor=apr, batch=batch)
    if stdout:
        stdout.write(f"  鉴定结论：批次 {BATCH_NUMBER} 作出 {len(results)} 份结论（{'、'.join(results)}），公示 {len(lines)} 条")
