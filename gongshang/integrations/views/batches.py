"""交换批次 pages for the 数据交换管理员 (and the staff who follow what the partners sent): each
partner's batches with status and counts, the upload form, a batch's result (refreshing itself
while it is processed), its errors and their download, retry of a failed batch, and the dead-letter
list where each error row is closed with a note."""

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from gongshang.accounts.access import allowed_actions, may, permit, restrict
from gongshang.core.errors import DomainError, FieldErrors
from gongshang.web.errors import add_errors_to_form

from ..choices import BatchKind, BatchStatus, DeadLetterStatus, Direction, Partner
from ..models import ExchangeBatch
from ..selectors.batches import (
    UNFINISHED,
    batch_get,
    batch_list,
    dead_letter_list,
    error_csv_lines,
    error_csv_name,
    masked_payload,
    payload_preview,
    upload_choices,
)
from ..services import batches as services

PAGE_SIZE = 30
ERRORS_PER_PAGE = 50
POLL_SECONDS = 2
STATUS_BADGES = {
    BatchStatus.RECEIVED: "badge-warn",
    BatchStatus.PROCESSING: "badge-warn",
    BatchStatus.DONE: "badge-ok",
    BatchStatus.DUPLICATE: "",
    BatchStatus.FAILED: "badge-error",
    BatchStatus.SENT: "badge-ok",
}
DEAD_LETTER_FILTERS = {DeadLetterStatus.OPEN: "待处理", DeadLetterStatus.RESOLVED: "已处理", "": "全部"}


