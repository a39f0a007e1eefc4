"""Demo 12333 data for 青岛市 (370200), after the accounts, registry and quick-report demos:

- the knowledge base: answers callers ask most, each with its article (national, read-only), and one
  answer of the 统筹区 (how to report an accident by phone);
- one 服务参数 version of the 统筹区 (demo values);
- tickets of 褚坐席 (hotline) of each category and status: a consultation answered during the call,
  an open consultation of 张伟 (found by the caller lookup), a complaint transferred to 孙受理 (tracked
  to closure), a suggestion replied by the desk, a help request transferred to 冯待遇, and a phoned-in
  accident that filed a 工伤快报 and texted its code to the caller.

Idempotent: articles by question, the setting by region, the tickets once (by their summaries)."""

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from gongshang.accounts.models import User

from ..models import KnowledgeArticle, ServiceSetting, Ticket
from ..services import tickets as services

REGION = "370200"

# (question, answer, basis, keywords, category)
ARTICLES = [
    ("哪些情形应当认定为工伤？",
     "职工有下列情形之一的，应当认定为工伤：（一）在工作时间和工作场所内，因工作原因受到事故伤害的；（二）工作时间前后在工作场所内，"
     "从事与工作有关的预备性或者收尾性工作受到事故伤害的；（三）在工作时间和工作场所内，因履行工作职责受到暴力等意外伤害的；"
     "（四）患职业病的；（五）因工外出期间，由于工作原因受到伤害或者发生事故下落不明的；（六）在上下班途中，受到非本人主要责任的交通事故"
     "或者城市轨道交通、客运轮渡、火车事故伤害的；（七）法律、行政法规规定应当认定为工伤的其他情形。",
     "《工伤保险条例》第十四条", "认定 情形 工作时间 工作场所 职业病", "consultation"),
    ("哪些情形视同工伤？",
     "（一）在工作时间和工作岗位，突发疾病死亡或者在48小时之内经抢救无效死亡的；（二）在抢险救灾等维护国家利益、公共利益活动中受到伤害的；"
     "（三）职工原在军队服役，因战、因公负伤致残，已取得革命伤残军人证，到用人单位后旧伤复发的。前两项享受工伤保险待遇；"
     "第（三）项享受除一次性伤残补助金以外的工伤保险待遇。",
     "《工伤保险条例》第十五条", "视同工伤 突发疾病 48小时 抢险救灾", "consultation"),
    ("哪些情形不能认定为工伤？",
     "有下列情形之一的，不得认定为工伤或者视同工伤：（一）故意犯罪的；（二）醉酒或者吸毒的；（三）自残或者自杀的。",
     "《工伤保险条例》第十六条", "不得认定 醉酒 吸毒 自残 自杀 犯罪", "consultation"),
    ("上下班途中发生交通事故能认定工伤吗？",
     "在上下班途中，受到非本人主要责任的交通事故或者城市轨道交通、客运轮渡、火车事故伤害的，应当认定为工伤。"
     "申请时需提供交通事故责任认定书等材料，证明本人不负主要责任。",
     "《工伤保险条例》第十四条第（六）项", "上下班 通勤 交通事故 责任认定书", "consultation"),
    ("工伤认定申请有时间限制吗？",
     "用人单位应当自事故伤害发生之日或者被诊断、鉴定为职业病之日起30日内提出工伤认定申请，遇有特殊情况经批准可以适当延长。"
     "用人单位未提出的，工伤职工或者其近亲属、工会组织在事故伤害发生之日或者被诊断、鉴定为职业病之日起1年内，可以直接提出申请。",
     "《工伤保险条例》第十七条", "申请时限 30日 1年 近亲属 工会", "consultation"),
    ("单位不按时申请工伤认定，费用谁承担？",
     "用人单位未在规定时限内提交工伤认定申请，在此期间发生符合规定的工伤待遇等有关费用由该用人单位负担。",
     "《工伤保险条例》第十七条第四款", "单位 逾期 未申请 费用负担", "complaint"),
    ("申请工伤认定要交哪些材料？",
     "应当提交：（一）工伤认定申请表；（二）与用人单位存在劳动关系（包括事实劳动关系）的证明材料；（三）医疗诊断证明或者职业病诊断证明书"
     "（或者职业病诊断鉴定书）。另需受伤职工的身份证明；按情形补充急救记录、交通事故责任认定书、报警回执等。",
     "《工伤保险条例》第十八条", "材料 申请表 劳动关系 诊断证明", "consultation"),
    ("材料不全会怎样？",
     "社会保险行政部门收到申请后15日内审核材料：材料完整的，作出受理或者不予受理的决定；材料不完整的，以书面形式一次性告知需要补正的全部材料。"
     "收到全部补正材料后15日内作出受理或者不予受理的决定。",
     "《工伤认定办法》第八条", "补正 一次性告知 受理 15日", "consultation"),
    ("工伤认定多长时间出结果？",
     "社会保险行政部门应当自受理工伤认定申请之日起60日内作出工伤认定的决定；对受理的事实清楚、权利义务明确的工伤认定申请，"
     "应当在15日内作出决定。需要等待司法机关或者有关行政主管部门结论的，认定中止，期间不计入时限。",
     "《工伤保险条例》第二十条", "认定时限 60日 15日 中止 进度", "consultation"),
    ("工伤职工到哪里看病，医疗费怎么报？",
     "应当在签订服务协议的医疗机构就医，情况紧急时可以先到就近的医疗机构急救。符合工伤保险诊疗项目目录、药品目录、住院服务标准的，"
     "从工伤保险基金支付。住院伙食补助费以及经批准到统筹地区以外就医的交通食宿费，按规定标准从基金支付。",
     "《工伤保险条例》第三十条", "就医 协议医院 医疗费 伙食补助 报销", "consultation"),
    ("停工留薪期多长？期间工资怎么发？",
     "停工留薪期内，原工资福利待遇不变，由所在单位按月支付。停工留薪期一般不超过12个月；伤情严重或者情况特殊，"
     "经设区的市级劳动能力鉴定委员会确认，可以适当延长，但延长不得超过12个月。",
     "《工伤保险条例》第三十三条", "停工留薪期 工资 12个月 延长", "consultation"),
    ("什么时候申请劳动能力鉴定？",
     "职工发生工伤，经治疗伤情相对稳定后存在残疾、影响劳动能力的，应当进行劳动能力鉴定。由用人单位、工伤职工或者其近亲属向设区的市级"
     "劳动能力鉴定委员会提出申请，并提供工伤认定决定和职工工伤医疗的有关资料。",
     "《工伤保险条例》第二十一条、第二十三条", "劳动能力鉴定 伤残 申请", "consultation"),
    ("劳动能力鉴定多久出结论？不服怎么办？",
     "劳动能力鉴定委员会应当自收到申请之日起60日内作出鉴定结论，必要时可以延长30日。对设区的市级鉴定结论不服的，"
     "可以在收到结论之日起15日内向省级劳动能力鉴定委员会提出再次鉴定申请，省级结论为最终结论。",
     "《工伤保险条例》第二十五条、第二十六条", "鉴定结论 60日 再次鉴定 15日 不服", "consultation"),
    ("一次性伤残补助金是多少？",
     "按伤残等级以本人工资为基数支付：一级27个月、二级25个月、三级23个月、四级21个月、五级18个月、六级16个月、七级13个月、八级11个月、"
     "九级9个月、十级7个月。本人工资低于统筹地区职工平均工资60%的按60%计算，高于300%的按300%计算。",
     "《工伤保险条例》第三十五条至第三十七条、第六十四条", "伤残补助金 伤残等级 本人工资", "consultation"),
    ("因工死亡家属能领哪些待遇？",
     "近亲属按规定领取：丧葬补助金，为6个月的统筹地区上年度职工月平均工资；供养亲属抚恤金，按职工本人工资的一定比例发给由因工死亡职工"
     "生前提供主要生活来源、无劳动能力的亲属；一次性工亡补助金，标准为上一年度全国城镇居民人均可支配收入的20倍。",
     "《工伤保险条例》第三十九条", "工亡 丧葬补助金 抚恤金 一次性工亡补助金", "help"),
    ("单位没交工伤保险，受伤后怎么办？",
     "应当参加工伤保险而未参加的用人单位职工发生工伤的，由该用人单位按照条例规定的工伤保险待遇项目和标准支付费用。"
     "用人单位不支付的，从工伤保险基金中先行支付，由用人单位偿还；可同时向社会保险行政部门投诉举报。",
     "《工伤保险条例》第六十二条；《社会保险法》第四十一条", "未参保 没交 先行支付 投诉", "complaint"),
]
LOCAL_ARTICLE = (
    "发生事故后可以打 12333 报工伤吗？",
    "可以。事故发生后48小时内，可通过“工伤快报”自行上报，也可拨打12333由坐席代为登记工伤快报。坐席登记后，快报唯一标志码以短信发送到"
    "来电手机号，凭此码可在“工伤快报补充信息”中补充现场照片、视频等材料。之后仍须在规定时限内提出工伤认定申请。",
    "《工伤保险条例》第十七条；本统筹区工伤快报经办规程（演示口径）", "12333 电话 报工伤 快报 标志码 48小时", "accident_filing")


