"""Demo 工伤预防培训 of 青岛市 (370200; demo values), after 济宁's practice (培训专家库, 课件统一论证,
评估表和调查问卷决定拨付, 影音资料留存, 进企业、进工地、进学校、进医院):

- three trainers of the pool (危化品安全, 职业病防治, 建筑施工), each with an approved course, and a
  fourth course waiting for review (the 专管员's queue);
- four sessions, one at an enterprise, a building site, a school and a hospital, each with eight
  trainees signed in, their questionnaires, an evaluation form and a photo; the enterprise one is
  closed; and a session at a community in three days, planned, whose QR code can be scanned at once
  (its sign-in opens half an hour before the start).

Everything goes through the training services as the demo 专管员 `prevention` (accounts.demo) and
the trainees' public sign-in (with the moment of the demo session passed in). Sessions need a project
立项 or under contract: the 统筹区's first such project (the prevention demo) is used; when there is none,
a 2026 plan and a contracted project are written directly through the models (E owns their services)
and named "（演示，培训用）".

Idempotent: a trainer by name, a course by title, a session by venue; nothing is added twice.
"""

import io
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from gongshang.accounts.models import User

from ..choices import CourseStatus, PlanStatus, ProjectKind, ProjectStatus, SessionStatus
from ..models import Course, PreventionPlan, PreventionProject, Trainer, TrainingSession
from ..rules import training as rules
from ..services import training as services

REGION = "370200"
ORGANISER = "prevention"
DEMO_PROJECT = "工伤预防能力提升培训（演示，培训用）"

TRAINERS = [
    {"name": "孙立新", "specialty": "危化品安全", "organisation": "青岛市安全生产协会（演示）",
     "title": "注册安全工程师、国家安全生产培训师", "mobile": "13700001001"},
    {"name": "周海燕", "specialty": "职业病防治", "organisation": "青岛市职业病防治院（演示）",
     "title": "主任医师", "mobile": "13700001002"},
    {"name": "吴建国", "specialty": "建筑施工安全", "organisation": "青岛市建筑安全监督站（演示）",
     "title": "高级工程师", "mobile": "13700001003"},
]

# (trainer, title, outline, hours, approved)
COURSES = [
    ("孙立新", "化工产业工伤预防的措施及方法",
     "一、什么是工伤预防，为什么要做工伤预防\n二、化工产业安全事故案例与教学片\n三、危化品储运、动火、受限空间作业的预防措施\n"
     "四、工伤保险政策与事故发生后的报告", "2.0", True),
    ("周海燕", "职业病危害识别与个体防护",
     "一、粉尘、噪声、化学毒物的危害\n二、职业健康检查与职业病诊断\n三、个体防护用品的正确使用\n四、职业病的工伤认定与待遇", "2.0", True),
    ("吴建国", "建筑施工高处坠落与物体打击预防",
     "一、建筑施工事故警示案例\n二、脚手架、临边洞口与安全带\n三、项目参保与农民工工伤保障\n四、现场急救与快报", "1.5", True),
    ("吴建国", "工伤保险政策与工伤预防知识（社区版）",
     "一、工伤保险能保什么\n二、上下班途中的交通安全\n三、家政、外卖等新就业形态的职业伤害保障", "1.0", False),
]

# (venue kind, venue, industry, course title, days from today, start hour, hours, expected, close)
SESSIONS = [
    ("enterprise", "青岛董家口化工园区某化工公司会议室（演示）", "危险化学品", "化工产业工伤预防的措施及方法", -21, 9, 2, 60, True),
    ("site", "青岛西海岸新区某住宅项目工地（演示）", "建筑施工", "建筑施工高处坠落与物体打击预防", -14, 14, 2, 40, False),
    ("school", "青岛职业技术学院报告厅（演示）", "职业院校实习学生", "化工产业工伤预防的措施及方法", -7, 9, 2, 80, False),
    ("hospital", "青岛大学附属医院学术报告厅（演示）", "医疗卫生", "职业病危害识别与个体防护", -3, 15, 2, 50, False),
    ("community", "市南区八大关街道社区服务中心（演示）", "新就业形态劳动者", "建筑施工高处坠落与物体打击预防", 3, 9, 2, 40, False),
]

TRAINEES = ["张伟", "王芳", "李强", "刘洋", "陈静", "杨磊", "赵敏", "黄勇"]
EMPLOYERS = {"enterprise": "青岛某化工有限公司（演示）", "site": "青岛某建设集团有限公司（演示）",
             "school": "青岛职业技术学院（演示）", "hospital": "青岛大学附属医院（演示）"}
# Each trainee's answers (1..5) to the five questions, varied so that the averages differ.
ANSWER_ROWS = [(5, 5, 5, 4, 5), (4, 4, 5, 4, 4), (5, 4, 4, 3, 4), (4, 5, 4, 4, 5), (3, 4, 4, 3, 4),
               (5, 5, 4, 4, 5), (4, 3, 4, 4, 4), (5, 4, 5, 5, 5)]
FORM_MARKS = {"enterprise": (9, 10, 9, 8, 9), "site": (8, 9, 7, 7, 8), "school": (9, 9, 10, 9, 8),
              "hospital": (10, 9, 8, 9, 9)}


def _say(stdout, text: str) -> None:
    if stdout is not None:
        stdout.write(text)


