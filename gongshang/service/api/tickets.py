"""12333 工单 API under /api/v1/service/ (paths fixed by the issue), the caller lookup and the
knowledge base; thin: parse, load-and-check, call a service, shape."""

from typing import Literal

from django.utils import timezone
from ninja import Query, Router, Status
from pydantic import Field

from gongshang.accounts.access import allowed_actions, api_permit, get_for, may
from gongshang.api.auth import bearer
from gongshang.api.schemas import ApiSchema, choice_filter, mobile_field
from gongshang.core.errors import NotFound

from ..choices import TicketStatus
from ..models import KnowledgeArticle, Ticket
from ..presenters.tickets import article_dict, event_list, lookup_dict, ticket_dict
from ..selectors.knowledge import knowledge_search
from ..selectors.tickets import caller_lookup, ticket_list
from ..services import knowledge as knowledge_services
from ..services import tickets as services
from .tickets_schemas import (
    ArticleIn,
    ArticleListOut,
    ArticleOut,
    CategoryFilter,
    LookupOut,
    ReplyIn,
    RevealIn,
    RevealOut,
    TicketCloseIn,
    TicketCreatedOut,
    TicketDetailOut,
    TicketErrorOut,
    TicketIn,
    TicketListOut,
    TicketOut,
    TransferIn,
)

router = Router(tags=["12333 工单"], auth=bearer)
ERRORS = {status: TicketErrorOut for status in (401, 403, 404, 409, 422)}
QS = Ticket.objects.select_related("case", "created_by")


class TicketQuery(ApiSchema):
    view: Literal["", "mine", "desk", "overdue", "complaints", "open"] = Field(
        "", description="mine 我登记的 / desk 转办给我岗位的 / overdue 已超时未办结 / complaints 未办结的投诉 / open 未办结")
    status: choice_filter(TicketStatus) = Field("", description="状态：open 待处理 / transferred 已转办 / replied 已答复 / "
                                                               "closed 已办结")
    category: CategoryFilter = Field("", description="类别")
    number: str = Field("", max_length=32, description="工单编号（部分即可）")
    page: int = Field(1, ge=1, le=10000)
    size: int = Field(20, ge=1, le=100)


class LookupQuery(ApiSchema):
    id_number: str = Field("", max_length=30, description="来电人身份证号")
    mobile: str = mobile_field("", optional=True, description="来电人手机号（不填身份证号时）")


class KnowledgeQuery(ApiSchema):
    q: str = Field("", max_length=100, description="关键词（空格分隔，每个都须出现）")
    category: CategoryFilter = Field("", description="类别")
    page: int = Field(1, ge=1, le=10000)
    size: int = Field(20, ge=1, le=100)


def _input(payload: TicketIn) -> services.TicketInput:
    data = payload.model_dump(exclude={"accident"})
    accident = services.AccidentInput(**payload.accident.model_dump()) if payload.accident else None
    return services.TicketInput(**data, accident=accident)


@router.post("/tickets", response={201: TicketCreatedOut, **ERRORS},
             summary="登记 12333 工单（电话报工伤时同时代报工伤快报，并短信发送快报唯一标志码）")
@api_permit("service_ticket", "create")
def create(request, payload: TicketIn):
    result = services.ticket_create(actor=request.auth, data=_input(payload))
    ticket = result.ticket
    return Status(201, {"id": ticket.pk, "number": ticket.number, "due_at": timezone.localtime(ticket.due_at).isoformat(),
                        "status": ticket.status, "quick_report_id": ticket.quick_report_id,
                        "case_numbers": result.case_numbers, "sms_sent_to": result.sms_to})


@router.get("/tickets", response={200: TicketListOut, **ERRORS}, summary="12333 工单列表（本统筹区）")
@api_permit("service_ticket", "queue")
def list_(request, query: Query[TicketQuery]):
    qs = ticket_list(actor=request.auth, filters=query.model_dump())
    start = (query.page - 1) * query.size
    return {"items": [ticket_dict(t) for t in qs[start:start + query.size]], "count": qs.count()}


def _detail(actor, ticket) -> dict:
    return {**ticket_dict(ticket), "events": event_list(ticket), "actions": sorted(allowed_actions(actor, ticket))}