def _say(stdout, text: str) -> None:
    if stdout:
        stdout.write(f"  12333 工单与知识库：{text}")


def seed_knowledge(stdout=None) -> int:
    created = 0
    for region, rows in (("", ARTICLES), (REGION, [LOCAL_ARTICLE])):
        for question, answer, basis, keywords, category in rows:
            _, made = KnowledgeArticle.objects.get_or_create(
                region=region, question=question,
                defaults={"answer": answer, "basis": basis, "keywords": keywords, "category": category})
            created += made
    _say(stdout, f"知识库新增 {created} 条")
    return created


def seed_setting(stdout=None):
    if ServiceSetting.objects.filter(region=REGION).exists():
        return None
    _say(stdout, "服务参数（演示值）自 2026-01-01 起生效")
    return ServiceSetting.objects.create(
        region=REGION, valid_from=date(2026, 1, 1), consultation_days=2, complaint_days=5, suggestion_days=5,
        accident_filing_days=1, help_days=2, rating_follow_up_days=5, prevention_cap_percent=Decimal("3.00"),
        source="演示值（参照热线“转办问题 2 个工作日内答复”的做法）")


def _ticket(agent, **kwargs):
    accident = kwargs.pop("accident", None)
    return services.ticket_create(actor=agent, data=services.TicketInput(accident=accident, **kwargs))


