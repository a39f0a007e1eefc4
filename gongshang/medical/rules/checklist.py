"""现场稽核检查表: the items a team checks at an agreement institution, by institution kind.

Pure data and pure functions (no Django). Each item has a code, the question in Chinese and what to
look at on site. The sections follow the 济宁 on-site audit of its 91 agreement institutions
(基础管理, 就医服务, 医疗服务质量, 目录及费用结算) and the fraud patterns it looked for
(串换项目, 挂床住院, 虚假病历或虚构医疗服务, 过度检查, 过度治疗).
Sources: 工伤保险条例 第三十条 (treatment at agreement institutions, within the catalogues and the
住院服务标准); 医疗保障基金使用监督管理条例 (2021) 第十五条、第三十八条 (the fraud patterns);
工伤保险经办规程 (人社部发〔2012〕11号) 协议管理. Answers: 符合 / 不符合 / 不适用, with a note.
"""

from __future__ import annotations

from dataclasses import dataclass

MEDICAL = "medical"
REHABILITATION = "rehabilitation"
DEVICE = "device"
KINDS = (MEDICAL, REHABILITATION, DEVICE)
ALL = frozenset(KINDS)

SECTIONS = (
    ("basic", "基础管理"),
    ("service", "就医服务"),
    ("quality", "医疗服务质量"),
    ("billing", "目录及费用结算"),
    ("fraud", "欺诈骗保重点问题"),
)
SECTION_LABELS = dict(SECTIONS)

# The answers an item takes (value → label).
OK, FAIL, NA = "ok", "fail", "na"
RESULTS = ((OK, "符合"), (FAIL, "不符合"), (NA, "不适用"))
RESULT_LABELS = dict(RESULTS)

# The fraud patterns (values of choices.FraudPattern).
SWAPPED_ITEM = "swapped_item"
PHANTOM_BED = "phantom_bed"
FALSE_RECORDS = "false_records"
EXCESSIVE_TESTS = "excessive_tests"
EXCESSIVE_TREATMENT = "excessive_treatment"
OTHER = "other"


@dataclass(frozen=True)
class Item:
    code: str
    section: str
    question: str
    look_at: str
    kinds: frozenset = ALL
    pattern: str = ""          # the fraud pattern a "不符合" answer points to

    @property
    def section_label(self) -> str:
        return SECTION_LABELS[self.section]


_MED = frozenset({MEDICAL})
_REH = frozenset({REHABILITATION})
_DEV = frozenset({DEVICE})
_CARE = frozenset({MEDICAL, REHABILITATION})

