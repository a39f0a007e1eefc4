"""Pages: a DomainError that escapes a view becomes the matching error page, never a 500.

Views still catch errors they can show beside a form; this covers load-and-check helpers
(`get_for` → 404 page, a role the matrix refuses → 403) and refusals on plain links.
"""

from django.http import JsonResponse
from django.shortcuts import render

from gongshang.core.errors import CoreErrorCode, DomainError


class DomainErrorPageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DomainError) or request.path.startswith("/api/"):
            return None
        if exception.status == 404:
            return render(request, "web/404.html", status=404)
        return render(request, "web/refused.html", {"error": exception}, status=exception.status)


class RejectNulCharactersMiddleware:
    """A NUL character in the path or the query string is refused before any view runs.

    PostgreSQL cannot store or compare text with NUL, so a filter like `?q=%00` would otherwise
    end in a database error (a 500) on PostgreSQL while SQLite accepts it. Request bodies are
    checked where they are parsed (forms' CharField, the API's ApiSchema).
    """

    MESSAGE = "请求中含有不允许的控制字符（NUL），请删除后重试。"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any("\x00" in key or any("\x00" in v for v in values)
                                         for key, values in request.GET.lists()):
            if request.path.startswith("/api/"):
                from gongshang.api.errors import error_body

                return JsonResponse(error_body(CoreErrorCode.VALIDATION, self.MESSAGE), status=422,
                                    json_dumps_params={"ensure_ascii": False})
            return render(request, "web/refused.html", {"error": DomainError("validation_error", self.MESSAGE)},
                          status=400)
        return self.get_response(request)
