"""Shaping answers for the API (amounts as strings to the fen)."""

from gongshang.core.money import fen_str

from .choices import BenefitType, Payer


def entitlement_out(e) -> dict:
    return {"id": e.pk, "case": e.case_id, "case_number": e.case.number, "beneficiary_name": e.beneficiary_name,
            "beneficiary_relation": e.beneficiary_relation, "benefit_type": e.benefit_type,
            "benefit_name": e.get_benefit_type_display(), "period": e.period_kind, "payer": e.payer,
            "amount": fen_str(e.amount), "start_month": f"{e.start_month:%Y-%m}",
            "end_month": f"{e.end_month:%Y-%m}" if e.end_month else None, "status": e.status, "basis": e.basis,
            "formula": e.formula, "parameters_used": e.parameters_used}


def deadline_out(info: dict) -> dict:
    return {"release_deadline": str(info["release_deadline"]), "days_left": info["days_left"],
            "overdue": info["overdue"], "released_late": info["released_late"], "warnings": info["warnings"]}


def run_out(run, totals: dict, deadline: dict | None = None) -> dict:
    names, payers = dict(BenefitType.choices), dict(Payer.choices)
    by_payer: dict[str, dict] = {}
    for row in totals["by_type"]:
        slot = by_payer.setdefault(row["payer"], {"payer": row["payer"], "count": 0, "amount": 0})
        slot["count"] += row["count"]
        slot["amount"] += row["amount"]
    return {
        "id": run.pk, "region": run.region, "period": f"{run.period:%Y-%m}", "status": run.status,
        "status_name": run.get_status_display(),
        "created_by": str(run.created_by), "approved_by": str(run.approved_by or ""),
        "released_by": str(run.released_by or ""),
        "total": {"count": totals["all"]["count"], "amount": fen_str(totals["all"]["amount"])},
        "by_benefit_type": [{"benefit_type": r["benefit_type"], "name": str(names.get(r["benefit_type"], "")),
                             "payer": r["payer"], "count": r["count"], "amount": fen_str(r["amount"])}
                            for r in totals["by_type"]],
        "by_payer": [{"payer": p, "name": str(payers.get(p, p)), "count": v["count"], "amount": fen_str(v["amount"])}
                     for p, v in sorted(by_payer.items())],
        "by_status": {k: {"count": v["count"], "amount": fen_str(v["amount"])} for k, v in totals["by_status"].items()},
        "by_kind": {k: {"count": v["count"], "amount": fen_str(v["amount"] or 0)}
                    for k, v in totals.get("by_kind", {}).items()},
        **(deadline_out(deadline) if deadline else {}),
    }


def bank_return_out(result, run_totals: dict) -> dict:
    outstanding = run_totals["by_status"].get("sent", {"count": 0, "amount": 0})
    return {"id": result.pk, "run": result.run_id, "run_status": result.run.status,
            "paid": {"count": result.paid_count, "amount": fen_str(result.paid_total)},
            "failed": {"count": result.failed_count, "amount": fen_str(result.failed_total)},
            "outstanding": {"count": outstanding["count"], "amount": fen_str(outstanding["amount"])},
            "rejected_lines": result.rejected}
