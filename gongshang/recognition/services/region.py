"""Where an application is handled: the 统筹区 where the employer is insured (条例 第十七条: the
社会保险行政部门 of the 统筹区 where the employer takes part in insurance). The applicant may name a
district or county inside it (a local office, e.g. 曲阜市 inside 济宁市), never another 统筹区 or a
province."""

from gongshang.core.errors import FieldErrors
from gongshang.core.regions import full_name, pooling_region_of


def insured_region(application) -> str:
    """The pooling region of the employer's registration, else of the person's enrolment, else the case's."""
    for source in (application.employer, application.person):
        code = getattr(source, "region", "") or ""
        if code:
            return pooling_region_of(code) or code
    return application.case.region


def region_error(handling_region: str, insured: str) -> str:
    """"" when `handling_region` lies in the insured 统筹区, else what to choose instead."""
    if not handling_region:
        return ""
    pooling = pooling_region_of(handling_region)
    fix = f"请选择参保地统筹区“{full_name(insured)}”（{insured}）或其下辖区县"
    if pooling is None:
        return f"受理地区不能是省份或无效代码：工伤认定由参保地统筹区的社会保险行政部门受理，{fix}。"
    if pooling != insured:
        return (f"受理地区“{full_name(handling_region)}”不属于该单位的参保地统筹区：工伤认定应向参保地统筹区的"
                f"社会保险行政部门提出（条例第十七条），{fix}。")
    return ""


def check_region(application) -> str:
    """Raise FieldErrors naming `handling_region` when it is outside the insured 统筹区; else that 统筹区."""
    insured = insured_region(application)
    message = region_error(application.handling_region, insured)
    if message:
        raise FieldErrors({"handling_region": message}, message)
    return insured
