"""Audit pages (审计日志) for audit administrators: read-only, scoped to their jurisdiction."""

import json

from django.shortcuts import render

from gongshang.accounts.access import permit
from gongshang.accounts.choices import AuthEvent
from gongshang.web.paging import paged

from .forms import AuditFilterForm, PiiAccessFilterForm
from .selectors import audit_event_list, audit_event_types, pii_access_list

PAGE_SIZE = 50

# Labels for event types other apps define as TextChoices; unknown codes are shown as they are.
EVENT_LABELS = {
    **{str(value): str(label) for value, label in AuthEvent.choices},
    "outbox.retried": "重新发送通知",
    "audit.pruned": "清理过期审计日志",
}


@permit("audit_event", "view")
def audit_list(request):
    form = AuditFilterForm(request.GET or None)
    queryset = audit_event_list(actor=request.user, filters=form.filters())
    page, query = paged(request, queryset, PAGE_SIZE)
    rows = [
        {
            "event": event,
            "label": EVENT_LABELS.get(event.event_type, ""),
            "details": json.dumps(event.details, ensure_ascii=False, indent=2, sort_keys=True)
            if event.details else "",
        }
        for event in page.object_list
    ]
    return render(request, "core/audit/list.html", {
        "form": form, "page": page, "rows": rows, "query": query, "tab": "events",
        "event_types": audit_event_types(actor=request.user),
    })


@permit("pii_access_log", "view")
def pii_access_log(request):
    form = PiiAccessFilterForm(request.GET or None)
    queryset = pii_access_list(actor=request.user, filters=form.filters())
    page, query = paged(request, queryset, PAGE_SIZE)
    return render(request, "core/audit/pii_list.html", {
        "form": form, "page": page, "query": query, "tab": "pii",
    })
