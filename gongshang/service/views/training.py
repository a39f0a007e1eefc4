"""工伤预防培训 pages: the trainer pool and courses (专管员 manages and reviews; 合作经办 reads), the
sessions with their QR code, attendance, scores, evaluation form and media, and the trainee's
public sign-in and questionnaire on the phone."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from gongshang.accounts.access import allowed_actions, get_for, may, permit, public
from gongshang.core.errors import DomainError
from gongshang.core.files.serving import stored_file_response
from gongshang.web.errors import add_errors_to_form, flash_refusal
from gongshang.web.paging import paged

from ..choices import CourseStatus, EvaluationKind, SessionStatus
from ..models import Course, PreventionProject, SessionMedia, Trainer, TrainingSession
from ..presenters import training as p
from ..rules import training as rules
from ..selectors import training as s
from ..services import training as services
from . import training_forms as f

SESSIONS = TrainingSession.objects.select_related("project", "course", "course__trainer")
COURSES = Course.objects.select_related("trainer", "reviewed_by")
QUESTIONNAIRE_KEY = "training_questionnaires"  # sign-in code → signed questionnaire token


def _base_url(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


# --- 师资库与课程 -----------------------------------------------------------------------------------------

@permit("prevention_trainer", "view")
def trainer_list(request):
    user = request.user
    may_manage = may(user, "prevention_trainer", "manage")
    filters = f.TrainerFilterForm(request.GET or None)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    active = {"1": True, "0": False}.get(chosen.get("active", ""))
    rows = s.trainer_list(actor=user, q=chosen.get("q", "").strip(), active=active)
    page, query = paged(request, rows)
    form = f.TrainerForm(request.POST or None) if may_manage else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            trainer = services.trainer_add(actor=user, data=form.cleaned_data)
        except DomainError as exc:
            add_errors_to_form(form, exc)
        else:
            messages.success(request, f"已将“{trainer.name}”加入师资库。")
            return redirect("service:trainer_list")
    pending = s.course_list(actor=user, status=CourseStatus.PENDING)
    return render(request, "service/training/trainer_list.html", {
        "filters": filters, "page": page, "query": query, "rows": [p.trainer_dict(t) for t in page.object_list],
        "form": form, "may_manage": may_manage, "pending_count": pending.count(),
        "pending": [p.course_dict(c) for c in pending[:10]]})


def _trainer(request, pk, action="view") -> Trainer:
    return get_for(request.user, Trainer, pk, action)


def _trainer_page(request, trainer, *, form=None, course_form=None, mobile=""):
    actions = allowed_actions(request.user, trainer)
    if form is None and "manage" in actions:
        form = f.TrainerForm(initial={"name": trainer.name, "specialty": trainer.specialty,
                                      "organisation": trainer.organisation, "title": trainer.title})
    if form is not None:
        form.fields["mobile"].help_text = "留空则保留原号码；填写新号码则替换"
    if course_form is None and "manage" in actions and trainer.active:
        course_form = f.CourseForm(trainers=[trainer], initial={"trainer": trainer.pk})
    courses = s.course_list(actor=request.user, trainer=trainer)
    return render(request, "service/training/trainer_detail.html", {
        "trainer": trainer, "row": p.trainer_dict(trainer), "actions": actions, "form": form,
        "course_form": course_form, "mobile": mobile, "courses": [p.course_dict(c) for c in courses]})


@permit("prevention_trainer", "view")
def trainer_detail(request, pk):
    return _trainer_page(request, _trainer(request, pk))


@permit("prevention_trainer", "manage")
def trainer_edit(request, pk):
    trainer = _trainer(request, pk, "manage")
    form = f.TrainerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if not data.get("mobile"):
            data["mobile"] = trainer.mobile  # left empty: keep the number (the form never shows it)
        try:
            services.trainer_edit(actor=request.user, trainer=trainer, data=data)
        except DomainError as exc:
            add_errors_to_form(form, exc)
        else:
            messages.success(request, "已保存师资信息。")
            return redirect("service:trainer_detail", pk=pk)
    if request.method != "POST":
        return redirect("service:trainer_detail", pk=pk)
    return _trainer_page(request, trainer, form=form)


def _trainer_active_view(action_label: str, service, done: str):
    @require_POST
    @permit("prevention_trainer", "manage")
    def view(request, pk):
        trainer = _trainer(request, pk, "manage")
        service(actor=request.user, trainer=trainer)
        messages.success(request, done.format(name=trainer.name))
        return redirect("service:trainer_detail", pk=pk)

    view.__name__ = f"trainer_{action_label}"
    return view


trainer_deactivate = _trainer_active_view("deactivate", services.trainer_deactivate, "已将“{name}”移出师资库。")
trainer_activate = _trainer_active_view("activate", services.trainer_activate, "已将“{name}”恢复入库。")


@require_POST
@permit("prevention_trainer", "view_pii")
def trainer_mobile(request, pk):
    trainer = _trainer(request, pk, "view_pii")
    mobile = services.trainer_mobile_reveal(actor=request.user, trainer=trainer)
    return _trainer_page(request, trainer, mobile=mobile or "（未登记）")


@require_POST
@permit("prevention_trainer", "manage")
def course_submit(request, pk):
    trainer = _trainer(request, pk, "manage")
    form = f.CourseForm(request.POST, trainers=[trainer])
    if form.is_valid():
        try:
            course = services.course_submit(actor=request.user, trainer=trainer, data=form.cleaned_data)
        except DomainError as exc:
            add_errors_to_form(form, exc)
        else:
            messages.success(request, f"课程“{course.title}”已提交审核。")
            return redirect("service:course_detail", pk=course.pk)
    return _trainer_page(request, trainer, course_form=form)


@permit("prevention_trainer", "view")
def course_list(request):
    filters = f.CourseFilterForm(request.GET or None)
    status = filters.cleaned_data.get("status", "") if filters.is_valid() else ""
    page, query = paged(request, s.course_list(actor=request.user, status=status))
    return render(request, "service/training/course_list.html", {
        "filters": filters, "page": page, "query": query, "rows": [p.course_dict(c) for c in page.object_list],
        "may_review": may(request.user, "prevention_trainer", "review_course")})


def _course_page(request, course, *, review_form=None, edit_form=None):
    actions = allowed_actions(request.user, course)
    pending = course.status == CourseStatus.PENDING
    if review_form is None and "review_course" in actions and pending:
        review_form = f.CourseReviewForm()
    if edit_form is None and "manage" in actions and course.status != CourseStatus.APPROVED:
        edit_form = f.CourseEditForm(initial={"title": course.title, "outline": course.outline, "hours": course.hours})
    return render(request, "service/training/course_detail.html", {
        "course": course, "row": p.course_dict(course), "actions": actions,
        "review_form": review_form if pending else None, "edit_form": edit_form})


@permit("prevention_trainer", "view")
def course_detail(request, pk):
    return _course_page(request, get_for(request.user, COURSES, pk, "view"))


@require_POST
@permit("prevention_trainer", "review_course")
def course_review(request, pk):
    course = get_for(request.user, COURSES, pk, "review_course")
    form = f.CourseReviewForm(request.POST)
    if form.is_valid():
        try:
            course = services.course_review(actor=request.user, course=course,
                                            approve=form.cleaned_data["decision"] == "approve",
                                            note=form.cleaned_data["note"])
        except DomainError as exc:
            if exc.status == 409:
                flash_refusal(request, exc)
                return redirect("service:course_detail", pk=pk)
            add_errors_to_form(form, exc)
        else:
            messages.success(request, f"课程“{course.title}”{course.get_status_display()}。")
            return redirect("service:course_detail", pk=pk)
    return _course_page(request, course, review_form=form)


@require_POST
@permit("prevention_trainer", "manage")
def course_edit(request, pk):
    course = get_for(request.user, COURSES, pk, "manage")
    form = f.CourseEditForm(request.POST)
    if form.is_valid():
        try:
            services.course_edit(actor=request.user, course=course, data=form.cleaned_data)
        except DomainError as exc:
            if exc.status == 409:
                flash_refusal(request, exc)
                return redirect("service:course_detail", pk=pk)
            add_errors_to_form(form, exc)
        else:
            messages.success(request, "课程已修改，重新进入审核。")
            return redirect("service:course_detail", pk=pk)
    return _course_page(request, course, edit_form=form)


# --- 培训班次 -------------------------------------------------------------------------------------------

def _session_form(request, data=None):
    return f.SessionForm(data, projects=s.project_choices(actor=request.user),
                         courses=s.course_choices(actor=request.user))


@permit("training_session", "view")
def session_list(request):
    user = request.user
    filters = f.SessionFilterForm(request.GET or None)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    rows = s.session_list(actor=user, status=chosen.get("status", ""), venue_kind=chosen.get("venue_kind", ""))
    page, query = paged(request, rows)
    may_create = may(user, "training_session", "create")
    return render(request, "service/training/session_list.html", {
        "filters": filters, "page": page, "query": query, "rows": [p.session_dict(x) for x in page.object_list],
        "may_create": may_create, "form": _session_form(request) if may_create else None})


@require_POST
@permit("training_session", "create")
def session_create(request):
    form = _session_form(request, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            project = get_for(request.user, PreventionProject, data["project"], "view")
            course = get_for(request.user, COURSES, data["course"], "view")
            session = services.session_create(actor=request.user, project=project, course=course, data={
                k: data[k] for k in ("venue_kind", "venue", "industry", "starts_at", "ends_at", "expected_trainees")})
        except DomainError as exc:
            if exc.status == 404:
                raise
            add_errors_to_form(form, exc)
        else:
            messages.success(request, "已登记培训班次。请在培训现场展示签到二维码。")
            return redirect("service:session_detail", pk=session.pk)
    page, query = paged(request, s.session_list(actor=request.user))
    return render(request, "service/training/session_list.html", {
        "filters": f.SessionFilterForm(), "page": page, "query": query,
        "rows": [p.session_dict(x) for x in page.object_list], "may_create": True, "form": form, "open_form": True},
        status=422)


def _session_page(request, session, *, evaluation_form=None, media_form=None, status=200):
    actions = allowed_actions(request.user, session)
    recording = "record_session" in actions
    held = session.status == SessionStatus.HELD
    if evaluation_form is None and recording and held:
        evaluation_form = f.EvaluationForm()
    if media_form is None and recording:
        media_form = f.MediaForm()
    row = p.session_dict(session, detail=True, base_url=_base_url(request))
    answered = set(s.evaluation_list(session, EvaluationKind.QUESTIONNAIRE).values_list("attendance_id", flat=True))
    names = "attendance" in actions  # the trainees' names and answers (not the 分管领导's)
    evaluations = [p.evaluation_dict(e, trainee_names=names) for e in s.evaluation_list(session)]
    return render(request, "service/training/session_detail.html", {
        "session": session, "row": row, "actions": actions, "may_open": p.may_open(session, actions),
        "qr": mark_safe(p.qr_svg(row["sign_in_url"])),  # noqa: S308 (our own SVG: a path and attributes)
        "attendance": [p.attendance_dict(a, answered) for a in s.attendance_list(session)] if names else None,
        "forms": [e for e in evaluations if e["kind"] == EvaluationKind.EVALUATION_FORM],
        "questionnaires": [e for e in evaluations if e["kind"] == EvaluationKind.QUESTIONNAIRE],
        "media": [p.media_dict(m) for m in s.media_list(session)],
        "evaluation_form": evaluation_form if held else None, "media_form": media_form if recording else None,
        "form_items": rules.FORM_ITEMS}, status=status)


@permit("training_session", "view")
def session_detail(request, pk):
    return _session_page(request, get_for(request.user, SESSIONS, pk, "view"))


def _session_step(action: str, service, done: str):
    @require_POST
    @permit("training_session", action)
    def view(request, pk):
        session = get_for(request.user, SESSIONS, pk, action)
        try:
            service(actor=request.user, session=session)
        except DomainError as exc:
            flash_refusal(request, exc)
        else:
            messages.success(request, done)
        return redirect("service:session_detail", pk=pk)

    view.__name__ = f"session_{action}"
    return view


session_open = _session_step("record_session", services.session_open, "已开班，学员可以扫码签到。")
session_close = _session_step("close", services.session_close, "已结班。得分将作为项目评估和拨付的依据。")


@require_POST
@permit("training_session", "record_session")
def session_evaluate(request, pk):
    session = get_for(request.user, SESSIONS, pk, "record_session")
    form = f.EvaluationForm(request.POST)
    if form.is_valid():
        try:
            evaluation = services.evaluation_form_submit(actor=request.user, session=session, marks=form.marks(),
                                                         note=form.cleaned_data["note"])
        except DomainError as exc:
            if exc.status == 409:
                flash_refusal(request, exc)
                return redirect("service:session_detail", pk=pk)
            add_errors_to_form(form, exc)
        else:
            messages.success(request, f"评估表已提交，得分 {evaluation.score:.2f}。")
            return redirect("service:session_detail", pk=pk)
    return _session_page(request, session, evaluation_form=form, status=422)


@require_POST
@permit("training_session", "record_session")
def session_media(request, pk):
    session = get_for(request.user, SESSIONS, pk, "record_session")
    form = f.MediaForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            media = services.media_upload(actor=request.user, session=session, upload=form.cleaned_data["file"])
        except DomainError as exc:
            if exc.status in (403, 404):
                raise
            add_errors_to_form(form, exc)
        else:
            messages.success(request, f"已保存{media.get_kind_display()}“{media.file.original_name}”。")
            return redirect("service:session_detail", pk=pk)
    return _session_page(request, session, media_form=form, status=422)


@permit("training_session", "view")
def media_download(request, pk):
    media = get_for(request.user, SessionMedia.objects.select_related("file"), pk, "view")
    return stored_file_response(media.file)


# --- 扫码签到 and 问卷 (public, on the trainee's phone) -----------------------------------------------------

def _remember(request, token: str, attendance) -> None:
    tokens = dict(request.session.get(QUESTIONNAIRE_KEY, {}))
    tokens[token] = services.questionnaire_token(attendance)
    request.session[QUESTIONNAIRE_KEY] = tokens


@public  # the sign-in code on the QR and its rate limits are the access check
def sign_in(request, token):
    session = services.session_by_token(token)
    if request.method == "POST":
        form = f.SignInForm(request.POST)
        if form.is_valid():
            try:
                attendance = services.attendance_sign_in(session=session, data=form.cleaned_data)
            except DomainError as exc:
                if exc.status in (404, 429):
                    raise
                add_errors_to_form(form, exc)
            else:
                _remember(request, token, attendance)
                messages.success(request, f"{attendance.name}，签到成功！请花一分钟填写培训问卷。")
                return redirect("service:training_questionnaire", token=token)
    else:
        form = f.SignInForm()
    state = services.sign_in_state(session)
    return render(request, "service/training/sign_in.html", {
        "session": session, "form": form, "state": state, "state_label": p.SIGN_IN_STATES[state],
        "signed_in": token in request.session.get(QUESTIONNAIRE_KEY, {})},
        status=422 if request.method == "POST" else 200)


@public  # the signed questionnaire token kept in this browser's session is the access check
def questionnaire(request, token):
    session = services.session_by_token(token)
    signed = request.session.get(QUESTIONNAIRE_KEY, {}).get(token)
    attendance, form, done, status = None, None, False, 200
    if signed:
        try:
            attendance = services.attendance_by_token(signed)
        except DomainError:
            attendance = None
    if attendance is not None:
        done = services.has_answered(attendance)
        form = None if done else f.QuestionnaireForm(request.POST or None)
        if request.method == "POST" and form is not None:
            status = 422
            if form.is_valid():
                try:
                    services.questionnaire_submit(attendance=attendance, answers=form.answers())
                except DomainError as exc:
                    add_errors_to_form(form, exc)
                else:
                    messages.success(request, "问卷已提交，感谢您的参与！")
                    return redirect("service:training_questionnaire", token=token)
    return render(request, "service/training/questionnaire.html", {
        "session": session, "attendance": attendance, "form": form, "done": done, "token": token}, status=status)


urlpatterns = [
    path("training/trainers/", trainer_list, name="trainer_list"),
    path("training/trainers/<int:pk>/", trainer_detail, name="trainer_detail"),
    path("training/trainers/<int:pk>/edit/", trainer_edit, name="trainer_edit"),
    path("training/trainers/<int:pk>/deactivate/", trainer_deactivate, name="trainer_deactivate"),
    path("training/trainers/<int:pk>/activate/", trainer_activate, name="trainer_activate"),
    path("training/trainers/<int:pk>/mobile/", trainer_mobile, name="trainer_mobile"),
    path("training/trainers/<int:pk>/courses/", course_submit, name="course_submit"),
    path("training/courses/", course_list, name="course_list"),
    path("training/courses/<int:pk>/", course_detail, name="course_detail"),
    path("training/courses/<int:pk>/review/", course_review, name="course_review"),
    path("training/courses/<int:pk>/edit/", course_edit, name="course_edit"),
    path("training/sessions/", session_list, name="session_list"),
    path("training/sessions/new/", session_create, name="session_create"),
    path("training/sessions/<int:pk>/", session_detail, name="session_detail"),
    path("training/sessions/<int:pk>/open/", session_open, name="session_open"),
    path("training/sessions/<int:pk>/close/", session_close, name="session_close"),
    path("training/sessions/<int:pk>/evaluate/", session_evaluate, name="session_evaluate"),
    path("training/sessions/<int:pk>/media/", session_media, name="session_media"),
    path("training/media/<int:pk>/", media_download, name="training_media_download"),
    path("t/<str:token>/", sign_in, name="training_sign_in"),
    path("t/<str:token>/questionnaire/", questionnaire, name="training_questionnaire"),
]
