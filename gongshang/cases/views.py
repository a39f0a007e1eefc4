"""The one case page (我的工伤): everything about one case the reader may see."""

from django.shortcuts import render

from gongshang.accounts.access import permit

from . import case_view, journey


@permit("case", "view")
def case_detail(request, case_id):
    """A worker's own case, an employer's employee's case, or (staff) a case of their 统筹区; any other
    case answers 404."""
    case = journey.case_for(actor=request.user, case_id=case_id)
    return render(request, "cases/case_detail.html", case_view.case_page(actor=request.user, case=case))
