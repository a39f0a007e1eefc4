"""Public verification pages (no login): enter a code, see whether the document is genuine, and
check a PDF file against the SHA-256 of the original."""

from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from gongshang.accounts.access import public
from gongshang.core.errors import RateLimited

from . import codes, selectors
from .choices import VerifyStatus
from .forms import CodeForm, FileCheckForm


@public
def verify_home(request):
    form = CodeForm(request.GET or None)
    if request.GET and form.is_valid():
        return redirect("verify:detail", code=form.cleaned_data["code"])
    return render(request, "documents/verify_home.html", {"form": form})


@public
@require_http_methods(["GET", "POST"])
def verify_detail(request, code):
    try:
        selectors.verify_rate_check()
    except RateLimited as exc:
        return render(request, "documents/verify_limited.html", {"message": exc.message}, status=429)
    document = selectors.document_by_code(code)
    if document is None:
        # The same answer for every unknown or malformed code: nothing to learn by trying codes.
        return render(request, "documents/verify_unknown.html", status=404)
    form = FileCheckForm(request.POST or None, request.FILES or None)
    file_match = None
    if request.method == "POST" and form.is_valid():
        file_match = selectors.file_matches(document, form.cleaned_data["file"])
    status = VerifyStatus.REVOKED if document.is_revoked else VerifyStatus.GENUINE
    return render(request, "documents/verify_detail.html", {
        "document": document, "code_display": codes.display(document.code), "status": status,
        "status_label": status.label, "form": form, "file_match": file_match,
    })
