"""案件留言 API under /api/v1/cases/{case_number}/messages (both sides of a case's thread). Thin: load
and check the case, call a service or selector, shape."""

from ninja import Router, Schema, Status
from pydantic import Field
from pydantic import ValidationError as PydanticValidationError

from gongshang.accounts.access import api_permit, get_for
from gongshang.api.auth import bearer
from gongshang.api.schemas import ApiSchema, IsoDateTime
from gongshang.core.errors import FieldErrors, NotFound
from gongshang.core.files.serving import stored_file_response

from ..models.messages import CaseMessage
from ..presenters.messages import message_dict, thread_dict
from ..selectors import messages as selectors
from ..services import messages as services

router = Router(tags=["案件留言"], auth=bearer)


class MessageErrorOut(Schema):
    code: str
    message: str
    details: dict | list


ERRORS = {status: MessageErrorOut for status in (401, 403, 404, 409, 422)}
UPLOAD_ERRORS = {**ERRORS, 413: MessageErrorOut, 415: MessageErrorOut}


class MessageIn(ApiSchema):
    text: str = Field(..., max_length=services.MAX_TEXT, description="留言内容（不超过 2000 字）")


class CorrectionIn(ApiSchema):
    items: list[str] = Field(default_factory=list, max_length=30,
                             description="需要补正的材料或事项（材料类型代码或文字）；认定申请另自动列入材料清单中仍缺少的材料")


class AttachmentOut(Schema):
    id: int = Field(..., description="案件材料库中的材料编号")
    title: str
    content_type: str
    size: int
    is_image: bool
    url: str = Field(..., description="下载地址（登录后的页面地址；接口下载见 …/messages/{message_id}/attachment）")


class MessageOut(Schema):
    id: int
    case_number: str
    from_staff: bool = Field(..., description="true：经办人员发出；false：申请人一方（职工、亲属、单位经办人）发出")
    mine: bool = Field(..., description="是否为调用者一方发出")
    author: str
    text: str
    attachment: AttachmentOut | None
    created_at: IsoDateTime
    read: bool = Field(..., description="对方是否已读")
    read_at: IsoDateTime | None
    correction: bool = Field(..., description="是否已转为补正通知（工伤认定或劳动能力鉴定）")


class ThreadOut(Schema):
    case_number: str
    unread: int = Field(..., description="对方发来、本方尚未阅读的留言数")
    count: int
    items: list[MessageOut]


class ReadOut(Schema):
    marked: int = Field(..., description="本次标记为已读的留言数")
    unread: int


class CorrectionOut(Schema):
    message: MessageOut = Field(..., description="被转为补正通知的留言")
    reply: MessageOut = Field(..., description="告知申请人补正事项的经办留言")


SEND_DOC = {"requestBody": {"required": True, "content": {
    "application/json": {"schema": MessageIn.model_json_schema()},
    "multipart/form-data": {"schema": {
        "type": "object", "additionalProperties": False,
        "properties": {"text": {"type": "string", "maxLength": services.MAX_TEXT, "description": "留言内容"},
                       "attachment": {"type": "string", "format": "binary",
                                      "description": "附件：JPG、PNG 或 PDF，不超过 20 MB（按内容判断类型）"}}}}}}}
FILE_DOC = {"responses": {200: {"description": "留言附件（JPG、PNG 或 PDF）",
                                "content": {"application/octet-stream": {"schema": {"type": "string",
                                                                                    "format": "binary"}}}}}}


def _case(request, case_number: str, action: str = "view"):
    return selectors.case_for(actor=request.auth, case_number=case_number, action=action)


