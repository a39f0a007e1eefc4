"""工伤待遇 API: calculator (public), entitlements, payroll runs. Thin: parse, call a service or a
selector, shape the answer."""

from django.http import HttpResponse
from ninja import File, Router, Status
from ninja.files import UploadedFile

from gongshang.accounts.access import api_permit, public
from gongshang.api.auth import bearer

from . import presenters, selectors
from .schemas import (
    BankReturnOut,
    CalculateIn,
    CalculateOut,
    EntitlementOut,
    PeriodIn,
    RunDetailOut,
    RunOut,
    RunRowOut,
)
from .services import bankfiles, calculator, payroll, run_deadline

router = Router(tags=["工伤待遇"])

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BANK_FILE_RESPONSE = {"responses": {200: {"description": "银行报盘文件（csv 或 xlsx）", "content": {
    "text/csv": {"schema": {"type": "string"}}, XLSX: {"schema": {"type": "string", "format": "binary"}}}}}}


@router.post("/calculate", response=CalculateOut, auth=None, summary="待遇计算器（公开，无需登录）")
@public
def calculate(request, payload: CalculateIn):
    return calculator.calculate_request(payload.model_dump())


@router.get("/entitlements", response=list[EntitlementOut], auth=bearer, summary="案件的待遇核定")
@api_permit("entitlement", "view")  # staff: 待遇审核员 of the 统筹区; an employer its cases'; a person their own
def entitlements(request, case: int | None = None):
    rows = selectors.entitlement_list(actor=request.auth, filters={"case": case})[:500]
    return [presenters.entitlement_out(e) for e in rows]


@router.post("/payroll-runs", response={201: RunOut}, auth=bearer, summary="生成（或续算）月度发放")
@api_permit("payroll_run", "create")
def create_run(request, payload: PeriodIn):
    run = payroll.run_create(actor=request.auth, period=payload.period)
    return Status(201, {"id": run.pk, "status": run.status, **presenters.deadline_out(run_deadline.deadline_info(run))})


@router.get("/payroll-runs", response=list[RunRowOut], auth=bearer, summary="发放批次列表（overdue=true：超过发放时限仍未发放的）")
@api_permit("payroll_run", "view")
def list_runs(request, overdue: bool = False):
    runs = selectors.run_list(actor=request.auth)
    if overdue:
        return [{"id": o["run"].pk, "period": f"{o['run'].period:%Y-%m}", "status": o["run"].status,
                 **presenters.deadline_out(o)} for o in run_deadline.overdue_runs(runs)]
    return [{"id": r.pk, "period": f"{r.period:%Y-%m}", "status": r.status,
             **presenters.deadline_out(run_deadline.deadline_info(r))} for r in runs[:120]]


@router.get("/payroll-runs/{run_id}", response=RunDetailOut, auth=bearer, summary="发放批次：按待遇项目和支付方合计，发放时限")
@api_permit("payroll_run", "view")
def get_run(request, run_id: int):
    run = selectors.run_get(actor=request.auth, run_id=run_id)
    return presenters.run_out(run, payroll.run_totals(run), run_deadline.deadline_info(run))


@router.post("/payroll-runs/{run_id}/approve", response=RunOut, auth=bearer, summary="复核（非经办人）")
@api_permit("payroll_run", "approve")
def approve_run(request, run_id: int):
    run = payroll.run_approve(actor=request.auth, run_id=run_id)
    return {"id": run.pk, "status": run.status}


@router.post("/payroll-runs/{run_id}/release", response=RunOut, auth=bearer, summary="发放报盘（非复核人）")
@api_permit("payroll_run", "release")
def release_run(request, run_id: int):
    run = payroll.run_release(actor=request.auth, run_id=run_id)
    return {"id": run.pk, "status": run.status, **presenters.deadline_out(run_deadline.deadline_info(run))}


@router.get("/payroll-runs/{run_id}/bank-file", auth=bearer, openapi_extra=BANK_FILE_RESPONSE, summary="下载银行报盘文件（format=csv|xlsx）")
@api_permit("payroll_run", "export_bank_file")
def bank_file(request, run_id: int, format: str = "csv"):
    if format == "xlsx":
        data = bankfiles.export_xlsx(actor=request.auth, run_id=run_id)
        response = HttpResponse(data, content_type=XLSX)
    else:
        data = bankfiles.export_csv(actor=request.auth, run_id=run_id)
        response = HttpResponse(data, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="payroll-{run_id}.{"xlsx" if format == "xlsx" else "csv"}"'
    return response


@router.post("/payroll-runs/{run_id}/bank-return", response=BankReturnOut, auth=bearer, summary="导入银行回盘（multipart：file）")
@api_permit("payroll_run", "import_bank_return")
def bank_return(request, run_id: int, file: File[UploadedFile] = None):
    result = bankfiles.bank_return_import(actor=request.auth, run_id=run_id, upload=file)
    run = selectors.run_get(actor=request.auth, run_id=run_id)
    return presenters.bank_return_out(result, payroll.run_totals(run))
