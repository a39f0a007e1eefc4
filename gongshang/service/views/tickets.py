"""12333 pages: the agent's screen (caller lookup, knowledge search, new ticket incl. a phoned-in
accident), the queue with its filters (mine, my desk, overdue, complaints) and a ticket's page with
the actions the actor may take (transfer, reply, close, reveal the caller's number)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_POST

from gongshang.accounts.access import allowed_actions, get_for, may, permit
from gongshang.core.errors import DomainError
from gongshang.web.errors import add_errors_to_form, flash_refusal

from ..models import Ticket
from ..presenters.ratings import callback_context
from ..presenters.tickets import event_list, lookup_dict, sms_status, ticket_dict
from ..selectors.knowledge import knowledge_search
from ..selectors.tickets import VIEWS, caller_lookup, overdue_count, ticket_list
from ..services import tickets as services
from .tickets_forms import (
    CloseForm,
    KnowledgeSearchForm,
    LookupForm,
    ReplyForm,
    TicketFilterForm,
    TicketForm,
    TransferForm,
)

QS = Ticket.objects.select_related("case", "quick_report", "created_by")


def _lookup(request):
    form = LookupForm(request.GET or None)
    result, error = None, ""
    if form.is_bound and form.is_valid() and (form.cleaned_data["id_number"] or form.cleaned_data["mobile"]):
        try:
            result = lookup_dict(caller_lookup(actor=request.user, id_number=form.cleaned_data["id_number"],
                                               mobile=form.cleaned_data["mobile"]))
        except DomainError as exc:
            add_errors_to_form(form, exc)
            error = exc.message
    return form, result, error


def _knowledge(request):
    form = KnowledgeSearchForm(request.GET or None)
    if not may(request.user, "knowledge_article", "view"):
        return form, None
    q = form.cleaned_data.get("q", "") if form.is_valid() else ""
    if not q:
        return form, None
    return form, list(knowledge_search(actor=request.user, q=q)[:10])


def _ticket_input(data: dict) -> services.TicketInput:
    accident = None
    if data["category"] == "accident_filing":
        accident = services.AccidentInput(**{name: data[name] for name in TicketForm.ACCIDENT_FIELDS})
    return services.TicketInput(
        channel=data["channel"], category=data["category"], summary=data["summary"],
        caller_name=data["caller_name"], caller_mobile=data["caller_mobile"],
        caller_id_number=data["caller_id_number"], case_number=data["case_number"], answer=data.get("answer", ""),
        accident=accident)


def _form_errors(form, exc: DomainError) -> None:
    """The service names accident fields `accident.<name>`; the form has them without the prefix."""
    errors = getattr(exc, "errors", None)
    if errors:
        for name, message in errors.items():
            name = name.removeprefix("accident.")
            form.add_error(name if name in form.fields else None, message)
    else:
        add_errors_to_form(form, exc)


@permit("service_ticket", "create")
def agent_desk(request):
    """坐席工作台: who is calling, what the answer is, and the ticket of this call."""
    form = TicketForm(request.POST or None, may_close=may(request.user, "service_ticket", "close"))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                result = services.ticket_create(actor=request.user, data=_ticket_input(form.cleaned_data))
            except DomainError as exc:
                if exc.status in (403, 404):
                    raise
                _form_errors(form, exc)
                status = 422
            else:
                ticket = result.ticket
                text = f"已登记工单 {ticket.number}。"
                if result.quick_report is not None:
                    text += (f"已代报工伤快报，案件编号 {'、'.join(result.case_numbers)}；快报唯一标志码已短信发送至 "
                             f"{'、'.join(result.sms_to)}。")
                if ticket.status == "closed":
                    text += "已当场答复并办结。"
                messages.success(request, text)
                return redirect("service:ticket_detail", pk=ticket.pk)
        else:
            status = 422
    lookup_form, lookup, lookup_error = _lookup(request)
    knowledge_form, articles = _knowledge(request)
    return render(request, "service/tickets/agent_desk.html", {
        "form": form, "lookup_form": lookup_form, "lookup": lookup, "lookup_error": lookup_error,
        "knowledge_form": knowledge_form, "articles": articles,
        "may_lookup": may(request.user, "service_ticket", "lookup"),
        "overdue": overdue_count(actor=request.user)}, status=status)


@permit("service_ticket", "queue")
def ticket_list_page(request):
    form = TicketFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = ticket_list(actor=request.user, filters=filters)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "service/tickets/list.html", {
        "form": form, "rows": [ticket_dict(t) for t in page], "page": page, "query": query.urlencode(),
        "views": VIEWS, "view": filters.get("view", ""), "overdue": overdue_count(actor=request.user)})


def _detail_context(request, ticket, **extra) -> dict:
    actions = allowed_actions(request.user, ticket)
    return {"ticket": ticket, "t": ticket_dict(ticket), "events": event_list(ticket), "actions": actions,
            "sms": sms_status(ticket), "transfer_form": TransferForm(desks=services.desk_choices()),
            "reply_form": ReplyForm(), "close_form": CloseForm(), "revealed": {},
            "callback": callback_context(request.user, ticket), **extra}


@permit("service_ticket", "view")
def ticket_detail(request, pk: int):
    ticket = get_for(request.user, QS, pk, "view")
    return render(request, "service/tickets/detail.html", _detail_context(request, ticket))


def _step(request, pk: int, action: str, form, run, done: str):
    ticket = get_for(request.user, QS, pk, action)
    if form.is_valid():
        try:
            run(ticket, form.cleaned_data)
        except DomainError as exc:
            if exc.status == 422:
                add_errors_to_form(form, exc)
            else:
                flash_refusal(request, exc)
                return redirect("service:ticket_detail", pk=pk)
        else:
            messages.success(request, done)
            return redirect("service:ticket_detail", pk=pk)
    return render(request, "service/tickets/detail.html",
                  _detail_context(request, ticket, **{f"{action}_form": form}), status=422)


@require_POST
@permit("service_ticket", "transfer")
def ticket_transfer(request, pk: int):
    form = TransferForm(request.POST, desks=services.desk_choices())
    return _step(request, pk, "transfer", form,
                 lambda t, d: services.ticket_transfer(actor=request.user, ticket=t, desk=d["desk"], note=d["note"]),
                 "已转办，承办科室将在办结时限内答复。")


@require_POST
@permit("service_ticket", "reply")
def ticket_reply(request, pk: int):
    return _step(request, pk, "reply", ReplyForm(request.POST),
                 lambda t, d: services.ticket_reply(actor=request.user, ticket=t, text=d["text"]),
                 "已答复，热线坐席将告知来电人后办结。")


@require_POST
@permit("service_ticket", "close")
def ticket_close(request, pk: int):
    return _step(request, pk, "close", CloseForm(request.POST),
                 lambda t, d: services.ticket_close(actor=request.user, ticket=t, note=d["note"]),
                 "工单已办结。")


@require_POST
@permit("service_ticket", "view_pii")
def ticket_reveal(request, pk: int):
    """The caller's full number or ID number, shown on this answer only (never in a URL); logged."""
    ticket = get_for(request.user, QS, pk, "view_pii")
    field_name = request.POST.get("field", "")
    try:
        value = services.ticket_reveal(actor=request.user, ticket=ticket, field_name=field_name)
    except DomainError as exc:
        flash_refusal(request, exc)
        return redirect("service:ticket_detail", pk=pk)
    return render(request, "service/tickets/detail.html",
                  _detail_context(request, ticket, revealed={field_name: value}))


urlpatterns = [
    path("tickets/desk/", agent_desk, name="agent_desk"),
    path("tickets/", ticket_list_page, name="ticket_list"),
    path("tickets/<int:pk>/", ticket_detail, name="ticket_detail"),
    path("tickets/<int:pk>/transfer/", ticket_transfer, name="ticket_transfer"),
    path("tickets/<int:pk>/reply/", ticket_reply, name="ticket_reply"),
    path("tickets/<int:pk>/close/", ticket_close, name="ticket_close"),
    path("tickets/<int:pk>/reveal/", ticket_reveal, name="ticket_reveal"),
]
