"""工伤预防 plans, projects and the report as plain dicts (API bodies, pages, CSV)."""

from __future__ import annotations

from django.utils import timezone

from gongshang.core.money import fen_str

from ..selectors.prevention import CapSummary, CountyRow, IndustryRow, Report, county_name


def _when(value) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


def _who(user) -> str:
    return str(user) if user is not None else ""


def _money(value) -> str | None:
    return fen_str(value) if value is not None else None


def plan_dict(plan) -> dict:
    return {
        "id": plan.pk, "region": plan.region, "county": plan.county, "county_name": county_name(plan.county),
        "year": plan.year, "title": plan.title, "budget": fen_str(plan.budget),
        "priority_industries": plan.priority_industries, "summary": plan.summary,
        "status": plan.status, "status_label": plan.get_status_display(),
        "submitted_by": _who(plan.submitted_by), "submitted_at": _when(plan.submitted_at),
        "decided_by": _who(plan.decided_by), "decided_at": _when(plan.decided_at),
        "return_reason": plan.return_reason, "created_by": _who(plan.created_by), "created_at": _when(plan.created_at),
    }


def project_dict(project) -> dict:
    return {
        "id": project.pk, "plan_id": project.plan_id, "plan_title": project.plan.title, "year": project.plan.year,
        "county": project.plan.county, "county_name": county_name(project.plan.county),
        "title": project.title, "kind": project.kind, "kind_label": project.get_kind_display(),
        "industry": project.industry, "budget": fen_str(project.budget),
        "status": project.status, "status_label": project.get_status_display(),
        "contractor": project.contractor, "contract_no": project.contract_no,
        "contract_amount": _money(project.contract_amount), "delivered_at": _when(project.delivered_at),
        "accepted_by": _who(project.accepted_by), "accepted_at": _when(project.accepted_at),
        "evaluation_score": str(project.evaluation_score) if project.evaluation_score is not None else None,
        "payable_amount": _money(project.payable_amount),
        "paid_by": _who(project.paid_by), "paid_at": _when(project.paid_at),
        "created_at": _when(project.created_at),
    }


def cap_dict(cap: CapSummary) -> dict:
    return {
        "year": cap.year, "income_year": cap.income_year, "income": _money(cap.income),
        "percent": str(cap.percent), "cap": _money(cap.cap), "approved": fen_str(cap.approved),
        "remaining": _money(cap.remaining),
    }


def industry_dict(row: IndustryRow) -> dict:
    return {"industry": row.industry, "industry_label": row.industry_label, "rate_class": row.rate_class,
            "rate_class_label": row.rate_class_label, "cases": row.cases, "insured": row.insured,
            "rate_per_thousand": str(row.rate) if row.rate is not None else None}


def county_dict(row: CountyRow) -> dict:
    spend = row.spend_percent
    return {"county": row.county, "county_name": row.county_name, "plan_id": row.plan_id,
            "plan_status": row.plan_status, "plan_status_label": row.plan_status_label,
            "budget": fen_str(row.budget), "approved": fen_str(row.approved), "contracted": fen_str(row.contracted),
            "paid": fen_str(row.paid), "spend_percent": str(spend) if spend is not None else None,
            "projects": dict(row.projects), "sessions": row.sessions, "trainees": row.trainees}


def report_dict(report: Report) -> dict:
    return {"year": report.year, "cap": cap_dict(report.cap), "counties": [county_dict(r) for r in report.rows],
            "total": county_dict(report.total)}


CSV_HEADER = ["县（市、区）", "计划状态", "计划预算（元）", "已立项（元）", "已签合同（元）", "已拨付（元）",
              "拨付占预算（%）", "项目情况", "培训班次", "培训人次"]


def report_csv_rows(report: Report) -> list[list[str]]:
    rows = []
    for row in [*report.rows, report.total]:
        data = county_dict(row)
        projects = "；".join(f"{label}{n}个" for label, n in row.projects.items())
        rows.append([row.county_name, row.plan_status_label, data["budget"], data["approved"], data["contracted"],
                     data["paid"], data["spend_percent"] or "", projects, str(row.sessions), str(row.trainees)])
    return rows
