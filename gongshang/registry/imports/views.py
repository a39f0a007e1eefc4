"""Pages of the roster batch import (批量报盘): list, upload, result with progress, downloads.

Employers upload and see their own imports; the 受理员 of the jurisdiction may follow them (not
download their error files, which repeat full ID numbers).
"""

from datetime import timedelta

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongshang.accounts.access import allowed_actions, may, permit
from gongshang.core.errors import DomainError
from gongshang.registry.choices import ChangeDirection, ImportStatus
from gongshang.registry.rules.workflows import IMPORT_WORKFLOW
from gongshang.web.errors import add_errors_to_form

from . import leases, selectors, services
from .downloads import attachment, stored_attachment
from .forms import ImportForm
from .template import XLSX_CONTENT_TYPE, build_template, max_bytes, max_rows, template_filename

PAGE_SIZE = 20
ERRORS_PER_PAGE = 50
POLL_SECONDS = 2
# After this long in the queue the page says the worker may not be running.
QUEUE_PATIENCE = timedelta(seconds=20)
STATUS_BADGES = {
    ImportStatus.QUEUED: "badge-warn",
    ImportStatus.RUNNING: "badge-warn",
    ImportStatus.SUCCEEDED: "badge-ok",
    ImportStatus.REJECTED: "badge-error",
    ImportStatus.FAILED: "badge-error",
}
UNFINISHED = {ImportStatus.QUEUED, ImportStatus.RUNNING}
# Which outcome message the result page shows (a status → block map, not a template comparison).
OUTCOMES = {ImportStatus.SUCCEEDED: "imported", ImportStatus.REJECTED: "nothing_imported"}


def _current(request, pk: int):
    """The import as it stands: one left running by a dead worker is failed first."""
    roster_import = selectors.import_get(actor=request.user, import_id=pk)
    if leases.sweep_one(roster_import):
        roster_import = selectors.import_get(actor=request.user, import_id=pk)
    return roster_import


@permit("roster_import", "view")
def import_list(request):
    leases.sweep(selectors.import_list(actor=request.user))
    page = Paginator(selectors.import_list(actor=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [{"item": item, "badge": STATUS_BADGES.get(item.status, "")} for item in page.object_list]
    return render(request, "registry/imports/list.html", {
        "page": page, "rows": rows, "query": "", "is_employer": may(request.user, "roster_import", "create")})


@permit("roster_import", "create")
def import_new(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            roster_import = services.roster_import_start(
                actor=request.user, uploaded_file=form.cleaned_data["file"], direction=form.cleaned_data["kind"],
                mode=form.cleaned_data["mode"])
        except DomainError as exc:
            add_errors_to_form(form, exc)
        else:
            messages.success(request, f"文件“{roster_import.original_name}”已上传。")
            return redirect("registry:import_detail", pk=roster_import.pk)
    return render(request, "registry/imports/new.html", {
        "form": form, "max_rows": max_rows(), "max_mb": max_bytes() // (1024 * 1024)}, status=200)


def _progress_context(request, roster_import) -> dict:
    total = max(roster_import.total, roster_import.processed)
    waiting = timezone.now() - roster_import.created_at
    actions = allowed_actions(request.user, roster_import)
    return {
        "imp": roster_import,
        "actions": actions,
        "badge": STATUS_BADGES.get(roster_import.status, ""),
        "unfinished": roster_import.status in UNFINISHED,
        "percent": int(roster_import.processed * 100 / total) if total else 0,
        # Queued (it may still be run) for a while: the worker may not be running.
        "queued": IMPORT_WORKFLOW.can("run", roster_import.status),
        "stuck": IMPORT_WORKFLOW.can("run", roster_import.status) and waiting > QUEUE_PATIENCE,
        "poll_seconds": POLL_SECONDS,
    }


@permit("roster_import", "view")
def import_detail(request, pk: int):
    roster_import = _current(request, pk)
    error_page = selectors.import_error_page(roster_import, request.GET.get("page"), per_page=ERRORS_PER_PAGE)
    context = _progress_context(request, roster_import)
    context.update({"error_page": error_page, "page": error_page, "query": "",
                    "is_owner": may(request.user, "roster_import", "create"),
                    "outcome": OUTCOMES.get(roster_import.status, ""),
                    "listed_all": len(roster_import.errors or []) >= roster_import.rejected})
    return render(request, "registry/imports/detail.html", context)


@permit("roster_import", "view")
def import_progress(request, pk: int):
    """htmx poll: the progress block; once finished, the whole page reloads to show the result."""
    roster_import = _current(request, pk)
    response = render(request, "registry/imports/_progress.html", _progress_context(request, roster_import))
    if roster_import.status not in UNFINISHED:
        response["HX-Refresh"] = "true"
    return response


@require_POST
@permit("roster_import", "run")
def import_run_now(request, pk: int):
    """Process a queued import in this request (when no background worker picks it up)."""
    roster_import = selectors.import_get(actor=request.user, import_id=pk, action="run")
    if "run" in allowed_actions(request.user, roster_import):
        services.roster_import_run(roster_import.pk)
    else:
        messages.info(request, "该批次已在处理或已处理完成。")
    return redirect("registry:import_detail", pk=roster_import.pk)


@require_POST
@permit("roster_import", "retry")
def import_retry(request, pk: int):
    """Process a failed import again (nothing of it was written)."""
    try:
        roster_import = services.roster_import_retry(actor=request.user, import_id=pk)
    except DomainError as exc:
        if exc.status != 409:
            raise  # 404/403 pages from the middleware
        messages.error(request, exc.message)
    else:
        messages.success(request, f"批次 #{roster_import.pk} 已重新处理。")
    return redirect("registry:import_detail", pk=pk)


@permit("roster_import", "create")
def import_template(request, kind: str):
    if kind not in ChangeDirection.values:
        raise Http404
    return attachment(build_template(kind), template_filename(kind), XLSX_CONTENT_TYPE)


@permit("roster_import", "download_errors")
def import_error_file(request, pk: int):
    stored = services.import_error_file_open(actor=request.user, import_id=pk)
    return stored_attachment(stored, XLSX_CONTENT_TYPE)