ITEMS: tuple[Item, ...] = (
    # 基础管理
    Item("JC01", "basic", "执业许可证、协议文本在有效期内，诊疗科目与协议一致",
         "医疗机构执业许可证（或营业执照、辅具配置资质）、工伤保险服务协议原件及附件"),
    Item("JC02", "basic", "设有工伤保险管理部门并明确专（兼）职人员",
         "机构内部发文、岗位职责、联系人名单"),
    Item("JC03", "basic", "工伤保险管理制度健全并在院内公示",
         "制度汇编、公示栏、就医流程图"),
    Item("JC04", "basic", "信息系统按要求接入，工伤结算数据实时上传",
         "结算接口日志、上传记录与院内 HIS 数据比对"),
    # 就医服务
    Item("JY01", "service", "工伤职工就医时核验身份和工伤认定信息",
         "挂号、入院登记记录，身份证件核验记录", _CARE),
    Item("JY02", "service", "出院时直接结算，未要求职工先行垫付应由基金支付的费用",
         "出院结算单、收费记录、随机电话回访职工"),
    Item("JY03", "service", "需转诊转院的按规定办理并留存手续",
         "转诊审批单、病历中的转诊记录", _MED),
    Item("JY04", "service", "康复计划经评估制定并告知职工",
         "康复评定记录、康复计划、职工签字", _REH),
    Item("JY05", "service", "辅助器具按确认的配置意见配置，职工签收",
         "配置确认书、配置单、职工签收记录、产品合格证", _DEV),
    # 医疗服务质量
    Item("ZL01", "quality", "病历书写规范、及时，与收费记录一致",
         "抽查在院和出院病历：入院记录、病程记录、医嘱与收费清单", _CARE),
    Item("ZL02", "quality", "诊断与工伤认定的受伤部位、诊断相符，非工伤疾病另行结算",
         "工伤认定书与病历诊断、费用明细比对", _CARE),
    Item("ZL03", "quality", "康复训练记录完整，训练时长与收费一致",
         "康复治疗记录单、治疗师排班、签到记录", _REH),
    Item("ZL04", "quality", "辅助器具质量合格，在最低使用年限内未重复配置",
         "产品合格证、配置台账、同一职工的历次配置记录", _DEV),
    # 目录及费用结算
    Item("ML01", "billing", "药品、诊疗项目、耗材在工伤保险目录内，目录外项目经职工签字同意",
         "费用明细与目录比对、自费项目知情同意书"),
    Item("ML02", "billing", "收费标准不超过物价部门和协议规定的限价",
         "收费明细与价格目录比对、价格公示"),
    Item("ML03", "billing", "住院伙食补助、床位等级符合住院服务标准",
         "床位安排记录、住院服务标准", _CARE),
    Item("ML04", "billing", "进销存记录与结算数量一致",
         "药品、耗材、辅具的进货发票、出入库台账与结算数量比对"),
    # 欺诈骗保重点问题
    Item("QZ01", "fraud", "无串换项目：收费编码与实际提供的药品、项目、耗材一致",
         "医嘱、执行记录与收费编码比对；高值耗材条码追溯", pattern=SWAPPED_ITEM),
    Item("QZ02", "fraud", "无挂床住院：在院职工均在床，住院期间有实质性诊疗",
         "现场逐床核对在院人数与床位、入院后48小时内的医嘱和检查", _CARE, pattern=PHANTOM_BED),
    Item("QZ03", "fraud", "无虚假病历或虚构医疗服务",
         "病历与检查报告、影像、护理记录交叉核对，电话回访职工", pattern=FALSE_RECORDS),
    Item("QZ04", "fraud", "无过度检查：检查均有临床指征，无重复检查",
         "检查申请单的指征、短期内同一检查的次数", _CARE, pattern=EXCESSIVE_TESTS),
    Item("QZ05", "fraud", "无过度治疗：治疗、康复项目与病情相符",
         "治疗方案、用药与诊断的对应关系，康复项目频次", _CARE, pattern=EXCESSIVE_TREATMENT),
    Item("QZ06", "fraud", "无以租代配、虚开辅具或超标准配置",
         "配置清单、实物、职工回访", _DEV, pattern=FALSE_RECORDS),
)

BY_CODE = {item.code: item for item in ITEMS}


def checklist_for(kind: str) -> tuple[Item, ...]:
    """The items for an institution of `kind` (medical, rehabilitation, device), in section order."""
    if kind not in KINDS:
        raise ValueError(f"unknown institution kind {kind!r}")
    order = {code: n for n, (code, _label) in enumerate(SECTIONS)}
    return tuple(sorted((i for i in ITEMS if kind in i.kinds), key=lambda i: (order[i.section], i.code)))


def sections_for(kind: str) -> list[tuple[str, list[Item]]]:
    """(section label, items) for the page."""
    grouped: dict[str, list[Item]] = {}
    for item in checklist_for(kind):
        grouped.setdefault(item.section, []).append(item)
    return [(SECTION_LABELS[code], grouped[code]) for code, _label in SECTIONS if code in grouped]


def answer_problem(kind: str, code: str, result: str) -> tuple[str, str] | None:
    """(field, message in Chinese) when an answer cannot be recorded for this kind; None when it can."""
    item = BY_CODE.get(code)
    if item is None or kind not in item.kinds:
        return "item", f"检查项“{code}”不在该类机构的检查表中，请从检查表中选择。"
    if result not in RESULT_LABELS:
        return "result", "检查结果只能是“符合”“不符合”或“不适用”。"
    return None


@dataclass(frozen=True)
class Progress:
    total: int
    answered: int
    failed: int
    failed_codes: tuple[str, ...]

    @property
    def complete(self) -> bool:
        return self.answered == self.total


def progress(kind: str, answers: dict) -> Progress:
    """How much of the checklist is answered, and which items were answered 不符合."""
    items = checklist_for(kind)
    answered = [i for i in items if (answers.get(i.code) or {}).get("result") in RESULT_LABELS]
    failed = tuple(i.code for i in answered if answers[i.code]["result"] == FAIL)
    return Progress(total=len(items), answered=len(answered), failed=len(failed), failed_codes=failed)