@router.get("/tickets/{pk}", response={200: TicketDetailOut, **ERRORS}, summary="12333 工单详情（含办理记录）")
@api_permit("service_ticket", "view")
def detail(request, pk: int):
    return _detail(request.auth, get_for(request.auth, QS, pk, "view"))


@router.post("/tickets/{pk}/transfer", response={200: TicketOut, **ERRORS}, summary="转办至科室（热线坐席）")
@api_permit("service_ticket", "transfer")
def transfer(request, pk: int, payload: TransferIn):
    ticket = get_for(request.auth, QS, pk, "transfer")
    services.ticket_transfer(actor=request.auth, ticket=ticket, desk=payload.desk, note=payload.note)
    return ticket_dict(QS.get(pk=pk))


@router.post("/tickets/{pk}/reply", response={200: TicketOut, **ERRORS},
             summary="答复（承办科室；未转办的由热线坐席答复）")
@api_permit("service_ticket", "reply")
def reply(request, pk: int, payload: ReplyIn):
    ticket = get_for(request.auth, QS, pk, "reply")
    services.ticket_reply(actor=request.auth, ticket=ticket, text=payload.text)
    return ticket_dict(QS.get(pk=pk))


@router.post("/tickets/{pk}/close", response={200: TicketOut, **ERRORS}, summary="办结（已告知来电人）")
@api_permit("service_ticket", "close")
def close(request, pk: int, payload: TicketCloseIn):
    ticket = get_for(request.auth, QS, pk, "close")
    services.ticket_close(actor=request.auth, ticket=ticket, note=payload.note)
    return ticket_dict(QS.get(pk=pk))


@router.post("/tickets/{pk}/reveal", response={200: RevealOut, **ERRORS},
             summary="查看来电人完整号码或身份证号（热线坐席；每次查看均记录）")
@api_permit("service_ticket", "view_pii")
def reveal(request, pk: int, payload: RevealIn):
    ticket = get_for(request.auth, QS, pk, "view_pii")
    return {"field": payload.field, "value": services.ticket_reveal(actor=request.auth, ticket=ticket,
                                                                    field_name=payload.field)}


@router.get("/lookup", response={200: LookupOut, **ERRORS},
            summary="来电人查询：按身份证号或手机号查参保人、案件和以往工单（脱敏）")
@api_permit("service_ticket", "lookup")
def lookup(request, query: Query[LookupQuery]):
    return lookup_dict(caller_lookup(actor=request.auth, id_number=query.id_number, mobile=query.mobile))


@router.get("/knowledge", response={200: ArticleListOut, **ERRORS}, summary="热线知识库检索")
@api_permit("knowledge_article", "view")
def knowledge_list(request, query: Query[KnowledgeQuery]):
    qs = knowledge_search(actor=request.auth, q=query.q, category=query.category)
    start = (query.page - 1) * query.size
    return {"items": [article_dict(a) for a in qs[start:start + query.size]], "count": qs.count()}


@router.post("/knowledge", response={201: ArticleOut, **ERRORS}, summary="新增知识库条目（本统筹区口径）")
@api_permit("knowledge_article", "manage")
def knowledge_create(request, payload: ArticleIn):
    return Status(201, article_dict(knowledge_services.article_create(actor=request.auth, data=payload.model_dump())))


@router.get("/knowledge/{pk}", response={200: ArticleOut, **ERRORS}, summary="知识库条目")
@api_permit("knowledge_article", "view")
def knowledge_detail(request, pk: int):
    article = get_for(request.auth, KnowledgeArticle, pk, "view")
    if not article.published and not may(request.auth, "knowledge_article", "manage"):
        raise NotFound()
    return article_dict(article)


@router.put("/knowledge/{pk}", response={200: ArticleOut, **ERRORS},
            summary="修改知识库条目（published=false 为下架；全国通用口径只读）")
@api_permit("knowledge_article", "manage")
def knowledge_update(request, pk: int, payload: ArticleIn):
    article = get_for(request.auth, KnowledgeArticle, pk, "manage")
    return article_dict(knowledge_services.article_update(actor=request.auth, article=article,
                                                          data=payload.model_dump()))