def _project(organiser) -> PreventionProject:
    found = PreventionProject.objects.filter(region=REGION, status__in=services.OPEN_PROJECT_STATUSES).order_by("pk")
    project = found.filter(kind=ProjectKind.TRAINING).first() or found.first()
    if project is not None:
        return project
    year = timezone.localdate().year
    plan = (PreventionPlan.objects.filter(region=REGION, year=year, status=PlanStatus.APPROVED).first()
            or PreventionPlan.objects.filter(region=REGION, county="370202", year=year).first())
    if plan is None:
        plan = PreventionPlan.objects.create(
            region=REGION, county="370202", year=year, title=f"{year} 年度工伤预防计划（演示，培训用）",
            budget=Decimal("800000.00"), priority_industries="危险化学品、建筑施工、医疗卫生",
            status=PlanStatus.APPROVED, created_by=organiser)
    return PreventionProject.objects.create(
        plan=plan, region=REGION, title=DEMO_PROJECT, kind=ProjectKind.TRAINING, industry="重点行业",
        budget=Decimal("300000.00"), status=ProjectStatus.CONTRACTED, contractor="青岛市安全生产培训中心（演示）",
        contract_no="QDGSYF-2026-PX-001", contract_amount=Decimal("280000.00"), created_by=organiser)


def _photo(caption: str) -> SimpleUploadedFile:
    image = Image.new("RGB", (640, 400), (228, 236, 244))
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 300, 600, 360), fill=(60, 100, 160))
    draw.text((50, 40), "Gongshang demo", fill=(20, 40, 80))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return SimpleUploadedFile(f"{caption}.jpg", buffer.getvalue(), content_type="image/jpeg")


def _trainers(organiser) -> dict:
    by_name = {}
    for data in TRAINERS:
        trainer = Trainer.objects.filter(region=REGION, name=data["name"]).first()
        by_name[data["name"]] = trainer or services.trainer_add(actor=organiser, data=data)
    return by_name


def _courses(organiser, trainers) -> dict:
    by_title = {}
    for trainer_name, title, outline, hours, approved in COURSES:
        course = Course.objects.filter(region=REGION, title=title).first()
        if course is None:
            course = services.course_submit(actor=organiser, trainer=trainers[trainer_name],
                                            data={"title": title, "outline": outline, "hours": hours})
            if approved:
                course = services.course_review(actor=organiser, course=course, approve=True,
                                                note="课件经统一论证，内容符合重点行业培训要求。")
        by_title[title] = course
    return by_title


def _held_session(organiser, session, kind: str, close: bool) -> None:
    """Eight trainees sign in at the session's start, answer the questionnaire; the organiser fills
    the evaluation form, keeps a photo and, for `close`, closes the session."""
    at = session.starts_at + timedelta(minutes=5)
    base = {"enterprise": 1, "site": 2, "school": 3, "hospital": 4}[kind]
    for n, name in enumerate(TRAINEES):
        attendance = services.attendance_sign_in(session=session, now=at, data={
            "name": name, "mobile": f"139{base:02d}00{n:04d}", "employer_name": EMPLOYERS[kind]})
        row = ANSWER_ROWS[(n + base) % len(ANSWER_ROWS)]
        services.questionnaire_submit(attendance=attendance, answers={
            q.code: value for q, value in zip(rules.QUESTIONS, row, strict=True)})
    session.refresh_from_db()
    marks = {item.code: value for item, value in zip(rules.FORM_ITEMS, FORM_MARKS[kind], strict=True)}
    services.evaluation_form_submit(actor=organiser, session=session, marks=marks,
                                    note="师资按时到场，按审核通过的课件授课，学员互动积极。")
    services.media_upload(actor=organiser, session=session, upload=_photo(f"培训现场-{kind}"))
    if close:
        services.session_close(actor=organiser, session=session)


def seed(stdout=None) -> None:
    organiser = User.objects.filter(username=ORGANISER).first()
    if organiser is None:
        _say(stdout, "  工伤预防培训：缺少演示专管员账户 prevention（accounts.demo），跳过。")
        return
    with transaction.atomic():
        project = _project(organiser)
        trainers = _trainers(organiser)
        courses = _courses(organiser, trainers)
        today = timezone.localdate()
        added = 0
        for kind, venue, industry, title, days, hour, hours, expected, close in SESSIONS:
            if TrainingSession.objects.filter(region=REGION, venue=venue).exists():
                continue
            starts_at = timezone.make_aware(datetime.combine(today + timedelta(days=days), time(hour)))
            session = services.session_create(actor=organiser, project=project, course=courses[title], data={
                "venue_kind": kind, "venue": venue, "industry": industry, "starts_at": starts_at,
                "ends_at": starts_at + timedelta(hours=hours), "expected_trainees": expected})
            if days < 0:
                _held_session(organiser, session, kind, close)
            added += 1
    pending = Course.objects.filter(region=REGION, status=CourseStatus.PENDING).count()
    held = TrainingSession.objects.filter(region=REGION).exclude(status=SessionStatus.PLANNED).count()
    _say(stdout, f"  工伤预防培训：项目“{project.title}”，师资 {len(trainers)} 名，待审核课程 {pending} 门，"
                 f"新增培训班次 {added} 个（已开班或结班 {held} 个）。")
