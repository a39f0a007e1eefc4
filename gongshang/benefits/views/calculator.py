"""待遇计算器 page: public, no login; the same service as POST /api/v1/benefits/calculate."""

from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from gongshang.accounts.access import public
from gongshang.core.errors import DomainError
from gongshang.web.errors import add_errors_to_form

from ..forms import CalculatorForm
from ..services import calculator


@public
@require_http_methods(["GET", "POST"])
def calculator_page(request):
    form = CalculatorForm(request.POST or None)
    result, status = None, 200
    if request.method == "POST":
        if form.is_valid():
            try:
                result = calculator.calculate_request(form.as_request())
            except DomainError as exc:
                add_errors_to_form(form, exc)
        if result is None:
            status = 422
    return render(request, "benefits/calculator.html", {"form": form, "result": result}, status=status)
