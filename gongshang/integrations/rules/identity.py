"""What each answer of the population register means for the flows that ask it (pure data).

- 增员 (employer enrolment): a wrong pair is refused, row by row in a batch; `unavailable` is
  accepted and shown to the 受理员 on the request (the employer is not held up by a register outage).
- 实名绑定 (an individual binds the account): a wrong pair is refused; `unavailable` is accepted
  (the insurance registry and the registered mobile number still have to match).
- 工伤快报: never refused (evidence first, 48 hours); the staff page of the report shows a warning.
"""

from ..choices import IdentityResult as R

REFUSED = frozenset({R.NAME_MISMATCH, R.NOT_FOUND, R.DECEASED})
FIX = "请核对身份证号和姓名是否与身份证一致"

# (field, message) of a refused 增员 row or request.
ENROLMENT_REFUSALS = {
    R.NAME_MISMATCH: ("name", f"姓名与身份证号不一致（公安人口库核验未通过），{FIX}。"),
    R.NOT_FOUND: ("id_number", f"公安人口库中查无此身份证号，{FIX}。"),
    R.DECEASED: ("id_number", f"该身份证号在公安人口库中登记为已死亡，不能增员；{FIX}。"),
}

BINDING_REFUSALS = {
    R.NAME_MISMATCH: f"身份核验未通过：公安人口库中该身份证号的姓名与填写的不一致。{FIX}；"
                     "参保登记的姓名有误时，请携带身份证到经办窗口更正。",
    R.NOT_FOUND: f"身份核验未通过：公安人口库中查无此身份证号。{FIX}；仍有问题请携带身份证到经办窗口办理。",
    R.DECEASED: "身份核验未通过：该身份证号在公安人口库中登记为已死亡，不能绑定。如登记有误，请携带身份证到经办窗口办理。",
}

# What staff see beside a person checked earlier (quick report, 增员 request); nothing for a match.
STAFF_WARNINGS = {
    R.NAME_MISMATCH: "身份核验：姓名与身份证号不一致，请核实",
    R.NOT_FOUND: "身份核验：人口库中查无此身份证号，请核实",
    R.DECEASED: "身份核验：该身份证号登记为已死亡，请核实",
    R.UNAVAILABLE: "身份核验：人口库暂不可用，未能核验，请核对身份证件",
}


def enrolment_refusal(result: str) -> tuple[str, str] | None:
    """(field, message) when a 增员 of this answer is refused, else None."""
    return ENROLMENT_REFUSALS.get(result)


def binding_refusal(result: str) -> str | None:
    return BINDING_REFUSALS.get(result)


def staff_warning(result: str | None) -> str:
    return STAFF_WARNINGS.get(result, "") if result else ""