class UploadForm(forms.Form):
    """Field names match the API (partner, kind, format_version, file); only what has an adapter."""

    partner = forms.ChoiceField(label="交换方")
    kind = forms.ChoiceField(label="数据类别")
    format_version = forms.CharField(label="格式版本", required=False, max_length=16)
    file = forms.FileField(label="数据文件", error_messages={
        "required": "请选择交换方提供的数据文件。", "empty": "上传的文件是空的（0 字节），请选择交换方提供的数据文件。"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = upload_choices()
        partners = dict((c.partner, c.partner_label) for c in choices)
        kinds = dict((c.kind, c.kind_label) for c in choices)
        self.fields["partner"].choices = [("", "请选择")] + list(partners.items())
        self.fields["kind"].choices = [("", "请选择")] + list(kinds.items())
        pairs = "；".join(f"{c.partner_label}：{c.kind_label}（格式版本 {'、'.join(c.format_versions)}）"
                         for c in choices)
        self.fields["kind"].help_text = f"可接收：{pairs}。" if pairs else "暂无可接收的数据类别。"
        self.fields["format_version"].help_text = "按交换方文件实际使用的格式版本填写；不填按该类数据的最新版本。"
        self.fields["file"].help_text = (f"CSV、JSON 等文本文件或 ZIP 文件，不超过 {services.max_bytes() // (1024 * 1024)} MB。"
                                         "同一文件重复上传只记录为重复批次，不会重复处理。")
        self.fields["file"].widget.attrs["accept"] = ".csv,.json,.txt,.xml,.zip,.xlsx"


def _next(request, default: str) -> str:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return default


def _row(batch) -> dict:
    return {"item": batch, "badge": STATUS_BADGES.get(batch.status, "")}


# --- the list and the upload ----------------------------------------------------------------------------

def _filters(request) -> dict:
    get = request.GET
    return {"partner": get.get("partner", "") if get.get("partner", "") in Partner.values else "",
            "kind": get.get("kind", "") if get.get("kind", "") in BatchKind.values else "",
            "status": get.get("status", "") if get.get("status", "") in BatchStatus.values else "",
            "direction": get.get("direction", "") if get.get("direction", "") in Direction.values else ""}


def _partner_tabs(request, filters: dict) -> list[dict]:
    counts = dict(restrict(request.user, ExchangeBatch, "view").order_by().values("partner")
                  .annotate(n=Count("pk")).values_list("partner", "n"))
    rest = {k: v for k, v in filters.items() if v and k != "partner"}
    tabs = [{"label": "全部交换方", "query": urlencode(rest), "active": not filters["partner"],
             "count": sum(counts.values())}]
    for value, label in Partner.choices:
        tabs.append({"label": label, "query": urlencode({**rest, "partner": value}), "count": counts.get(value, 0),
                     "active": filters["partner"] == value})
    return tabs


def _list_context(request, form=None) -> dict:
    filters = _filters(request)
    page = Paginator(batch_list(actor=request.user, **filters), PAGE_SIZE).get_page(request.GET.get("page"))
    may_upload = may(request.user, "exchange_batch", "create")
    return {"page": page, "rows": [_row(b) for b in page.object_list], "filters": filters,
            "query": urlencode({k: v for k, v in filters.items() if v}), "tabs": _partner_tabs(request, filters),
            "statuses": BatchStatus.choices, "kinds": BatchKind.choices, "directions": Direction.choices,
            "may_upload": may_upload, "form": form if form is not None else (UploadForm() if may_upload else None),
            "may_see_dead_letters": may(request.user, "dead_letter", "view"),
            "unfinished": any(b.status in UNFINISHED for b in page.object_list), "poll_seconds": POLL_SECONDS * 5}


@permit("exchange_batch", "view")
def batch_list_page(request):
    """Each partner's batches (a tab per partner), newest first, with status and counts."""
    return render(request, "integrations/batches/list.html", _list_context(request))


@permit("exchange_batch", "create")
def batch_upload(request):
    """Receive a partner's file by hand (the same as the API and the file drop)."""
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            batch = services.batch_receive(actor=request.user, partner=data["partner"], kind=data["kind"],
                                           upload=data["file"], format_version=data["format_version"])
        except DomainError as exc:
            if exc.status in (401, 403, 404):
                raise
            add_errors_to_form(form, exc)
        else:
            messages.success(request, f"文件“{batch.original_name}”已接收，批次号 #{batch.pk}。")
            return redirect("integrations:batch_detail", batch_id=batch.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "integrations/batches/upload.html", {"form": form}, status=status)


# --- one batch ------------------------------------------------------------------------------------------

def _progress_context(request, batch) -> dict:
    return {"batch": batch, "badge": STATUS_BADGES.get(batch.status, ""), "unfinished": batch.status in UNFINISHED,
            "poll_seconds": POLL_SECONDS, "actions": allowed_actions(request.user, batch)}


@permit("exchange_batch", "view")
def batch_detail(request, batch_id: int):
    """Counts and summary, the first 1000 errors (paged), download of all, retry when failed."""
    batch = batch_get(actor=request.user, batch_id=batch_id)
    error_page = Paginator(batch.errors or [], ERRORS_PER_PAGE).get_page(request.GET.get("page"))
    context = _progress_context(request, batch)
    context.update({"error_page": error_page, "page": error_page, "query": "",
                    "summary": sorted((batch.summary or {}).items()),
                    "listed_all": len(batch.errors or []) >= batch.rejected,
                    "failed": bool(batch.failure_message), "is_duplicate": batch.duplicate_of_id is not None,
                    "open_dead_letters": dead_letter_list(actor=request.user, batch_id=batch.pk).count()
                    if may(request.user, "dead_letter", "view") else None})
    return render(request, "integrations/batches/detail.html", context)


@permit("exchange_batch", "view")
def batch_progress(request, batch_id: int):
    """htmx poll: the status block; once finished, the whole page reloads to show the result."""
    batch = batch_get(actor=request.user, batch_id=batch_id)
    response = render(request, "integrations/batches/_progress.html", _progress_context(request, batch))
    if batch.status not in UNFINISHED:
        response["HX-Refresh"] = "true"
    return response


@require_POST
@permit("exchange_batch", "retry")
def batch_retry(request, batch_id: int):
    """Process a failed batch again (nothing of it was written)."""
    try:
        batch = services.batch_retry(actor=request.user, batch_id=batch_id)
    except DomainError as exc:
        if exc.status in (401, 403, 404):
            raise
        messages.error(request, exc.message)
    else:
        messages.success(request, f"批次 #{batch.pk} 已重新处理：{batch.get_status_display()}。")
    return redirect("integrations:batch_detail", batch_id=batch_id)


@permit("exchange_batch", "download_errors")
def batch_errors_csv(request, batch_id: int):
    batch = batch_get(actor=request.user, batch_id=batch_id, action="download_errors")
    response = StreamingHttpResponse(error_csv_lines(batch), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, error_csv_name(batch))
    response["Cache-Control"] = "private, no-store"
    return response


# --- dead letters ---------------------------------------------------------------------------------------

def _int(value) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


@permit("dead_letter", "view")
def dead_letters(request):
    """Error rows to handle: batch, row, message and the raw row masked; each closed with a note."""
    status = request.GET.get("status", DeadLetterStatus.OPEN)
    status = status if status in DEAD_LETTER_FILTERS else DeadLetterStatus.OPEN
    batch_id = _int(request.GET.get("batch"))
    qs = dead_letter_list(actor=request.user, batch_id=batch_id, status=status)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = urlencode({k: v for k, v in {"status": status, "batch": batch_id or ""}.items() if v != ""})
    rows = [{"item": d, "preview": payload_preview(d.payload), "fields": masked_payload(d.payload),
             "actions": allowed_actions(request.user, d)} for d in page.object_list]
    tabs = [{"label": label, "query": urlencode({k: v for k, v in {"status": code, "batch": batch_id or ""}.items()}),
             "active": status == code} for code, label in DEAD_LETTER_FILTERS.items()]
    return render(request, "integrations/batches/dead_letters.html", {
        "rows": rows, "page": page, "query": query, "tabs": tabs, "batch_id": batch_id,
        "here": f"{reverse('integrations:dead_letters')}?{query}{'&' if query else ''}page={page.number}"})


@require_POST
@permit("dead_letter", "resolve")
def dead_letter_resolve(request, dead_letter_id: int):
    """Close one error row: the note is required; the button asks for confirmation first."""
    back = _next(request, reverse("integrations:dead_letters"))
    try:
        dead_letter = services.dead_letter_resolve(actor=request.user, dead_letter_id=dead_letter_id,
                                                   note=request.POST.get("note", ""))
    except FieldErrors as exc:
        messages.error(request, f"第 {dead_letter_id} 号错误行未处理：" + "；".join(exc.errors.values()))
    except DomainError as exc:
        if exc.status in (401, 403, 404):
            raise
        messages.error(request, exc.message)
    else:
        messages.success(request, f"批次 #{dead_letter.batch_id} 第 {dead_letter.row} 行已处理。")
    return redirect(back)


urlpatterns = [
    path("batches/", batch_list_page, name="batch_list"),
    path("batches/upload/", batch_upload, name="batch_upload"),
    path("batches/<int:batch_id>/", batch_detail, name="batch_detail"),
    path("batches/<int:batch_id>/progress/", batch_progress, name="batch_progress"),
    path("batches/<int:batch_id>/retry/", batch_retry, name="batch_retry"),
    path("batches/<int:batch_id>/errors.csv", batch_errors_csv, name="batch_errors_csv"),
    path("dead-letters/", dead_letters, name="dead_letters"),
    path("dead-letters/<int:dead_letter_id>/resolve/", dead_letter_resolve, name="dead_letter_resolve"),
]
