"""证明打印 pages: the employer prints its certificate, a person's certificate and the change report;
the 受理员 of the jurisdiction may print a person's certificate."""

from django.contrib import messages
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from gongshang.accounts.access import may, permit
from gongshang.core.documents import codes
from gongshang.core.documents import selectors as documents
from gongshang.core.errors import DomainError, NotFound
from gongshang.core.files.storage import open_stored
from gongshang.core.pii.masking import mask_id_number
from gongshang.web.errors import add_errors_to_form

from . import selectors, services
from .forms import ChangeReportForm, PersonSearchForm

RECENT_DOCUMENTS = 10


def _page(request, *, report_form=None, status=200):
    search_form = PersonSearchForm(request.GET or None)
    candidates = []
    if search_form.is_valid():
        candidates = [{"person": p, "masked_id": mask_id_number(p.id_number)}
                      for p in selectors.person_search(actor=request.user, query=search_form.cleaned_data["q"])]
    recent = documents.certificate_list(actor=request.user).select_related("issued_by")
    return render(request, "registry/certificates/index.html", {
        "search_form": search_form, "candidates": candidates, "searched": search_form.is_bound,
        "report_form": report_form or ChangeReportForm(), "is_employer": may(request.user, "certificate", "issue_employer"),
        "recent": [(d, codes.display(d.code)) for d in recent[:RECENT_DOCUMENTS]],
    }, status=status)


@permit("certificate", "view")
def certificates(request):
    return _page(request)


def _issued(request, issue):
    try:
        document = issue()
    except NotFound:
        raise  # another employer's person: the one 404 page, like a missing one
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("registry:certificates")
    messages.success(request, f"已生成《{document.title}》，验证码 {codes.display(document.code)}。")
    return redirect("registry:certificate_issued", pk=document.pk)


@require_POST
@permit("certificate", "issue_employer")
def certificate_employer(request):
    return _issued(request, lambda: services.employer_certificate_issue(actor=request.user))


@require_POST
@permit("certificate", "issue_person")
def certificate_person(request):
    try:
        person_id = int(request.POST.get("person_id", ""))
    except ValueError:
        messages.error(request, "请先查询并选择要打印证明的人员。")
        return redirect("registry:certificates")
    return _issued(request, lambda: services.person_certificate_issue(actor=request.user, person_id=person_id))


@require_POST
@permit("certificate", "issue_change_report")
def change_report(request):
    form = ChangeReportForm(request.POST)
    if not form.is_valid():
        return _page(request, report_form=form, status=422)
    try:
        document = services.change_report_issue(actor=request.user, start_month=form.cleaned_data["start_month"],
                                                end_month=form.cleaned_data["end_month"])
    except DomainError as exc:
        add_errors_to_form(form, exc)
        return _page(request, report_form=form, status=422)
    messages.success(request, f"已生成《{document.title}》，验证码 {codes.display(document.code)}。")
    return redirect("registry:certificate_issued", pk=document.pk)


@permit("certificate", "view")
def certificate_issued(request, pk):
    document = documents.certificate_get(actor=request.user, document_id=pk)
    return render(request, "registry/certificates/issued.html",
                  {"document": document, "code_display": codes.display(document.code)})


@permit("certificate", "view")
def certificate_file(request, pk):
    """The stored PDF, byte for byte what was hashed (inline, or as a download with ?download=1)."""
    document = documents.certificate_get(actor=request.user, document_id=pk)
    filename = f"{document.title}-{document.code}.pdf"
    return FileResponse(open_stored(document.file), content_type="application/pdf",
                        as_attachment=request.GET.get("download") == "1", filename=filename)
