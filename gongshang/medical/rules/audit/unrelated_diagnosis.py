"""非工伤治疗: an encounter none of whose diagnoses matches the recognised injury goes to basic
medical insurance, not the fund (条例 第三十条第一款: the fund pays treatment of the work injury).

Matching, in order (a diagnosis matches when any test holds; the encounter is flagged only when NO
diagnosis matches, so one related diagnosis keeps the whole encounter on the fund):
1. its ICD-10 code shares the 3-character category with a recognised diagnosis code;
2. its name contains the recognised body part (左/右/双 dropped, e.g. "手") or the recognised
   diagnosis text contains its name;
3. it is an injury code (ICD-10 chapter XIX): an S code whose body region (S00-S09 head, S10 neck,
   S20 thorax, S30 abdomen/lower back/pelvis, S40 shoulder/upper arm, S50 elbow/forearm,
   S60 wrist/hand, S70 hip/thigh, S80 knee/lower leg, S90 ankle/foot) is the region of the
   recognised body part, or any S code when the body part names no known region; any T code
   (multiple regions, burns, poisoning, complications of care);
4. a follow-up code of rehabilitation or aftercare (Z47, Z48, Z50) or sequelae of injuries (T90-T98).
When the injury records neither body part, diagnosis nor codes, nothing can be judged: no flag."""

from __future__ import annotations

from decimal import Decimal

from .common import to_fen, yuan
from .inputs import BillLineIn, EncounterIn, Flag, Injury

RULE = "unrelated_diagnosis"
SOURCE = "《工伤保险条例》第三十条第一款、第四款：治疗非工伤引发的疾病，不享受工伤医疗待遇，按照基本医疗保险办法处理"

# body region keyword → the S-block (tens digit of S00-S99)
REGIONS = (
    (("头", "颅", "脑", "面", "眼", "耳", "鼻", "口", "牙", "颌"), 0),
    (("颈",), 1),
    (("胸", "肋", "肺", "胸椎"), 2),
    (("腹", "腰", "骨盆", "盆腔", "臀", "腰椎"), 3),
    (("肩", "上臂", "锁骨", "肱"), 4),
    (("肘", "前臂", "尺骨", "桡骨"), 5),
    (("腕", "手", "指", "掌"), 6),
    (("髋", "大腿", "股骨"), 7),
    (("膝", "小腿", "胫", "腓", "髌"), 8),
    (("踝", "足", "脚", "趾", "跟"), 9),
)
FOLLOW_UP = ("Z47", "Z48", "Z50")


def _regions(text: str) -> set[int]:
    return {block for words, block in REGIONS if any(word in text for word in words)}


def _part_words(body_part: str) -> list[str]:
    words = []
    for raw in body_part.replace("，", "、").replace(",", "、").replace("/", "、").split("、"):
        word = raw.strip().lstrip("左右双")
        if word:
            words.append(word)
    return words


def matches(code: str, name: str, injury: Injury) -> bool:
    code = (code or "").strip().upper()
    name = name or ""
    if code and any(code[:3] == c.strip().upper()[:3] for c in injury.diagnosis_codes if c):
        return True
    if name and (any(word in name for word in _part_words(injury.body_part))
                 or (injury.diagnosis and name in injury.diagnosis)):
        return True
    if code.startswith("T") or code[:3] in FOLLOW_UP:
        return True
    if code.startswith("S") and len(code) >= 2 and code[1].isdigit():
        wanted = _regions(injury.body_part + injury.diagnosis)
        return not wanted or int(code[1]) in wanted
    return False


def check(lines: list[BillLineIn], encounter: EncounterIn, injury: Injury) -> list[Flag]:
    if not (injury.body_part or injury.diagnosis or injury.diagnosis_codes):
        return []
    diagnoses = [tuple(d) for d in encounter.diagnoses]
    if encounter.main_diagnosis_code and all(c != encounter.main_diagnosis_code for c, _n in diagnoses):
        diagnoses.append((encounter.main_diagnosis_code, ""))
    if not diagnoses or any(matches(code, name, injury) for code, name in diagnoses):
        return []
    amount = to_fen(sum((line.amount for line in lines), Decimal(0)))
    named = "、".join(f"{name or ''}（{code}）".lstrip() for code, name in diagnoses)
    recognised = injury.diagnosis or injury.body_part or "、".join(injury.diagnosis_codes)
    return [Flag(
        rule=RULE, line_nos=tuple(line.line_no for line in lines), amount=amount, source=SOURCE,
        encounter_level=True,
        reason=(f"本次诊断{named}与认定的工伤（{recognised}）均不相符，全部费用{yuan(amount)}不属于工伤保险基金支付范围，"
                f"请按基本医疗保险办法结算。"))]
