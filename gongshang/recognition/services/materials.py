"""附件信息: materials go into the case's vault (cases.vault) once and count for every application
on the case; removing one retires it (kept in the history)."""

from django.db import transaction

from gongshang.accounts.access import check
from gongshang.cases.vault import vault_retire, vault_upload
from gongshang.core.errors import DomainError, FieldErrors

from ..choices import MaterialKind, RecognitionEventType
from ..errors import RecognitionErrorCode as E
from ..rules import workflow
from .transition import event_append, lock


def _editable(actor, application):
    check(actor, application, "edit")
    locked = lock(application)
    if not workflow.WORKFLOW.can("edit", locked.status):  # the table's "edit" step (status unchanged)
        raise DomainError(E.NOT_EDITABLE, "只有草稿或待补正的申请可以上传或移除材料。", status=409,
                          details={"status": locked.status})
    return locked


def application_material_add(*, actor, application, kind: str, upload):
    if kind not in MaterialKind.values:
        raise FieldErrors({"kind": f"材料类型代码不正确，可选：{'、'.join(MaterialKind.values)}"})
    if upload is None:
        raise FieldErrors({"file": "请选择要上传的文件（JPG、PNG 或 PDF，不超过 20 MB）"})
    # The row lock keeps the status from changing under the upload (e.g. a submission).
    with transaction.atomic():
        locked = _editable(actor, application)
        document = vault_upload(actor=actor, case=locked.case, kind=kind, upload=upload,
                                title=MaterialKind(kind).label)
        event_append(application=locked, event_type=RecognitionEventType.MATERIAL_ADDED, actor=actor,
                     details={"kind": kind, "document_id": document.pk,
                                               "sha256": document.file.sha256})
    return document


@transaction.atomic
def application_material_remove(*, actor, application, document):
    locked = _editable(actor, application)
    if document.case_id != locked.case_id:
        raise DomainError(E.NOT_EDITABLE, "该材料不属于本申请的案件。", status=404)
    retired = vault_retire(actor=actor, document=document, reason="申请人移除")
    event_append(application=locked, event_type=RecognitionEventType.MATERIAL_REMOVED, actor=actor,
                 details={"kind": document.kind, "document_id": document.pk})
    return retired
