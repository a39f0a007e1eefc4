"""个人门户「我的待遇」: what the person is owed, why (article and formula), and what was paid."""

from django.shortcuts import render

from gongshang.accounts.access import permit

from .. import selectors


@permit("payment", "statement")
def my_statements(request):
    return render(request, "benefits/my_statements.html", {**selectors.statements_for(actor=request.user),
                                                           "bound": bool(request.user.person_id)})
