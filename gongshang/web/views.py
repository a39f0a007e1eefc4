"""Home pages per audience, and the error pages."""

from django.conf import settings
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render

from gongshang.accounts.access import permit, public
from gongshang.accounts.choices import Audience
from gongshang.core.regions import full_name
from gongshang.registry import selectors as registry
from gongshang.web import dashboard


@public
def home(request):
    if request.user.is_authenticated:
        target = {Audience.INDIVIDUAL: "web:individual_home", Audience.EMPLOYER: "web:employer_home",
                  Audience.STAFF: "web:staff_home", Audience.INSTITUTION: "medical:portal_home"}.get(request.user.kind)
        if target:
            return redirect(target)
    return render(request, "web/home.html", {"demo": settings.DEMO_DATA_ALLOWED})


@public
def demo_guide(request):
    """演示说明: the demo accounts and the demo quick reports' codes, to try the supplement journey.
    Exists only where demo data is allowed (404 in production)."""
    if not settings.DEMO_DATA_ALLOWED:
        raise Http404
    from gongshang.quickreports.demo import demo_codes

    return render(request, "web/demo_guide.html", {"codes": demo_codes()})


@permit("home", "services")
def services(request):
    """办事: every service of the account's menu as a tile (the phone's 办事 tab)."""
    return render(request, "web/services.html", {})


@permit("home", "staff")
def staff_home(request):
    user = request.user
    roles = sorted(user.role_assignments.all(), key=lambda r: r.role)
    queues = dashboard.queues_for(user)
    return render(request, "web/staff_home.html",
                  {"roles": roles, "region_name": full_name(user.jurisdiction) or user.jurisdiction,
                   "idle_minutes": settings.STAFF_IDLE_TIMEOUT_MINUTES,
                   "queues": queues, "chart_data": dashboard.chart_data(queues)})


@permit("home", "employer")
def employer_home(request):
    employer = request.user.employer
    return render(request, "web/employer_home.html",
                  {"employer": employer, "summary": registry.employer_summary(employer=employer),
                   "region_name": full_name(employer.region) or employer.region,
                   "pending_changes": registry.change_list(actor=request.user, status="pending").count(),
                   **_my_cases(request.user)})


@permit("home", "individual")
def individual_home(request):
    person = request.user.person
    enrolments = registry.enrolment_list_for_person(actor=request.user, person=person) if person else []
    return render(request, "web/individual_home.html", {"person": person, "enrolments": enrolments,
                                                        **_my_cases(request.user)})


def _my_cases(actor) -> dict:
    """我的工伤 on a home page: the actor's cases as cards, and the worker's own quick reports."""
    from gongshang.cases import journey

    cases = journey.my_cases(actor=actor)[:CASE_CARDS]
    return {"journeys": journey.journeys(actor=actor, cases=cases),
            "for_employer": actor.kind == Audience.EMPLOYER,
            "quick_reports": journey.quick_report_rows(actor=actor) if actor.kind == Audience.INDIVIDUAL else []}


CASE_CARDS = 20


@public
def guide(request):
    """办事指南: each stage for a worker, with the article; regional details from settings and data."""
    from . import guide as content

    return render(request, "web/guide.html", content.guide_context())


def not_found(request, exception=None):
    if request.path.startswith("/api/"):
        return JsonResponse({"code": "not_found", "message": "接口不存在，请查阅 /api/v1/docs。", "details": {}},
                            status=404, json_dumps_params={"ensure_ascii": False})
    return render(request, "web/404.html", status=404)


def bad_request(request, exception=None):
    """A request Django refused before any view ran (e.g. a multipart body without a boundary)."""
    from gongshang.api.errors import malformed_request_body

    body, _ = malformed_request_body(exception)
    if request.path.startswith("/api/"):
        return JsonResponse(body, status=400, json_dumps_params={"ensure_ascii": False})
    return render(request, "web/refused.html", {"error": body}, status=400)


FORBIDDEN_MESSAGE = "您无权办理此业务；如需办理，请联系本单位或经办机构的系统管理员分配权限。"
CSRF_FAILURE_MESSAGE = ("页面已过期，或浏览器没有保存本站的 Cookie，为保护您的账户，本次提交未被受理。"
                        "请返回上一页，刷新后重新提交；如仍不行，请允许本站使用 Cookie。")


def _chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def permission_denied(request, exception=None):
    """403: our own refusals say why in Chinese; anything else (a library's English text) gets ours."""
    message = str(exception or "")
    message = message if _chinese(message) else FORBIDDEN_MESSAGE
    if request.path.startswith("/api/"):
        return JsonResponse({"code": "forbidden", "message": message, "details": {}}, status=403,
                            json_dumps_params={"ensure_ascii": False})
    return render(request, "web/refused.html", {"error": {"message": message}}, status=403)


def csrf_failure(request, reason=""):
    """settings.CSRF_FAILURE_VIEW: a form posted without its CSRF token or cookie (an old page, cookies
    off). Django's own page has an inline style (refused by the Content-Security-Policy) and talks
    about DEBUG; this one says what to do."""
    return render(request, "web/refused.html", {"error": {"message": CSRF_FAILURE_MESSAGE}}, status=403)


def server_error(request):
    if request.path.startswith("/api/"):
        return JsonResponse({"code": "internal_error", "message": "系统繁忙，请稍后再试；已保存的内容没有丢失。",
                             "details": {}}, status=500, json_dumps_params={"ensure_ascii": False})
    return render(request, "web/500.html", status=500)
