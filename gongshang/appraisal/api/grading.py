"""伤残等级辅助 API (GB/T 16180-2014): the combination rule and the standard's item table.

Thin: parse, call the pure rules (rules/grading.py), shape. No database: the table is a data file.
"""


from ninja import Field, Query, Router, Schema
from pydantic import StrictInt

from gongshang.accounts.access import api_permit
from gongshang.api.auth import bearer
from gongshang.api.pagination import PageParams
from gongshang.api.schemas import ApiSchema
from gongshang.core.errors import FieldErrors

from ..choices import ExpertCategory
from ..rules import grading
from ..schemas.choice import choice
from ..standard import loader

router = Router(tags=["劳动能力鉴定"], auth=bearer)
Category = choice({c: str(label) for c, label in ExpertCategory.choices}, "门类", blank="不限")

MAX_INJURIES = 50
BOTH_OR_NEITHER = "请填写 grades（各项伤残等级）或 items（标准条目编号）两者之一，不能都填，也不能都不填。"


class GradeIn(ApiSchema):
    grades: list[StrictInt] | None = Field(
        None, max_length=MAX_INJURIES, description="各项伤残单独评定的等级，1～10（一级最重），例如 [7, 9]")
    items: list[str] | None = Field(
        None, max_length=MAX_INJURIES, description="专家对照的标准条目编号（见 /standard-items），例如 [\"5.7.2.16\"]")


class GradeOut(Schema):
    grade: int = Field(description="综合定级，1～10（一级最重）")
    grade_label: str = Field(description="等级名称，例如「七级」")
    rule: str = Field(description="适用的规则（面向用户的说明）")
    basis: list[str] = Field(description="依据：条款及各项伤残（或所用标准条目）")


class StandardItemOut(Schema):
    code: str = Field(description="条目编号：5.N.2.k 即第 5.N.2 条（N 级条款系列）第 k 项")
    grade: int
    category: str
    category_label: str
    text: str


class StandardItemPageOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[StandardItemOut]


@router.post("/grade", response=GradeOut,
             summary="综合定级（GB/T 16180-2014 4.2 晋级原则）：填各项等级 grades 或标准条目 items")
@api_permit("appraisal_standard", "view")
def grade_combine(request, payload: GradeIn):
    if (payload.grades is None) == (payload.items is None):
        raise FieldErrors({"grades": BOTH_OR_NEITHER, "items": BOTH_OR_NEITHER})
    try:
        if payload.items is not None:
            result = grading.grade_from_items(payload.items)
        else:
            result = grading.combine(payload.grades)
    except grading.GradingInputError as err:
        raise FieldErrors({err.field: err.message}) from None
    return {"grade": result.grade, "grade_label": grading.grade_name(result.grade), "rule": result.rule,
            "basis": list(result.basis)}


@router.get("/standard-items", response=StandardItemPageOut,
            summary="GB/T 16180-2014 标准条目查询：q 部位或文字（空格分隔的词都须出现），grade 等级，category 门类")
@api_permit("appraisal_standard", "view")
def standard_items(request, page: Query[PageParams], q: str = Query("", max_length=100, description="部位或文字"),
                   grade: int | None = Query(None, ge=1, le=10, description="等级 1～10"),
                   category: Category = ""):
    rows = grading.search(q, grade=grade, category=category or None)
    limit, offset = page.limit, page.offset
    labels = loader.category_labels()
    return {"count": len(rows), "limit": limit, "offset": offset,
            "items": [{"code": i.code, "grade": i.grade, "category": i.category, "category_label": labels[i.category],
                       "text": i.text} for i in rows[offset:offset + limit]]}