def _body(request) -> tuple[str, object]:
    """(text, upload) from a JSON body or a multipart form; anything unknown answers 422 naming it."""
    if request.content_type == "multipart/form-data":
        unknown = sorted((set(request.POST) | set(request.FILES)) - {"text", "attachment"})
        if unknown:
            raise FieldErrors({name: "不支持的字段，请删除" for name in unknown}, f"不支持的字段：{'、'.join(unknown)}。")
        if len(request.FILES.getlist("attachment")) > 1:
            raise FieldErrors({"attachment": "每条留言只能带一个附件"}, "每条留言只能带一个附件。")
        return request.POST.get("text", ""), request.FILES.get("attachment")
    try:
        payload = MessageIn.model_validate_json(request.body or b"")
    except PydanticValidationError as exc:
        errors = {".".join(str(p) for p in err["loc"]) or "body": _why(err) for err in exc.errors()}
        raise FieldErrors(errors, "留言内容有误：" + "；".join(f"{k} {v}" for k, v in errors.items()) + "。") from None
    return payload.text, None


def _why(err) -> str:
    kind = err.get("type", "")
    if kind == "json_invalid":
        return "不是有效的 JSON，请发送 {\"text\": \"留言内容\"}"
    if kind == "missing":
        return "必填，请填写留言内容"
    if kind == "extra_forbidden":
        return "不支持的字段，请删除"
    if kind == "string_too_long":
        return f"不能超过 {services.MAX_TEXT} 个字"
    return "格式不正确，应为文字"


@router.get("/{case_number}/messages", response={200: ThreadOut, **ERRORS},
            summary="案件留言：本案件的全部留言（由旧到新）及本方未读数")
@api_permit("case_message", "view")
def thread(request, case_number: str):
    case = _case(request, case_number)
    messages = selectors.thread(actor=request.auth, case=case)
    return thread_dict(case=case, messages=messages, actor=request.auth,
                       unread=selectors.unread_count(actor=request.auth, case=case))


@router.post("/{case_number}/messages", response={201: MessageOut, **UPLOAD_ERRORS}, openapi_extra=SEND_DOC,
             summary="发送留言（JSON {\"text\"}，或 multipart：text + attachment）；经办人员留言短信通知申请人（不含内容）")
@api_permit("case_message", "send")
def send(request, case_number: str):
    case = _case(request, case_number, "send")
    text, upload = _body(request)
    message = services.message_send(actor=request.auth, case=case, text=text, upload=upload)
    return Status(201, message_dict(message, actor=request.auth))


@router.post("/{case_number}/messages/read", response={200: ReadOut, **ERRORS},
             summary="标记已读：对方发来的未读留言全部标记为已读")
@api_permit("case_message", "view")
def mark_read(request, case_number: str):
    case = _case(request, case_number)
    marked = services.message_mark_read(actor=request.auth, case=case)
    return {"marked": marked, "unread": selectors.unread_count(actor=request.auth, case=case)}


def _message(request, case_number: str, message_id: int, action: str) -> CaseMessage:
    qs = CaseMessage.objects.select_related("case", "attachment__file").filter(case__number=str(case_number)[:32])
    return get_for(request.auth, qs, message_id, action)


@router.get("/{case_number}/messages/{message_id}/attachment", response=ERRORS, openapi_extra=FILE_DOC,
            summary="下载留言附件")
@api_permit("case_message", "view")
def attachment(request, case_number: str, message_id: int):
    message = _message(request, case_number, message_id, "view")
    if message.attachment is None:
        raise NotFound("该留言没有附件。")
    return stored_file_response(message.attachment.file, title=message.attachment.title)


@router.post("/{case_number}/messages/{message_id}/to-correction", response={200: CorrectionOut, **ERRORS},
             summary="把申请人的留言转为补正通知（受理员、审核员：已分配待受理的认定申请；鉴定管理员：已提交的鉴定申请）")
@api_permit("case_message", "to_correction")
def to_correction(request, case_number: str, message_id: int, payload: CorrectionIn):
    message = _message(request, case_number, message_id, "to_correction")
    reply = services.message_to_correction(actor=request.auth, message=message, items=payload.items)
    message.refresh_from_db()
    return {"message": message_dict(message, actor=request.auth), "reply": message_dict(reply, actor=request.auth)}

