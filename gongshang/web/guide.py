"""办事指南: each stage of a work-injury case explained for a worker (what it is, who may apply, the
deadlines, the materials, what happens after), each rule with its article. National rules are
written here; the region's name and its local promises come from settings and data (the
recognition module's 本地承诺时限), never from a city written in code."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from gongshang.core.regions import full_name

STAGES = [
    {
        "key": "quick_report", "title": "工伤快报",
        "what": "发生事故后，尽快把事故的时间、地点、受伤人员和现场照片或视频报给经办机构，留下第一手证据，"
                "后面申请工伤认定时这些信息会自动带入，不用重复提交。快报是便民服务，不等于工伤认定申请。",
        "who": "受伤职工本人、亲属、同事，或用人单位，都可以提交。",
        "deadlines": ["事故发生后 48 小时内提交快报。", "快报不影响工伤认定的申请时限，认定申请仍须按时提出（见下一环节）。"],
        "materials": ["受伤人员姓名、身份证号、手机号（现场不清楚的可以先空着，事后凭码补充）",
                      "现场照片或视频（拍摄时间和地点会加上水印保存）"],
        "after": "提交后会得到一个快报唯一标志码，请妥善保存，凭它可以补充或更正快报。经办机构接收、核实后立案，"
                 "您可以在“我的工伤”里看到案件进度。",
        "links": [("提交工伤快报", "quickreports:start"), ("补充快报", "quickreports:supplement_start")],
    },
    {
        "key": "recognition", "title": "工伤认定",
        "what": "由社会保险行政部门确认这次受伤（或职业病）是不是工伤。只有认定为工伤（或视同工伤），"
                "才能享受工伤保险待遇。",
        "who": "首先由用人单位申请；单位没有申请的，职工本人、近亲属或工会组织可以直接申请。",
        "basis": "《工伤保险条例》第十四条、第十五条（哪些情形是工伤、视同工伤），第十七条（谁申请、何时申请）",
        "deadlines": [
            "用人单位：事故发生（或职业病诊断、鉴定）之日起 30 日内申请；经批准可以适当延长（条例第十七条第一款）。"
            "单位逾期申请的，在此期间发生的工伤待遇等费用由单位负担（条例第十七条第四款）。",
            "职工本人、近亲属或工会组织：事故发生（或职业病诊断、鉴定）之日起 1 年内申请（条例第十七条第二款）。",
            "经办机构收到申请后 15 日内决定是否受理；材料不全的，一次性书面告知需要补正的全部材料（《工伤认定办法》第八条）。",
            "受理后 60 日内作出认定决定；事实清楚、权利义务明确的，15 日内作出（条例第二十条）。"
            "需要等待司法机关或有关部门结论的，认定中止，时限暂停计算（条例第二十条第三款）。",
            "作出决定后 20 日内送达决定书（《工伤认定办法》第二十二条）；在本平台“下载并签收”即为送达。",
        ],
        "materials": ["工伤认定申请表（本平台可按已填信息生成，打印签字后扫描上传）",
                      "与用人单位存在劳动关系（包括事实劳动关系）的证明材料",
                      "医疗诊断证明，或职业病诊断证明书（职业病诊断鉴定书）",
                      "受伤职工身份证明；按就诊方式和受伤情形，系统会列出还需要的材料（如急救记录、交通事故责任认定书）"],
        "materials_basis": "条例第十八条",
        "after": "经办机构受理后进行调查核实，作出认定工伤、视同工伤或不予认定的决定，并出具决定书。"
                 "对决定不服的，可以自知道之日起 60 日内申请行政复议，或 6 个月内提起行政诉讼。",
        "links": [("申请工伤认定", "recognition:new")],
    },
    {
        "key": "appraisal", "title": "劳动能力鉴定",
        "what": "评定伤残等级（一级最重，十级最轻）和生活自理障碍程度，这是核定伤残待遇的依据（条例第二十一条、第二十二条）。",
        "who": "用人单位、工伤职工或其近亲属（条例第二十三条）。",
        "basis": "《工伤保险条例》第二十一条至第二十八条",
        "deadlines": [
            "伤情相对稳定后，或停工留薪期满时申请（《工伤职工劳动能力鉴定管理办法》第七条）。",
            "鉴定委员会收到申请后 60 日内作出鉴定结论；情况复杂的可以延长 30 日（条例第二十五条）。",
            "对结论不服的，收到结论之日起 15 日内可以向省级鉴定委员会申请再次鉴定（条例第二十六条）。",
            "结论作出 1 年后，伤情发生变化的，可以申请复查鉴定（条例第二十八条）。",
        ],
        "materials": ["劳动能力鉴定申请表", "诊断证明和完整的病历材料", "身份证明",
                      "工伤认定决定已在案件中，不需要再提交"],
        "materials_basis": "《工伤职工劳动能力鉴定管理办法》第八条",
        "after": "鉴定委员会通知您检查的时间、地点和要带的东西；作出结论后 20 日内送达鉴定结论书。",
        "links": [],
    },
    {
        "key": "benefits", "title": "待遇核定",
        "what": "经办机构根据认定决定和鉴定结论，核定您可以享受的各项待遇，每一项都写明计算方法和法律依据。",
        "who": "经办机构依据案件中已有的认定和鉴定结果核定；需要时请提供本人银行账户。",
        "basis": "《工伤保险条例》第三十条至第三十九条、第六十四条",
        "deadlines": [
            "停工留薪期内原工资福利待遇不变，由用人单位按月支付；停工留薪期一般不超过 12 个月（条例第三十三条）。",
            "伤残待遇按等级确定：一次性伤残补助金、伤残津贴、生活护理费等（条例第三十四条至第三十七条）；"
            "因工死亡的，近亲属领取丧葬补助金、供养亲属抚恤金和一次性工亡补助金（条例第三十九条）。",
            "本人工资按受伤前 12 个月平均月缴费工资计算，低于统筹地区职工平均工资 60% 的按 60% 计算，"
            "高于 300% 的按 300% 计算（条例第六十四条）。",
        ],
        "materials": ["本人银行账户（用于按月发放）", "缴费工资等信息已在参保记录中，不需要另行提交"],
        "after": "核定的待遇由另一名经办人员复核，复核通过后开始发放。想提前了解可能的金额，可以使用待遇计算器。",
        "links": [("待遇计算器", "benefits:calculator")],
    },
    {
        "key": "payment", "title": "待遇发放",
        "what": "工伤保险基金支付的待遇，按月（或一次性）发放到您本人的银行账户；停工留薪期工资、"
                "一次性伤残就业补助金等由用人单位支付。",
        "who": "不需要申请，复核通过的待遇自动进入每月的发放批次。",
        "deadlines": ["按月发放，每月的发放截止日以本统筹区经办机构公布的安排为准。"],
        "materials": ["银行账户变更的，请及时告知经办机构"],
        "after": "每一笔发放和到账情况可以在“我的待遇”里查看；银行退回的发放会在下一批次重新发放。",
        "links": [("我的待遇", "benefits:my_statements")],
    },
]


def _local_promises(region: str) -> list[str]:
    """The region's own shorter recognition promises, when the agency has entered them."""
    from gongshang.recognition.deadlines import local_setting

    row = local_setting(region, timezone.localdate())
    if row is None:
        return []
    found = []
    if row.acceptance_days:
        found.append(f"{row.name}承诺：收到认定申请后 {row.acceptance_days} 日内决定是否受理。")
    if row.decision_days:
        found.append(f"{row.name}承诺：受理后 {row.decision_days} 日内作出认定决定。")
    if row.simple_decision_days:
        found.append(f"{row.name}承诺：事实清楚的简易案件受理后 {row.simple_decision_days} 日内作出认定决定。")
    return found


def guide_context() -> dict:
    region = settings.DEFAULT_POOLING_REGION
    stages = []
    for stage in STAGES:
        item = {**stage, "links": [(label, reverse(name)) for label, name in stage["links"]]}
        if stage["key"] == "recognition":
            item["local"] = _local_promises(region)
        stages.append(item)
    return {"stages": stages, "region_name": full_name(region) or ""}
