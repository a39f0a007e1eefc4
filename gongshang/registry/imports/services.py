"""批量报盘: upload a sheet, then validate it and turn its rows into pending change requests.

`roster_import_start` stores the file and either runs the import at once (small files) or hands
it to the task queue. `roster_import_run` reads and checks every row, then writes all the
EnrolmentChange rows in ONE transaction: in all-or-nothing mode only when no row has an error,
in valid-rows mode the valid ones. Anything unexpected marks the import failed and writes none.
"""

import logging
from itertools import islice

from django.conf import settings
from django.db import IntegrityError, transaction

from gongshang.accounts.access import require
from gongshang.core.audit import record_event
from gongshang.core.errors import CoreErrorCode, DomainError, FieldErrors, NotFound
from gongshang.core.files.storage import open_stored, store_upload
from gongshang.core.pii.crypto import blind_index
from gongshang.core.workflow import transition
from gongshang.registry.choices import ChangeDirection, EmployerStatus, ImportMode, ImportStatus
from gongshang.registry.errors import RegistryErrorCode, RegistryEvent
from gongshang.registry.models import EnrolmentChange, InsuredPerson, RosterImport

from . import leases, reader
from .bulkinsert import insert_rows
from .errorcopy import XLSX_TYPES, build_error_copy
from .rows import RowValidation, ValidRow, error_entry
from .template import max_bytes

logger = logging.getLogger(__name__)

CHUNK_ROWS = 1000  # rows checked per registry round trip; also how often `processed` is written
INSERT_BATCH = 1000
LOOKUP_CHUNK = 900  # SQLite's bound-parameter limit
# ValidRow's fields after the row number, then the blind index and the person: the columns insert_rows fills per row.
CHANGE_COLUMNS = (*ValidRow._fields[1:], "id_number_index", "person_id")
MAX_ATTEMPTS = RosterImport.MAX_ATTEMPTS
# What a retried import starts from (it wrote nothing).
RESET = {"total": 0, "processed": 0, "accepted": 0, "rejected": 0, "errors": [], "failure_message": "",
         "error_file": None, "started_at": None, "finished_at": None, "lease_expires_at": None}
RETRY_LIMIT_MESSAGE = ("该批次已处理 {attempts} 次仍未完成，不能再重新处理。请检查文件内容后重新上传；"
                       "如仍失败，请联系经办机构并提供批次号 {id}。")
FAILED_MESSAGE = ("处理过程中发生系统错误，本批次未导入任何数据。请稍后重新上传；如仍失败，请联系经办机构并提供批次号 {id}。")
CONFLICT_MESSAGE = ("处理期间本单位又提交了表格中某些人员的同险种申报，为避免重复，本批次未导入任何数据。"
                    "请刷新“增减员申报”列表核对后重新上传。")


def inline_max_bytes() -> int:
    """Files up to this size are processed during the upload request (a worker is not needed)."""
    return int(getattr(settings, "ROSTER_IMPORT_INLINE_MAX_BYTES", 256 * 1024))


def _employer_of(actor, action: str = "create"):
    require(actor, "roster_import", action)
    employer = actor.employer
    if employer.status == EmployerStatus.CLOSED:
        raise DomainError(RegistryErrorCode.EMPLOYER_CLOSED, status=409)
    return employer


def _checked_options(direction, mode) -> tuple[str, str]:
    errors = {}
    if direction not in ChangeDirection.values:
        errors["kind"] = "请选择报盘类型：增员（add）或减员（reduce）。"
    if mode not in ImportMode.values:
        errors["mode"] = "请选择导入方式：全部正确才导入（all_or_nothing）或只导入正确的行（valid_rows）。"
    if errors:
        raise FieldErrors(errors)
    return direction, mode


def _precheck(uploaded_file, direction: str) -> None:
    """Empty, password-protected, old .xls, foreign, damaged or oversized (rows, columns, cell
    length, zip bombs) files: refused before storing, and before calamine reads them."""
    if uploaded_file is None:
        raise FieldErrors({"file": "请选择要上传的 .xlsx 表格文件。"})
    size = getattr(uploaded_file, "size", None)
    if size is not None and size > max_bytes():
        return  # store_upload refuses it with the size message
    try:
        uploaded_file.seek(0)
        reader.open_workbook(uploaded_file, direction)
    except reader.SheetProblem as exc:
        raise DomainError(exc.code, exc.message, details=[{"field": "file", "message": exc.message}],
                          status=exc.status) from exc
    finally:
        uploaded_file.seek(0)


