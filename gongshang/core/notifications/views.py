"""Staff page: the notifications outbox (通知发件箱) for system administrators."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from gongshang.accounts.access import allowed_actions, get_for, permit
from gongshang.core.errors import DomainError
from gongshang.core.models import OutboxMessage
from gongshang.core.models.outbox import OutboxChannel, OutboxStatus
from gongshang.core.pii.masking import mask_mobile

from .selectors import outbox_message_list
from .services import retry_message

PAGE_SIZE = 50

STATUS_BADGES = {
    OutboxStatus.SENT: "badge-ok",
    OutboxStatus.PENDING: "badge-warn",
    OutboxStatus.RETRYING: "badge-warn",
    OutboxStatus.FAILED: "badge-error",
}


@permit("outbox_message", "view")
def outbox_list(request):
    filters = {"status": request.GET.get("status", ""), "channel": request.GET.get("channel", "")}
    queryset = outbox_message_list(actor=request.user, filters=filters)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {
            "message": message,
            "recipient": mask_mobile(message.recipient),
            "badge": STATUS_BADGES.get(message.status, ""),
            # The table (failed → pending) and the model's condition (an expired code is useless).
            "can_retry": "retry" in allowed_actions(request.user, message),
        }
        for message in page.object_list
    ]
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "core/outbox/list.html", {
        "page": page,
        "rows": rows,
        "filters": filters,
        "status_choices": OutboxStatus.choices,
        "channel_choices": OutboxChannel.choices,
        "query": query.urlencode(),
    })


@require_POST
@permit("outbox_message", "retry")
def outbox_retry(request, pk: int):
    # Another jurisdiction's message answers the same 404 as a missing one; an expired code 403,
    # shown as a message like the 409 of a message that is not failed.
    message = get_for(request.user, OutboxMessage, pk, "view")
    try:
        retry_message(actor=request.user, message=message)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"消息 #{message.pk} 已重新加入发送队列。")
    # Back to the same filtered page; only a query string of our own list is accepted.
    url = reverse("core:outbox_list")
    query = QueryDict(request.POST.get("query", "")).urlencode()
    return redirect(f"{url}?{query}" if query else url)
