"""待遇计算器 page: public, no login; the same service as POST /api/v1/benefits/calculate."""

from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from gongshang.core.errors import DomainError
from gongshang.web.errors import add_errors_to_form

from ..forms import CalculatorForm
from ..services import calculator


def _place(form, exc: DomainError) -> None:
    """Field errors beside their fields; dependants' and parameters' errors on top."""
    errors = getattr(exc, "errors", {}) or {}
    for field, message in errors.items():
        if field in form.fields:
            form.add_error(field, message)
        else:
            form.add_error(None, message)
    if not errors:
        add_errors_to_form(form, exc)


@require_http_methods(["GET", "POST"])
def calculator_page(request):
    form = CalculatorForm(request.POST or None)
    result, status = None, 200
    if request.method == "POST":
        if form.is_valid():
            try:
                result = calculator.calculate_request(form.as_request())
            except DomainError as exc:
                _place(form, exc)
        if result is None:
            status = 422
    return render(request, "benefits/calculator.html", {"form": form, "result": result}, status=status)
