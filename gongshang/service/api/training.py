"""工伤预防培训 API under /api/v1/service/training/: the trainer pool, course review, sessions with
their attendance, evaluations and media (staff, bearer token), and the trainee's sign-in and
questionnaire (public: the sign-in code on the QR and its rate limits are the access check).
Thin: parse, load-and-check, call a service, shape."""

from ninja import File, Query, Router, Status
from ninja.files import UploadedFile
from pydantic import Field

from gongshang.accounts.access import api_permit, get_for, may, public
from gongshang.api.auth import bearer
from gongshang.api.pagination import PageParams
from gongshang.api.schemas import ApiSchema, choice_filter
from gongshang.core.audit.context import current
from gongshang.core.errors import FieldErrors, NotFound
from gongshang.core.files.serving import stored_file_response

from ..choices import CourseStatus, EvaluationKind, SessionStatus, VenueKind
from ..models import Course, PreventionProject, SessionMedia, Trainer, TrainingSession
from ..presenters import training as p
from ..rules import training as rules
from ..selectors import training as s
from ..services import training as services
from .training_schemas import (
    TrainingAttendanceListOut,
    TrainingCourseEditIn,
    TrainingCourseIn,
    TrainingCourseOut,
    TrainingCoursePageOut,
    TrainingCourseReviewIn,
    TrainingErrorOut,
    TrainingEvaluationFormIn,
    TrainingEvaluationListOut,
    TrainingEvaluationOut,
    TrainingMediaListOut,
    TrainingMediaOut,
    TrainingQuestionnaireIn,
    TrainingQuestionnaireOut,
    TrainingSessionDetailOut,
    TrainingSessionIn,
    TrainingSessionPageOut,
    TrainingSignInIn,
    TrainingSignInInfoOut,
    TrainingSignInOut,
    TrainingTrainerIn,
    TrainingTrainerMobileOut,
    TrainingTrainerOut,
    TrainingTrainerPageOut,
)