@transaction.atomic
def seed_tickets(stdout=None):
    agent = User.objects.filter(username="hotline").first()
    intake = User.objects.filter(username="intake").first()
    if agent is None or intake is None:
        _say(stdout, "缺少热线坐席或受理员账户，跳过工单")
        return []
    if Ticket.objects.filter(region=REGION, created_by=agent).exists():
        return []
    made = [
        _ticket(agent, channel="phone", category="consultation", caller_name="王先生", caller_mobile="13812340001",
                summary="上下班途中骑电动车被撞，对方全责，能否认定工伤？",
                answer="已告知：非本人主要责任的上下班途中交通事故应当认定为工伤，请备好交通事故责任认定书。").ticket,
        _ticket(agent, channel="phone", category="consultation", caller_name="张伟", caller_mobile="13900000001",
                caller_id_number="370202198803151237", summary="询问本人工伤认定的办理进度和停工留薪期工资由谁发放").ticket,
    ]
    complaint = _ticket(agent, channel="phone", category="complaint", caller_name="李女士",
                        caller_mobile="13812340003", summary="单位拒绝为其申请工伤认定，也不提供劳动合同").ticket
    services.ticket_transfer(actor=agent, ticket=complaint, desk="intake", note="请联系单位核实并告知职工本人申请途径")
    suggestion = _ticket(agent, channel="online", category="suggestion", caller_name="赵先生",
                         caller_mobile="13812340004", summary="建议工伤认定材料清单在网上公示并可下载").ticket
    services.ticket_transfer(actor=agent, ticket=suggestion, desk="intake")
    services.ticket_reply(actor=intake, ticket=suggestion, text="材料清单已在平台“办事指南”公示，可在线查看和下载。")
    helped = _ticket(agent, channel="window", category="help", caller_name="孙大爷", caller_mobile="13812340005",
                     summary="儿子因工死亡，询问供养亲属抚恤金如何申请").ticket
    benefits = User.objects.filter(username="benefits").first()
    if benefits is not None:
        services.ticket_transfer(actor=agent, ticket=helped, desk="benefits_reviewer", note="请告知需提交的亲属关系证明")
    made += [complaint, suggestion, helped]
    now = timezone.now()
    filed = _ticket(agent, channel="phone", category="accident_filing", caller_name="周师傅",
                    caller_mobile="13812340006", summary="工友在车间被机床夹伤右手，单位尚未上报",
                    accident=services.AccidentInput(
                        accident_at=now - timedelta(hours=2), address="青岛市城阳区演示工业园 3 号车间",
                        description="操作机床时右手被夹伤，已送医院", injured_name="吴磊", body_part="手部",
                        injury_type="挤压伤", pledge_read=True))
    made.append(filed.ticket)
    _say(stdout, f"登记工单 {len(made)} 件，其中电话代报工伤快报 1 件（案件编号 {'、'.join(filed.case_numbers)}）")
    return made


def seed(stdout=None) -> None:
    seed_knowledge(stdout)
    seed_setting(stdout)
    seed_tickets(stdout)