def _store(uploaded_file, actor):
    try:
        return store_upload(uploaded_file, allowed_types=XLSX_TYPES, max_bytes=max_bytes(),
                            prefix="roster-imports", actor=actor)
    except DomainError as exc:
        if exc.code != CoreErrorCode.FILE_TYPE_NOT_ALLOWED:
            raise
        message = "请上传 Excel 工作簿（.xlsx）：按文件内容判断，该文件不是 .xlsx（修改扩展名无效）。请使用下载的模板填写。"
        raise DomainError(RegistryErrorCode.IMPORT_FILE_INVALID, message,
                          details=[{"field": "file", "message": message}], status=400) from exc


def roster_import_start(*, actor, uploaded_file, direction, mode) -> RosterImport:
    """Store the sheet and start processing it; returns the RosterImport (queued or finished)."""
    employer = _employer_of(actor)
    direction, mode = _checked_options(direction, mode)
    _precheck(uploaded_file, direction)
    stored = _store(uploaded_file, actor)
    with transaction.atomic():
        roster_import = RosterImport.objects.create(
            employer=employer, region=employer.region, direction=direction, mode=mode, source_file=stored,
            original_name=stored.original_name or "报盘.xlsx", created_by=actor)
        record_event(actor=actor, event_type=RegistryEvent.IMPORT_UPLOADED, target=roster_import,
                     region=employer.region, details={"direction": direction, "mode": mode, "size": stored.size,
                                                      "sha256": stored.sha256})
        inline = _schedule(roster_import, stored.size)
    return roster_import_run(roster_import.pk) if inline else roster_import


def _schedule(roster_import, size: int) -> bool:
    """True when the caller should process the import now (small files); larger ones go to the
    task queue once the surrounding transaction commits."""
    if size <= inline_max_bytes():
        return True
    import_id = roster_import.pk
    transaction.on_commit(lambda: enqueue(import_id))
    return False


def enqueue(import_id: int) -> bool:
    """Hand the import to the task queue; False (left queued, shown on the page) if that fails."""
    from .tasks import run_roster_import

    try:
        run_roster_import.enqueue(import_id)
    except Exception:
        logger.exception("roster import #%s: enqueue failed; it stays queued", import_id)
        return False
    return True


def roster_import_retry(*, actor, import_id: int) -> RosterImport:
    """Process a failed import again: nothing of it was written, so failed → queued, then it
    runs like a new upload (now when small, else in the task queue)."""
    from .selectors import import_get

    _employer_of(actor, "retry")
    roster_import = import_get(actor=actor, import_id=import_id)
    with transaction.atomic():
        locked = RosterImport.objects.select_for_update().select_related("source_file").get(pk=roster_import.pk)
        if not RosterImport.workflow.can("retry", locked.status):
            raise DomainError(RegistryErrorCode.IMPORT_NOT_RETRYABLE, status=409)
        if not locked.retry_allowed:
            raise DomainError(RegistryErrorCode.IMPORT_NOT_RETRYABLE, RETRY_LIMIT_MESSAGE.format(
                attempts=locked.attempts, id=locked.pk), status=409)
        locked = transition(actor, locked, "retry", event_type=RegistryEvent.IMPORT_RETRIED, changes=RESET,
                            region=locked.region, details={"previous_attempts": locked.attempts},
                            code=RegistryErrorCode.IMPORT_NOT_RETRYABLE)
        inline = _schedule(locked, locked.source_file.size)
    return roster_import_run(locked.pk) if inline else RosterImport.objects.get(pk=locked.pk)


def roster_import_run(import_id: int) -> RosterImport:
    """Validate and import a queued sheet. Never raises for bad input or unexpected errors."""
    claim = leases.claim_import(import_id)
    if claim is not None:
        _process(claim)
    return RosterImport.objects.get(pk=import_id)


def _process(claim: leases.Claim) -> None:
    roster_import = RosterImport.objects.select_related("source_file").get(pk=claim.import_id)
    try:
        validation = _validate(roster_import, claim)
        _finish(roster_import, claim, validation)
    except leases.LeaseLost:
        logger.warning("roster import #%s: its lease expired and it was swept; stopped without writing",
                       claim.import_id)
    except reader.SheetProblem as exc:
        entry = error_entry(exc.row, "", exc.message) if exc.row else {"row": 0, "column": "", "message": exc.message}
        _conclude(claim, status=ImportStatus.REJECTED, failure_message=exc.message[:500], accepted=0, rejected=0,
                  errors=[entry])
    except IntegrityError:
        logger.warning("roster import #%s: conflicting pending change", claim.import_id, exc_info=True)
        _conclude(claim, status=ImportStatus.FAILED, failure_message=CONFLICT_MESSAGE, accepted=0, rejected=0,
                  errors=[], error_file=None)
    except Exception:
        logger.exception("roster import #%s failed", claim.import_id)
        _conclude(claim, status=ImportStatus.FAILED, failure_message=FAILED_MESSAGE.format(id=claim.import_id),
                  accepted=0, rejected=0, errors=[], error_file=None)