router = Router(tags=["工伤预防培训"], auth=bearer)
ERRORS = {status: TrainingErrorOut for status in (401, 403, 404, 409, 422)}
PUBLIC_ERRORS = {status: TrainingErrorOut for status in (404, 409, 422, 429)}
SESSIONS = TrainingSession.objects.select_related("project", "course", "course__trainer")
COURSES = Course.objects.select_related("trainer", "reviewed_by")
MEDIA_FILE_RESPONSE = {"responses": {200: {"description": "培训影像原件（照片、音频或视频，原样保存）", "content": {
    "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}}}
QUESTIONS = [{"code": q.code, "text": q.text} for q in rules.QUESTIONS]


def _body_ref(request, source, pk: int, action: str, field: str, message: str):
    """A record named in the body: missing or out of scope is a wrong field (422), not a wrong path."""
    try:
        return get_for(request.auth, source, pk, action)
    except NotFound:
        raise FieldErrors({field: message}) from None


def _page(rows, page: PageParams, shape) -> dict:
    return {"count": rows.count(), "limit": page.limit, "offset": page.offset,
            "items": [shape(r) for r in rows[page.offset:page.offset + page.limit]]}


def _base_url() -> str:
    return current().base_url


# --- trainers -------------------------------------------------------------------------------------

class TrainerQuery(ApiSchema):
    q: str = Field("", max_length=50, description="按姓名、专业领域或工作单位查找")
    active: bool | None = Field(None, description="true 只列在库师资；false 只列已移出的")


@router.get("/training/trainers", response={200: TrainingTrainerPageOut, **ERRORS}, summary="工伤预防师资库（手机号隐去中间四位）")
@api_permit("prevention_trainer", "view")
def list_trainers(request, page: Query[PageParams], query: Query[TrainerQuery]):
    rows = s.trainer_list(actor=request.auth, q=query.q.strip(), active=query.active)
    return _page(rows, page, p.trainer_dict)


@router.post("/training/trainers", response={201: TrainingTrainerOut, **ERRORS}, summary="师资入库")
@api_permit("prevention_trainer", "manage")
def add_trainer(request, payload: TrainingTrainerIn):
    trainer = services.trainer_add(actor=request.auth, data=payload.model_dump())
    return Status(201, p.trainer_dict(trainer))


@router.get("/training/trainers/{trainer_id}", response={200: TrainingTrainerOut, **ERRORS}, summary="师资详情")
@api_permit("prevention_trainer", "view")
def get_trainer(request, trainer_id: int):
    return p.trainer_dict(get_for(request.auth, Trainer, trainer_id, "view"))


@router.put("/training/trainers/{trainer_id}", response={200: TrainingTrainerOut, **ERRORS}, summary="修改师资信息")
@api_permit("prevention_trainer", "manage")
def edit_trainer(request, trainer_id: int, payload: TrainingTrainerIn):
    trainer = get_for(request.auth, Trainer, trainer_id, "manage")
    return p.trainer_dict(services.trainer_edit(actor=request.auth, trainer=trainer, data=payload.model_dump()))


@router.post("/training/trainers/{trainer_id}/deactivate", response={200: TrainingTrainerOut, **ERRORS},
             summary="移出师资库（已开的培训班次不受影响，不能再用其课程开新班）")
@api_permit("prevention_trainer", "manage")
def deactivate_trainer(request, trainer_id: int):
    trainer = get_for(request.auth, Trainer, trainer_id, "manage")
    return p.trainer_dict(services.trainer_deactivate(actor=request.auth, trainer=trainer))


@router.post("/training/trainers/{trainer_id}/activate", response={200: TrainingTrainerOut, **ERRORS}, summary="恢复入库")
@api_permit("prevention_trainer", "manage")
def activate_trainer(request, trainer_id: int):
    trainer = get_for(request.auth, Trainer, trainer_id, "manage")
    return p.trainer_dict(services.trainer_activate(actor=request.auth, trainer=trainer))


@router.post("/training/trainers/{trainer_id}/mobile", response={200: TrainingTrainerMobileOut, **ERRORS},
             summary="查看师资完整手机号（每次查看都记录）")
@api_permit("prevention_trainer", "view_pii")
def reveal_trainer_mobile(request, trainer_id: int):
    trainer = get_for(request.auth, Trainer, trainer_id, "view_pii")
    return {"mobile": services.trainer_mobile_reveal(actor=request.auth, trainer=trainer)}


# --- courses --------------------------------------------------------------------------------------

@router.get("/training/courses", response={200: TrainingCoursePageOut, **ERRORS}, summary="课程列表（待审核的在前）")
@api_permit("prevention_trainer", "view")
def list_courses(request, page: Query[PageParams], status: choice_filter(CourseStatus) = ""):
    return _page(s.course_list(actor=request.auth, status=status), page, p.course_dict)


@router.post("/training/courses", response={201: TrainingCourseOut, **ERRORS}, summary="提交课程预审（课件统一论证）")
@api_permit("prevention_trainer", "manage")
def submit_course(request, payload: TrainingCourseIn):
    trainer = _body_ref(request, Trainer, payload.trainer_id, "manage", "trainer_id",
                        "没有找到该师资，请从本统筹区师资库中选择。")
    course = services.course_submit(actor=request.auth, trainer=trainer,
                                    data=payload.model_dump(exclude={"trainer_id"}))
    return Status(201, p.course_dict(course))


@router.get("/training/courses/{course_id}", response={200: TrainingCourseOut, **ERRORS}, summary="课程详情")
@api_permit("prevention_trainer", "view")
def get_course(request, course_id: int):
    return p.course_dict(get_for(request.auth, COURSES, course_id, "view"))


@router.put("/training/courses/{course_id}", response={200: TrainingCourseOut, **ERRORS},
            summary="修改待审核或未通过的课程（改后重新进入审核）；已通过的课程答 409")
@api_permit("prevention_trainer", "manage")
def edit_course(request, course_id: int, payload: TrainingCourseEditIn):
    course = get_for(request.auth, COURSES, course_id, "manage")
    return p.course_dict(services.course_edit(actor=request.auth, course=course, data=payload.model_dump()))


@router.post("/training/courses/{course_id}/review", response={200: TrainingCourseOut, **ERRORS},
             summary="审核课程：通过，或不通过并说明修改意见")
@api_permit("prevention_trainer", "review_course")
def review_course(request, course_id: int, payload: TrainingCourseReviewIn):
    course = get_for(request.auth, COURSES, course_id, "review_course")
    course = services.course_review(actor=request.auth, course=course, approve=payload.decision == "approve",
                                    note=payload.note)
    return p.course_dict(course)


# --- sessions -------------------------------------------------------------------------------------

class SessionQuery(ApiSchema):
    status: choice_filter(SessionStatus) = Field("", description="planned 待开班 / held 已开班 / closed 已结班")
    venue_kind: choice_filter(VenueKind) = Field("", description="培训场所类别")
    project_id: int | None = Field(None, ge=1, le=2_147_483_647, description="只列该项目的班次")


@router.get("/training/sessions", response={200: TrainingSessionPageOut, **ERRORS}, summary="培训班次列表")
@api_permit("training_session", "view")
def list_sessions(request, page: Query[PageParams], query: Query[SessionQuery]):
    rows = s.session_list(actor=request.auth, status=query.status, venue_kind=query.venue_kind,
                          project_id=query.project_id)
    return _page(rows, page, p.session_dict)


@router.post("/training/sessions", response={201: TrainingSessionDetailOut, **ERRORS},
             summary="登记培训班次：项目须已立项或已签订合同，课程须审核通过；生成签到二维码")
@api_permit("training_session", "create")
def create_session(request, payload: TrainingSessionIn):
    project = _body_ref(request, PreventionProject, payload.project_id, "view", "project_id",
                        "没有找到该工伤预防项目，请选择本统筹区已立项或已签订合同的项目。")
    course = _body_ref(request, COURSES, payload.course_id, "view", "course_id",
                       "没有找到该课程，请选择本统筹区审核通过的课程。")
    session = services.session_create(actor=request.auth, project=project, course=course,
                                      data=payload.model_dump(exclude={"project_id", "course_id"}))
    return Status(201, p.session_dict(get_for(request.auth, SESSIONS, session.pk), detail=True,
                                      base_url=_base_url()))


def _session(request, session_id: int, action: str = "view") -> TrainingSession:
    return get_for(request.auth, SESSIONS, session_id, action)


@router.get("/training/sessions/{session_id}", response={200: TrainingSessionDetailOut, **ERRORS},
            summary="培训班次详情：签到地址、签到人数、问卷与评估得分")
@api_permit("training_session", "view")
def get_session(request, session_id: int):
    return p.session_dict(_session(request, session_id), detail=True, base_url=_base_url())


@router.post("/training/sessions/{session_id}/open", response={200: TrainingSessionDetailOut, **ERRORS},
             summary="开班（学员首次签到时也自动开班）")
@api_permit("training_session", "record_session")
def open_session(request, session_id: int):
    session = services.session_open(actor=request.auth, session=_session(request, session_id, "record_session"))
    return p.session_dict(_session(request, session.pk), detail=True, base_url=_base_url())


@router.post("/training/sessions/{session_id}/close", response={200: TrainingSessionDetailOut, **ERRORS},
             summary="结班：不再签到、评估和上传影像，得分作为项目评估和拨付的依据")
@api_permit("training_session", "close")
def close_session(request, session_id: int):
    session = services.session_close(actor=request.auth, session=_session(request, session_id, "close"))
    return p.session_dict(_session(request, session.pk), detail=True, base_url=_base_url())


@router.get("/training/sessions/{session_id}/attendance", response={200: TrainingAttendanceListOut, **ERRORS},
            summary="签到名单（手机号隐去中间四位）")
@api_permit("training_session", "attendance")
def list_attendance(request, session_id: int):
    session = _session(request, session_id)
    answered = set(s.evaluation_list(session, EvaluationKind.QUESTIONNAIRE).values_list("attendance_id", flat=True))
    rows = s.attendance_list(session)
    return {"count": rows.count(), "items": [p.attendance_dict(a, answered) for a in rows]}


@router.get("/training/sessions/{session_id}/evaluations", response={200: TrainingEvaluationListOut, **ERRORS},
            summary="学员问卷和评估表（kind 筛选）")
@api_permit("training_session", "view")
def list_evaluations(request, session_id: int, kind: choice_filter(EvaluationKind) = ""):
    rows = s.evaluation_list(_session(request, session_id), kind)
    names = may(request.auth or request.user, "training_session", "attendance")  # trainees' names
    return {"count": rows.count(), "items": [p.evaluation_dict(e, trainee_names=names) for e in rows]}


@router.post("/training/sessions/{session_id}/evaluation-forms", response={201: TrainingEvaluationOut, **ERRORS},
             summary="填写评估表（开班后；各项 0～10 分，按权重折算为百分制）")
@api_permit("training_session", "record_session")
def add_evaluation_form(request, session_id: int, payload: TrainingEvaluationFormIn):
    session = _session(request, session_id, "record_session")
    evaluation = services.evaluation_form_submit(actor=request.auth, session=session, marks=payload.marks,
                                                 note=payload.note)
    return Status(201, p.evaluation_dict(evaluation))


@router.get("/training/sessions/{session_id}/media", response={200: TrainingMediaListOut, **ERRORS}, summary="培训影像列表")
@api_permit("training_session", "view")
def list_media(request, session_id: int):
    rows = s.media_list(_session(request, session_id))
    return {"count": rows.count(), "items": [p.media_dict(m) for m in rows]}


@router.post("/training/sessions/{session_id}/media", response={201: TrainingMediaOut, **ERRORS, 413: TrainingErrorOut,
                                                                 415: TrainingErrorOut},
             summary="上传培训照片、音频或视频（multipart：file；类型按文件内容判断，原样保存并记录 SHA-256）")
@api_permit("training_session", "record_session")
def upload_media(request, session_id: int, file: File[UploadedFile]):
    session = _session(request, session_id, "record_session")
    return Status(201, p.media_dict(services.media_upload(actor=request.auth, session=session, upload=file)))


@router.get("/training/media/{media_id}/file", openapi_extra=MEDIA_FILE_RESPONSE, summary="下载培训影像原件")
@api_permit("training_session", "view")
def download_media(request, media_id: int):
    media = get_for(request.auth, SessionMedia.objects.select_related("file"), media_id, "view")
    return stored_file_response(media.file)


# --- public: the trainee's phone ------------------------------------------------------------------

@router.get("/training/sign-in/{token}", response={200: TrainingSignInInfoOut, **PUBLIC_ERRORS}, auth=None,
            summary="扫码签到页的培训信息和签到状态（公开，凭签到码）")
@public  # the sign-in code on the QR and its rate limits are the access check
def sign_in_info(request, token: str):
    session = services.session_by_token(token)
    state = services.sign_in_state(session)
    return {"course_title": session.course.title, "trainer_name": session.course.trainer.name,
            "venue": session.venue, "starts_at": p.iso_time(session.starts_at), "ends_at": p.iso_time(session.ends_at),
            "sign_in_state": state, "sign_in_state_label": p.SIGN_IN_STATES[state], "questions": QUESTIONS}


@router.post("/training/sign-in/{token}", response={201: TrainingSignInOut, **PUBLIC_ERRORS}, auth=None,
             summary="学员扫码签到（公开；开始前 30 分钟至结束后 2 小时；同一手机号只能签到一次）")
@public  # the sign-in code on the QR and its rate limits are the access check
def sign_in(request, token: str, payload: TrainingSignInIn):
    session = services.session_by_token(token)
    attendance = services.attendance_sign_in(session=session, data=payload.model_dump())
    return Status(201, {"name": attendance.name, "signed_at": p.iso_time(attendance.signed_at),
                        "questionnaire_token": services.questionnaire_token(attendance), "questions": QUESTIONS})


@router.post("/training/questionnaire", response={201: TrainingQuestionnaireOut, **PUBLIC_ERRORS}, auth=None,
             summary="学员提交培训问卷（公开，凭签到时返回的问卷令牌；每人一次）")
@public  # the signed questionnaire token handed out at sign-in is the access check
def submit_questionnaire(request, payload: TrainingQuestionnaireIn):
    attendance = services.attendance_by_token(payload.questionnaire_token)
    evaluation = services.questionnaire_submit(attendance=attendance, answers=payload.answers)
    return Status(201, {"score": p.score_text(evaluation.score), "message": "问卷已提交，感谢您的参与！"})
