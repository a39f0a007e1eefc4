"""快报收件箱 (the "大数据平台" view) for 受理员 / 调查员 of the jurisdiction."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from gongshang.core.errors import DomainError

from .. import presenters, selectors
from ..forms import CloseForm, InboxFilterForm, MessageForm
from ..permissions import inbox_required
from ..services import staff


@inbox_required
def inbox(request):
    form = InboxFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    reports = selectors.quick_report_list(actor=request.user, status=filters.get("status", ""),
                                          flag=filters.get("flag", ""), unread=filters.get("unread", False),
                                          q=filters.get("q", ""))
    page = Paginator(selectors.with_rows(reports), selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "quickreports/inbox.html", {
        "form": form, "rows": [presenters.staff_row(r) for r in page], "page": page, "query": query.urlencode(),
        "unread": selectors.unread_count(actor=request.user)})


@inbox_required
def detail(request, report_id):
    report = selectors.quick_report_get(actor=request.user, report_id=report_id)
    staff.quick_report_mark_viewed(actor=request.user, report=report)
    return render(request, "quickreports/inbox_detail.html", {
        "report": report, "view": presenters.staff_view(report), "message_form": MessageForm(),
        "promise": presenters.GREEN_CHANNEL_PROMISE,
        "close_form": CloseForm()})


ACTIONS = {
    "receive": (staff.quick_report_receive, "已接收该快报。"),
    "open-case": (staff.quick_report_open_case, "已立案。"),
    "green-channel": (staff.quick_report_green_channel, "已开通绿色通道：认定受理后 5 个工作日内作出结论。"),
}


@require_POST
@inbox_required
def action(request, report_id, name):
    report = selectors.quick_report_get(actor=request.user, report_id=report_id)
    try:
        if name in ACTIONS:
            service, done = ACTIONS[name]
            service(actor=request.user, report=report, request=request)
        elif name == "message":
            staff.quick_report_message(actor=request.user, report=report, text=request.POST.get("text", ""),
                                       request=request)
            done = "短信留言已进入发送队列。"
        elif name == "close":
            staff.quick_report_close_invalid(actor=request.user, report=report,
                                             reason=request.POST.get("reason", ""), request=request)
            done = "已作无效关闭。"
        else:
            return redirect("quickreports:inbox_detail", report_id=report.pk)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("quickreports:inbox_detail", report_id=report.pk)
