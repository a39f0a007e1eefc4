"""快报收件箱 (the "大数据平台" view) for 受理员 / 调查员 of the jurisdiction."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from gongshang.accounts.access import allowed_actions, permit
from gongshang.core.errors import DomainError
from gongshang.web.paging import paged

from .. import presenters, selectors
from ..forms import CloseForm, InboxFilterForm, MessageForm
from ..services import staff


@permit("quick_report", "queue")
def inbox(request):
    form = InboxFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    reports = selectors.quick_report_list(actor=request.user, action="queue", status=filters.get("status", ""),
                                          flag=filters.get("flag", ""), unread=filters.get("unread", False),
                                          q=filters.get("q", ""))
    page, query = paged(request, selectors.with_rows(reports), selectors.PAGE_SIZE)
    unread, unread_capped = selectors.unread_count_capped(actor=request.user)
    return render(request, "quickreports/inbox.html", {
        "form": form, "rows": [presenters.staff_row(r) for r in page], "page": page, "query": query,
        "unread": unread, "unread_capped": unread_capped})


@permit("quick_report", "queue")
def detail(request, report_id):
    report = selectors.quick_report_get(actor=request.user, report_id=report_id, action="queue")
    staff.quick_report_mark_viewed(actor=request.user, report=report)
    return render(request, "quickreports/inbox_detail.html", {
        "report": report, "view": presenters.staff_view(report), "message_form": MessageForm(),
        "promise": presenters.GREEN_CHANNEL_PROMISE, "actions": allowed_actions(request.user, report),
        "close_form": CloseForm()})


# URL name → (matrix action, service, done message)
ACTIONS = {
    "receive": ("receive", staff.quick_report_receive, "已接收该快报。"),
    "open-case": ("open_case", staff.quick_report_open_case, "已立案。"),
    "green-channel": ("green_channel", staff.quick_report_green_channel,
                      "已开通绿色通道：认定受理后 5 个工作日内作出结论。"),
    "message": ("message", staff.quick_report_message, "短信留言已进入发送队列。"),
    "close": ("close_invalid", staff.quick_report_close_invalid, "已作无效关闭。"),
}
FORM_FIELDS = {"message": "text", "close": "reason"}


@require_POST
@permit("quick_report", "queue")  # each action is checked on the report (get_for) and by its service
def action(request, report_id, name):
    if name not in ACTIONS:
        selectors.quick_report_get(actor=request.user, report_id=report_id, action="queue")
        return redirect("quickreports:inbox_detail", report_id=report_id)
    matrix_action, service, done = ACTIONS[name]
    report = selectors.quick_report_get(actor=request.user, report_id=report_id, action=matrix_action)
    extra = {FORM_FIELDS[name]: request.POST.get(FORM_FIELDS[name], "")} if name in FORM_FIELDS else {}
    try:
        service(actor=request.user, report=report, **extra)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("quickreports:inbox_detail", report_id=report.pk)
