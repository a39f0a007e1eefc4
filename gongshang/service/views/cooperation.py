"""合作经办 pages: the cooperator's task list, an assisted application (facts masked, notes, the note
form), and the 调查员/审核员's page that puts a cooperator on an investigation."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_POST

from gongshang.accounts.access import allowed_actions, get_for, may, permit
from gongshang.accounts.choices import Audience
from gongshang.core.errors import DomainError
from gongshang.recognition.models import RecognitionApplication
from gongshang.recognition.services.decision import investigation_note_add

from ..presenters import cooperation as p
from ..selectors import cooperation as s
from ..services import cooperation as services

APPLICATIONS = RecognitionApplication.objects.select_related("case")


class NoteForm(forms.Form):
    text = forms.CharField(label="调查记录", max_length=4000, widget=forms.Textarea(attrs={"rows": 4}),
                           error_messages={"required": "请填写调查记录（询问、走访或现场查看的情况）"})


@permit("cooperation", "view")
def tasks(request):
    return render(request, "service/cooperation/tasks.html", p.tasks(actor=request.user))


def _application_page(request, application, form=None, status=200):
    actions = allowed_actions(request.user, application)
    return render(request, "service/cooperation/application.html", {
        "app": p.application_detail(application), "notes": [p.note_row(n) for n in s.notes_of(application)],
        "form": form or NoteForm(), "can_note": "note" in actions}, status=status)


@permit("recognition_application", "view")
def application(request, pk):
    found = get_for(request.user, APPLICATIONS, pk, "view")
    if request.user.kind != Audience.STAFF:
        return redirect("recognition:detail", pk=found.pk)
    if may(request.user, "recognition_application", "queue"):  # the desk has its own, fuller page
        return redirect("recognition:staff_detail", pk=found.pk)
    return _application_page(request, found)


@require_POST
@permit("recognition_application", "note")
def note_add(request, pk):
    found = get_for(request.user, APPLICATIONS, pk, "note")
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _application_page(request, found, form, status=422)
    try:
        investigation_note_add(actor=request.user, application=found, text=form.cleaned_data["text"])
    except DomainError as exc:
        if exc.status in (403, 404):
            raise
        form.add_error(None, exc.message)
        return _application_page(request, found, form, status=exc.status or 422)
    messages.success(request, "调查记录已保存，经办机构调查员可在该申请中看到。")
    return redirect("service:cooperator_application", pk=found.pk)


@permit("recognition_application", "investigate")
def assistants(request, pk):
    found = get_for(request.user, APPLICATIONS, pk, "investigate")
    assigned = {u.pk for u in found.investigators.all()}
    candidates = list(services.cooperators_of(found.region))
    return render(request, "service/cooperation/assistants.html", {
        "app": p.application_detail(found), "assigned": [u for u in candidates if u.pk in assigned],
        "available": [u for u in candidates if u.pk not in assigned],
        "investigating": found.status == "investigating"})


@require_POST
@permit("recognition_application", "investigate")
def assistant_change(request, pk):
    found = get_for(request.user, APPLICATIONS, pk, "investigate")
    remove = request.POST.get("remove") == "1"
    service = services.assistant_remove if remove else services.assistant_add
    try:
        service(actor=request.user, application=found, cooperator_id=request.POST.get("cooperator"))
    except DomainError as exc:
        if exc.status in (403, 404):
            raise
        errors = getattr(exc, "errors", None) or {}
        messages.error(request, "；".join(errors.values()) or exc.message)
    else:
        messages.success(request, "已撤回该合作经办人员的协助。" if remove else "已安排合作经办人员协助调查。")
    return redirect("service:cooperation_assistants", pk=found.pk)


urlpatterns = [
    path("cooperation/", tasks, name="cooperator_tasks"),
    path("cooperation/investigations/<int:pk>/", application, name="cooperator_application"),
    path("cooperation/investigations/<int:pk>/notes/", note_add, name="cooperator_note"),
    path("cooperation/investigations/<int:pk>/assistants/", assistants, name="cooperation_assistants"),
    path("cooperation/investigations/<int:pk>/assistants/change/", assistant_change,
         name="cooperation_assistant_change"),
]
