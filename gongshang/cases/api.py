"""我的工伤 API: the caller's cases, stage by stage (a worker's own; an employer's employees')."""

from django.urls import reverse
from ninja import Query, Router

from gongshang.accounts.access import api_permit
from gongshang.api.auth import bearer
from gongshang.api.pagination import PageParams, count_fields

from . import journey
from .schemas import MyCasesPageOut

me_router = Router(tags=["我的工伤"], auth=bearer)


def case_out(j: journey.Journey) -> dict:
    return {"case_number": j.case.number, "url": reverse("cases:detail", args=[j.case.pk]), "who": j.who,
            "current_stage": j.current,
            "stages": [{"stage": s.key, "label": s.label, "status": s.status, "status_text": s.text,
                        "due_date": s.due_date, "due_label": s.due_label} for s in j.stages],
            "next_action": j.next_action, "next_due": j.next_due,
            "actions": [{"text": a.text, "url": a.url} for a in j.actions], "latest_payment": j.latest_payment}


@me_router.get("/cases", response=MyCasesPageOut, summary="我的工伤：本人（或本单位职工）的案件及各环节进度")
@api_permit("home", "my_cases")
def my_cases(request, page: Query[PageParams]):
    rows = journey.my_cases(actor=request.auth)
    limit, offset = page.limit, page.offset
    items = journey.journeys(actor=request.auth, cases=rows[offset:offset + limit])
    return {**count_fields(rows), "limit": limit, "offset": offset, "items": [case_out(j) for j in items]}
