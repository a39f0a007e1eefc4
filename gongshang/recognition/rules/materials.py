"""The materials checklist of a recognition application (条例 第十八条; 认定办法 第六条; the usual
proofs of each circumstance, as agencies list them). Pure: the facts of the application in, the required materials out, each
with the source that requires it. `missing()` gives the one-time notice list (一次性告知)."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from . import codes


@dataclass(frozen=True)
class Requirement:
    kind: str
    label: str
    basis: str


@dataclass(frozen=True)
class Facts:
    """What the checklist depends on (all codes from rules.codes)."""

    circumstance: str = ""
    treatments: tuple[str, ...] = ()
    died: bool = False
    applicant_kind: str = codes.EMPLOYER
    by_agent: bool = False
    local_extra: tuple[str, ...] = field(default=())  # per-jurisdiction additions (JurisdictionSetting)


ART18 = "条例第十八条"
ART18_1 = "条例第十八条第一款第（一）项"
ART18_2 = "条例第十八条第一款第（二）项"
ART18_3 = "条例第十八条第一款第（三）项"
# Each basis is shown to applicants: it cites the law, never a particular city's list. Materials a
# jurisdiction adds come from its own settings (Facts.local_extra, "本统筹区经办规定").
MEDICAL = f"{ART18_3}：医疗诊断证明"
COMMUTE = "条例第十四条第六项：证明上下班的时间和合理路线"
# No national article lists the death materials; the basis says what they prove, citing nothing it
# does not say (regions that require more add them through Facts.local_extra).
DEATH = "工亡案件：证明死亡事实"


def _req(kind: str, basis: str) -> Requirement:
    return Requirement(kind=kind, label=codes.MATERIALS[kind], basis=basis)


def _always(facts: Facts) -> list[Requirement]:
    # 条例 第十八条: 申请表, 劳动关系证明, 医疗诊断证明或者职业病诊断证明书; 认定办法 第六条: 身份证明.
    # A worker missing after an accident (第十四条第五项) has no diagnosis: the proof of disappearance replaces it.
    items = [_req("application_form", ART18_1), _req("labour_relation", ART18_2)]
    if facts.circumstance == codes.OCCUPATIONAL_DISEASE:
        items.append(_req("occupational_disease_diagnosis", ART18_3))
    elif facts.circumstance != codes.MISSING_PERSON:
        items.append(_req("medical_diagnosis", ART18_3))
    return items + [_req("injured_id", "认定办法第六条：受伤害职工的身份证明")]


def treatment_required(circumstance: str, died: bool) -> bool:
    """A treatment must be chosen except for a death, an occupational disease (diagnosed, not
    necessarily treated) and a worker missing after an accident (条例 第十四条第四、五项)."""
    return not died and circumstance not in (codes.OCCUPATIONAL_DISEASE, codes.MISSING_PERSON)


def diagnosis_required(circumstance: str) -> bool:
    return circumstance != codes.MISSING_PERSON


def _by_treatment(treatments: Iterable[str]) -> list[Requirement]:
    # Seed 002 (条例 第十八条 as applied in Jilin): 120 → 急救记录; 门诊 → 门诊病历; 住院 → 病历首页 + 入院记录.
    wanted = set(treatments)
    result = []
    if "emergency_120" in wanted:
        result.append(_req("emergency_record", f"{MEDICAL}（经120急救送医）"))
    if "outpatient" in wanted:
        result.append(_req("outpatient_record", f"{MEDICAL}（门诊治疗）"))
    if "inpatient" in wanted:
        result += [_req("inpatient_front_page", f"{MEDICAL}（住院治疗）"),
                   _req("admission_record", f"{MEDICAL}（住院治疗）")]
    return result


CIRCUMSTANCE_MATERIALS: dict[str, tuple[tuple[str, str], ...]] = {
    # 条例 第十四条第六项: 上下班途中非本人主要责任的交通事故.
    codes.COMMUTING: (("traffic_liability", "条例第十四条第六项；认定办法第六条"),
                      ("commute_route", COMMUTE),
                      ("work_schedule", COMMUTE),
                      ("residence_proof", COMMUTE)),
    # Rail, ferry, train: the competent authority's finding of responsibility, not a 交警 document.
    codes.COMMUTING_RAIL: (("accident_liability", "条例第十四条第六项：城市轨道交通、客运轮渡、火车事故"),
                           ("commute_route", COMMUTE),
                           ("work_schedule", COMMUTE),
                           ("residence_proof", COMMUTE)),
    # 条例 第十四条第三项: 因履行工作职责受到暴力等意外伤害.
    codes.VIOLENCE: (("police_receipt", "条例第十四条第三项：证明因履行工作职责受到暴力伤害"),),
    codes.ASSIGNED_ACTIVITY: (("official_document", "条例第十四条：证明受单位组织或指派参加活动"),),
    codes.BUSINESS_TRIP: (("business_trip_proof", "条例第十四条第五项"),),
    codes.MISSING_PERSON: (("business_trip_proof", "条例第十四条第五项"),
                           ("missing_person_proof", "条例第十四条第五项：发生事故下落不明（公安机关或人民法院的证明）")),
    codes.PUBLIC_INTEREST: (("public_interest_proof", "条例第十五条第二项"),),
    codes.VETERAN: (("veteran_certificate", "条例第十五条第三项"),),
    codes.SUDDEN_DEATH: (("rescue_record", "条例第十五条第一项"),),
}


def _death(facts: Facts) -> list[Requirement]:
    # 工亡: the death certificate, the rescue record and the relatives' proof of relation (a regional
    # checklist's practice, not an article of the 条例).
    if not (facts.died or facts.circumstance == codes.SUDDEN_DEATH):
        return []
    return [_req("death_certificate", DEATH), _req("rescue_record", "工亡案件：说明抢救经过"),
            _req("kinship_proof", "工亡案件：证明申请人与职工的亲属关系")]


def _applicant(facts: Facts) -> list[Requirement]:
    result = []
    if facts.applicant_kind not in (codes.EMPLOYER, codes.WORKER):
        # 认定办法 第六条: 近亲属或工会申请时提交身份证明及与职工关系的证明.
        result += [_req("applicant_id", "认定办法第六条：非职工本人申请"),
                   _req("applicant_relation", "认定办法第六条：非职工本人申请")]
    if facts.by_agent:
        result.append(_req("power_of_attorney", "委托代理人办理的，提交载明代理事项、权限和期限的授权委托书（民法典第一百六十五条）"))
    return result


def required(facts: Facts) -> list[Requirement]:
    """Every material the application must carry, in the order of the form, without repeats."""
    treatments = facts.treatments if facts.circumstance != codes.MISSING_PERSON else ()
    items = _always(facts) + _by_treatment(treatments)
    items += [_req(kind, basis) for kind, basis in CIRCUMSTANCE_MATERIALS.get(facts.circumstance, ())]
    items += _death(facts) + _applicant(facts)
    items += [_req(kind, "本统筹区经办规定") for kind in facts.local_extra if kind in codes.MATERIALS]
    seen: set[str] = set()
    unique = []
    for item in items:
        if item.kind not in seen:
            seen.add(item.kind)
            unique.append(item)
    return unique


def missing(facts: Facts, present_kinds: Iterable[str]) -> list[Requirement]:
    """What is still to supply: the content of the one-time notice (认定办法 第八条 一次性书面告知)."""
    present = set(present_kinds)
    return [item for item in required(facts) if item.kind not in present]


def check_facts(circumstance: str, treatments: Iterable[str], applicant_kind: str) -> dict[str, str]:
    """Field → Chinese message for codes outside the lists (empty when all are known)."""
    errors = {}
    if circumstance and circumstance not in codes.CIRCUMSTANCES:
        errors["circumstance"] = f"认定情形代码不正确，可选：{'、'.join(codes.CIRCUMSTANCES)}"
    unknown = [t for t in treatments if t not in codes.TREATMENTS]
    if unknown:
        errors["treatments"] = f"治疗方式 {'、'.join(unknown)} 不正确，可选：{'、'.join(codes.TREATMENTS)}"
    if applicant_kind not in codes.APPLICANTS:
        errors["applicant_kind"] = f"申请人类型不正确，可选：{'、'.join(codes.APPLICANTS)}"
    return errors
