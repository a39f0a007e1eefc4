"""Demo 好差评 for 青岛市 (370200): the 12333 agent's callbacks of two closed tickets (非常满意; 不满意,
whose follow-up 褚坐席 closed on time with the outcome told to the caller), and 海川机械's handler
rating 张伟's decided recognition 非常不满意 (its follow-up open). 张伟 himself (the demo individual,
13900000001) still has that recognition waiting for his rating on 服务评价. Idempotent.

The two tickets are calls the 12333 agent answered during the call (registered and closed at once
through the ticket services); a second run finds them by caller and summary."""

from django.db import transaction

from gongshang.accounts.models import User
from gongshang.core.pii.crypto import blind_index
from gongshang.recognition.models import RecognitionApplication

from ..models import Rating, Ticket
from ..services import tickets as ticket_services
from ..services.ratings import follow_up_close, rating_create, ticket_callback

REGION = "370200"
EMPLOYER_USCC = "91370200MA3C5UWK4C"
ZHANG_WEI_ID = "370202198803151237"
TICKETS = [
    ("13900000001", "张伟", "咨询停工留薪期工资由谁支付", 5, "答复清楚，很快就解决了"),
    ("13700000002", "赵敏", "咨询工伤认定需要哪些材料", 2, "打了三次才打通，答复也不够具体"),
]
ANSWER = "已按知识库口径答复。"
OUTCOME = ("经核实，来电高峰时段坐席不足。已增加上午 9-11 时坐席 2 名，并将工伤认定材料清单发送至来电人手机；"
           "已回电向来电人致歉并说明。")


def _ticket(mobile, name, summary, agent) -> Ticket:
    """The agent's consultation of this caller and summary, registered and answered during the call
    (closed at once) when it is not there yet."""
    for found in Ticket.objects.filter(region=REGION, created_by=agent, caller_mobile_index=blind_index(mobile),
                                       category="consultation").order_by("pk"):
        if found.summary == summary:
            return found
    return ticket_services.ticket_create(actor=agent, data=ticket_services.TicketInput(
        channel="phone", category="consultation", caller_name=name, caller_mobile=mobile, summary=summary,
        answer=ANSWER)).ticket


@transaction.atomic
def seed(stdout=None) -> None:
    agent = User.objects.filter(username="hotline", kind="staff").first()
    handler = User.objects.filter(username=EMPLOYER_USCC).first()
    if agent is None:
        return
    done = []
    for mobile, name, summary, score, note in TICKETS:
        ticket = _ticket(mobile, name, summary, agent)
        if ticket.callback_at is None and not Rating.objects.filter(matter="ticket", matter_id=ticket.pk).exists():
            rating = ticket_callback(actor=agent, ticket=ticket, score=score, note=note)
            if getattr(rating, "follow_up", None) is not None:
                follow_up_close(actor=agent, follow_up=rating.follow_up, outcome=OUTCOME)
            done.append(f"{ticket.number} 回访 {score} 分")
    recognition = (RecognitionApplication.objects
                   .filter(region=REGION, status__in=("decided", "delivered"),
                           case__person__id_number_index=blind_index(ZHANG_WEI_ID), case__employer__uscc=EMPLOYER_USCC)
                   .order_by("pk").first())
    if handler is not None and recognition is not None and not Rating.objects.filter(
            matter="recognition", matter_id=recognition.pk, rater=handler).exists():
        rating_create(actor=handler, matter="recognition", matter_id=recognition.pk, score=1,
                      comment="认定决定书送达前没有任何进度提醒，单位多次来电询问。")
        done.append(f"单位评价认定 {recognition.case.number} 1 分（整改中）")
    if stdout:
        stdout.write("  好差评：" + ("、".join(done) if done else "演示评价已存在，跳过"))
