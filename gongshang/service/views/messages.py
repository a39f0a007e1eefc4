"""案件留言 pages: the applicant's threads (我的留言) and a case's thread (from 我的工伤), the staff inbox
(待回复 oldest first, and the latest threads) and the same thread page for staff, with 转为补正通知.
Opening a thread marks the other side's messages read."""

from django.contrib import messages as flash
from django.shortcuts import redirect, render
from django.urls import path, reverse

from gongshang.accounts.access import get_for, may, permit
from gongshang.core.errors import DomainError, FieldErrors
from gongshang.core.files.serving import stored_file_response

from ..models.messages import CaseMessage
from ..presenters.messages import case_line, message_dict, shown
from ..selectors import messages as selectors
from ..services import messages as services

MAX_ITEMS_TEXT = 3000


def _thread_context(request, case, *, values=None, errors=None, new_ids=frozenset()) -> dict:
    actor = request.user
    rows = selectors.thread(actor=actor, case=case)
    staff = selectors.is_staff_side(actor)
    items = [{**message_dict(m, actor=actor), "new": m.pk in new_ids,
              "may_correct": staff and not m.from_staff and not m.turned_into_correction}
             for m in rows]
    back = (reverse("cases:detail", args=[case.pk]) if may(actor, "case", "view")
            else reverse("service:message_inbox"))
    return {"case": case, "line": case_line(case), "items": items, "for_staff": staff,
            "may_send": may(actor, "case_message", "send"),
            "may_correct": may(actor, "case_message", "to_correction"),
            "older": selectors.older_threads(actor=actor, case=case), "back_url": back,
            "back_label": ("返回案件" if staff else "返回我的工伤") if may(actor, "case", "view") else "返回留言收件箱",
            "values": values or {"text": ""}, "errors": errors or {}, "max_text": services.MAX_TEXT}


@permit("case_message", "view")
def thread(request, case_number: str):
    """GET: the thread (the other side's messages become read); POST: send a message (text and/or
    one photo or PDF)."""
    case = selectors.case_for(actor=request.user, case_number=case_number)
    if request.method == "POST":
        selectors.case_for(actor=request.user, case_number=case_number, action="send")
        values = {"text": request.POST.get("text", "")[:services.MAX_TEXT + 100]}
        try:
            services.message_send(actor=request.user, case=case, text=values["text"],
                                  upload=request.FILES.get("attachment"))
        except FieldErrors as exc:
            return render(request, "service/messages/thread.html",
                          _thread_context(request, case, values=values, errors=exc.errors), status=422)
        except DomainError as exc:
            return render(request, "service/messages/thread.html",
                          _thread_context(request, case, values=values, errors={"attachment": exc.message}),
                          status=exc.status)
        flash.success(request, "留言已发送。")
        return redirect(reverse("service:message_thread", args=[case.number]) + "#latest")
    new_ids = set(CaseMessage.objects.filter(case=case, from_staff=not selectors.is_staff_side(request.user),
                                             read_at__isnull=True).values_list("pk", flat=True))
    services.message_mark_read(actor=request.user, case=case)
    return render(request, "service/messages/thread.html", _thread_context(request, case, new_ids=new_ids))


@permit("case_message", "view")
def attachment(request, case_number: str, message_id: int):
    """The message's attachment (served as a download, sandboxed: it is an upload)."""
    qs = CaseMessage.objects.select_related("case", "attachment__file").filter(case__number=case_number[:32])
    message = get_for(request.user, qs, message_id, "view")
    if message.attachment is None:
        from django.http import Http404

        raise Http404("该留言没有附件。")
    return stored_file_response(message.attachment.file, title=message.attachment.title)


@permit("case_message", "to_correction")
def to_correction(request, case_number: str, message_id: int):
    """转为补正通知: the staff member lists what to supply (one notice, 一次性告知)."""
    qs = CaseMessage.objects.select_related("case").filter(case__number=case_number[:32])
    message = get_for(request.user, qs, message_id, "to_correction")
    context = {"case": message.case, "line": case_line(message.case), "m": message_dict(message, actor=request.user),
               "items_text": "", "error": "", "errors": {}}
    if request.method != "POST":
        return render(request, "service/messages/to_correction.html", context)
    text = request.POST.get("items", "")[:MAX_ITEMS_TEXT]
    items = [line.strip() for line in text.replace("；", "\n").replace("、", "\n").splitlines() if line.strip()]
    try:
        services.message_to_correction(actor=request.user, message=message, items=items)
    except FieldErrors as exc:
        return render(request, "service/messages/to_correction.html",
                      {**context, "items_text": text, "errors": exc.errors}, status=422)
    except DomainError as exc:
        return render(request, "service/messages/to_correction.html",
                      {**context, "items_text": text, "error": exc.message}, status=exc.status)
    flash.success(request, "已发出补正通知，并在留言中告知申请人。")
    return redirect("service:message_thread", case_number=message.case.number)


@permit("case_message", "view")
def my_messages(request):
    """我的留言: every case of the worker or employer with its unread count (staff: the inbox)."""
    if selectors.is_staff_side(request.user):
        return redirect("service:message_inbox")
    rows = [{**case_line(r["case"]), "count": r["count"], "unread": r["unread"], "latest": shown(r["latest"])}
            for r in selectors.applicant_threads(actor=request.user)]
    return render(request, "service/messages/my_messages.html", {"rows": rows})


@permit("case_message", "view")
def inbox(request):
    """Staff: the cases of the 统筹区 whose applicants wait for an answer (oldest first), then the
    latest threads. Names masked; no message content in the list."""
    if not selectors.is_staff_side(request.user):
        return redirect("service:my_messages")
    waiting = [{**case_line(r["case"]), "unread": r["unread"], "oldest": shown(r["oldest"])}
               for r in selectors.staff_inbox(actor=request.user)]
    recent = [{**case_line(r["case"]), "count": r["count"], "latest": shown(r["latest"])}
              for r in selectors.recent_threads(actor=request.user)]
    return render(request, "service/messages/inbox.html", {"waiting": waiting, "recent": recent})


urlpatterns = [
    path("messages/", my_messages, name="my_messages"),
    path("messages/inbox/", inbox, name="message_inbox"),
    path("messages/case/<str:case_number>/", thread, name="message_thread"),
    path("messages/case/<str:case_number>/<int:message_id>/attachment/", attachment, name="message_attachment"),
    path("messages/case/<str:case_number>/<int:message_id>/to-correction/", to_correction,
         name="message_to_correction"),
]

