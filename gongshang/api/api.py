"""The /api/v1/ assembly: one NinjaAPI, routers from each app, one error format."""

from ninja import NinjaAPI
from ninja.renderers import JSONRenderer

from gongshang.api.errors import install_error_handlers
from gongshang.api.openapi import complete_error_responses


class ChineseJSONRenderer(JSONRenderer):
    """Chinese messages as UTF-8 text, not \\u escapes."""

    json_dumps_params = {"ensure_ascii": False}


class GongshangAPI(NinjaAPI):
    """The one NinjaAPI; its OpenAPI document declares every operation's error responses."""

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        return complete_error_responses(super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params))


api = GongshangAPI(
    renderer=ChineseJSONRenderer(),
    title="工伤保险一体化经办平台 API",
    version="1",
    description=(
        "Gongshang 工伤保险平台接口。认证：`POST /api/v1/auth/token` 取得令牌，之后请求携带 "
        "`Authorization: Bearer <token>`。错误统一为 `{\"code\", \"message\", \"details\"}`。"
        "创建类 POST 支持 `Idempotency-Key` 请求头。"
    ),
    urls_namespace="api",
)
install_error_handlers(api)


def register_routers() -> None:
    from gongshang.accounts.api import employer_router
    from gongshang.accounts.api import router as auth_router
    from gongshang.appraisal.api import router as appraisal_router
    from gongshang.benefits.api import router as benefits_router
    from gongshang.cases.api import me_router
    from gongshang.core.api import router as core_router
    from gongshang.integrations.api import router as exchange_router
    from gongshang.medical.api import router as medical_router
    from gongshang.quickreports.api import router as quickreports_router
    from gongshang.quickreports.api import staff_router as quickreports_staff_router
    from gongshang.recognition.api import router as recognition_router
    from gongshang.registry.api import router as registry_router
    from gongshang.service.api import cases_router as service_cases_router
    from gongshang.service.api import router as service_router

    api.add_router("/auth/", auth_router)
    api.add_router("/employer/", employer_router)
    api.add_router("/", core_router)
    api.add_router("/registry/", registry_router)
    api.add_router("/quick-reports", quickreports_router)
    api.add_router("/staff/quick-reports", quickreports_staff_router)
    api.add_router("/benefits/", benefits_router)
    api.add_router("/recognition", recognition_router)
    api.add_router("/me", me_router)
    api.add_router("/appraisal", appraisal_router)
    api.add_router("/medical", medical_router)
    api.add_router("/service", service_router)
    api.add_router("/cases", service_cases_router)  # /cases/{case_number}/messages (案件留言)
    api.add_router("/exchange", exchange_router)


def gate_before_input(run):
    """Answer the access mark (401/403) right after authentication, before ninja reads the body
    and the query: a caller the matrix refuses learns that, not which fields it got wrong. The
    object-level check (get_for: 404/403) stays inside the function.

    Installed as an API-wide decorator in "view" mode, which ninja applies to each bound
    operation's `run`; it extends that operation's checks (authentication, throttling) and returns
    `run` unchanged."""
    from gongshang.accounts.access import PUBLIC, require
    from gongshang.core.errors import DomainError

    operation = run.__self__
    mark = getattr(operation.view_func, "access", None)
    if mark is None or tuple(mark) == PUBLIC:
        return run
    checks = operation._run_checks

    def run_checks(request):
        error = checks(request)
        if error is not None:
            return error
        try:
            require(getattr(request, "auth", None) or request.user, *mark)
        except DomainError as exc:
            return operation.api.on_exception(request, exc)
        return None

    operation._run_checks = run_checks
    return run


api.add_decorator(gate_before_input, mode="view")
register_routers()
