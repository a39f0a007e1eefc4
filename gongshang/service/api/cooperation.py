"""合作经办 API: the cooperator's tasks and own trail; the desk puts a cooperator on an investigation.
(The cooperator adds notes through the recognition API: POST /recognition/applications/{id}/notes.)"""

from datetime import date

from ninja import Router, Schema, Status
from pydantic import Field

from gongshang.accounts.access import api_permit, get_for
from gongshang.api.auth import bearer
from gongshang.api.schemas import ApiSchema
from gongshang.recognition.models import RecognitionApplication

from ..presenters import cooperation as p
from ..services import cooperation as services

router = Router(tags=["合作经办"], auth=bearer)


class InvestigationOut(Schema):
    id: int
    case_number: str
    status: str
    status_label: str
    injured_name: str = Field(description="姓名（已遮盖）")
    employer_name: str
    due_on: date | None


class VisitOut(Schema):
    id: int
    institution: str
    campaign: str
    status: str
    status_label: str
    visited_on: date | None


class SessionOut(Schema):
    id: int
    course: str
    venue: str
    starts_at: str
    status: str
    status_label: str


class TrailOut(Schema):
    at: str
    label: str = Field(description="操作（中文）")
    target: str


class TasksOut(Schema):
    organisation: str = Field(description="派驻机构")
    investigations: list[InvestigationOut]
    visits: list[VisitOut]
    sessions: list[SessionOut]
    trail: list[TrailOut] = Field(description="本人最近 200 条操作记录")


class AssistantIn(ApiSchema):
    cooperator_id: int = Field(..., ge=1, description="合作经办人员账户 id（本统筹区）")


class AssistantsOut(Schema):
    id: int
    investigators: list[str] = Field(description="调查人员（合作经办人员显示所属机构）")


@router.get("/cooperation/tasks", response=TasksOut, summary="合作经办任务：协助调查的申请、稽核检查、培训班次和本人操作记录")
@api_permit("cooperation", "view")
def get_tasks(request):
    return p.tasks(actor=request.auth)


def _application(request, application_id: int):
    return get_for(request.auth, RecognitionApplication.objects.select_related("case"), application_id, "investigate")


@router.post("/cooperation/investigations/{application_id}/assistants", response={201: AssistantsOut},
             summary="安排合作经办人员协助调查（调查核实中的申请）")
@api_permit("recognition_application", "investigate")
def add_assistant(request, application_id: int, payload: AssistantIn):
    found = services.assistant_add(actor=request.auth, application=_application(request, application_id),
                                   cooperator_id=payload.cooperator_id)
    return Status(201, {"id": found.pk, "investigators": [str(u) for u in found.investigators.all()]})


@router.delete("/cooperation/investigations/{application_id}/assistants/{cooperator_id}", response=AssistantsOut,
               summary="撤回合作经办人员的协助（已添加的调查记录保留）")
@api_permit("recognition_application", "investigate")
def remove_assistant(request, application_id: int, cooperator_id: int):
    found = services.assistant_remove(actor=request.auth, application=_application(request, application_id),
                                      cooperator_id=cooperator_id)
    return {"id": found.pk, "investigators": [str(u) for u in found.investigators.all()]}