def _validate(roster_import, claim) -> RowValidation:
    with open_stored(roster_import.source_file) as source:
        sheet = reader.open_sheet(source, roster_import.direction)
    _progress(claim, total=sheet.estimated_rows)
    validation = RowValidation(employer_id=roster_import.employer_id, direction=roster_import.direction,
                               positions=sheet.positions, actor=roster_import.created_by, region=roster_import.region)
    while chunk := list(islice(sheet.rows, CHUNK_ROWS)):
        validation.add_chunk(chunk)
        # Outside the import transaction, so the page's progress bar moves while it runs.
        _progress(claim, processed=validation.processed, total=max(sheet.estimated_rows, validation.processed))
    return validation


def _progress(claim, **values) -> None:
    """Progress for the page, and a renewed lease: the worker is alive."""
    leases.renew(claim, **values)


def _accepted_rows(roster_import, validation) -> list:
    if roster_import.mode == ImportMode.ALL_OR_NOTHING and validation.rejected:
        return []
    return validation.valid


def _finish(roster_import, claim, validation: RowValidation) -> None:
    if validation.processed == 0:
        raise reader.SheetProblem("表格中只有表头，没有人员数据。请从表头下一行起每行填写一名人员后上传。")
    validation.errors.sort(key=lambda entry: entry["row"])  # input and registry problems, in sheet order
    accepted = _accepted_rows(roster_import, validation)
    error_file = None
    if validation.rejected:
        error_file = build_error_copy(roster_import, validation.messages)
        _progress(claim)
    status = ImportStatus.SUCCEEDED if accepted else ImportStatus.REJECTED
    with transaction.atomic():
        locked = leases.lock(claim)
        _insert_changes(locked, accepted)
        leases.save_result(locked, status=status, total=validation.processed, accepted=len(accepted),
                           rejected=validation.rejected, errors=validation.errors, error_file=error_file)


def _conclude(claim, **values) -> None:
    """Finish the claimed import with `values` (no change requests), unless it was swept."""
    try:
        with transaction.atomic():
            locked = leases.lock(claim)
            values.setdefault("total", locked.processed)
            leases.save_result(locked, **values)
    except leases.LeaseLost:
        logger.warning("roster import #%s: swept before it could be concluded", claim.import_id)


def _person_ids(indexes) -> dict:
    """{blind index: InsuredPerson id} for the given indexes, a chunk of them per query."""
    indexes = sorted(set(indexes))
    found = {}
    for start in range(0, len(indexes), LOOKUP_CHUNK):
        found.update(InsuredPerson.objects.filter(id_number_index__in=indexes[start:start + LOOKUP_CHUNK])
                     .values_list("id_number_index", "id"))
    return found


def _insert_changes(roster_import, rows) -> None:
    """Write the change requests set-based (see bulkinsert for why not bulk_create)."""
    indexes = [blind_index(row.id_number) for row in rows]  # once per row: HMACs add up
    persons = _person_ids(indexes)
    values = [(*row[1:], index, persons.get(index)) for row, index in zip(rows, indexes, strict=True)]
    insert_rows(EnrolmentChange, values, variables=CHANGE_COLUMNS, batch_size=INSERT_BATCH, constants={
        "employer_id": roster_import.employer_id, "region": roster_import.region,
        "direction": roster_import.direction, "roster_import_id": roster_import.pk,
        "created_by_id": roster_import.created_by_id})


def import_error_file_open(*, actor, import_id: int):
    """The annotated copy of a finished import (it holds full ID numbers, so only the employer
    that uploaded it may download it, and every download is an audit event)."""
    from .selectors import import_get

    roster_import = import_get(actor=actor, import_id=import_id, action="download_errors")
    if roster_import.status in {ImportStatus.QUEUED, ImportStatus.RUNNING}:
        raise DomainError(RegistryErrorCode.IMPORT_NOT_FINISHED, status=409)
    if roster_import.error_file is None:
        raise NotFound("该批次没有错误行，没有错误标注文件。")
    record_event(actor=actor, event_type=RegistryEvent.IMPORT_ERROR_FILE_DOWNLOADED, target=roster_import,
                 region=roster_import.region)
    return roster_import.error_file
