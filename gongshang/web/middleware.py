"""Pages: a DomainError that escapes a view becomes the matching error page, never a 500.

Views still catch errors they can show beside a form; this covers load-and-check helpers
(`get_scoped_or_404` → 404 page, a missing role → 403) and refusals on plain links.
"""

from django.shortcuts import render

from gongshang.core.errors import DomainError


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
