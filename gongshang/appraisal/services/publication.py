"""鉴定结论公示: a batch's conclusions published for the regional period (AppraisalSetting.publication_days),
the names masked (张*伟), with the employer, the kind and the result, as 潍坊 does; objections
recorded by staff. The public page reads PublishedConclusion only (one indexed query)."""

from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone

from gongshang.accounts.access import require
from gongshang.core.errors import CoreErrorCode, DomainError, FieldErrors

from ..models import (
    AppraisalBatch,
    AppraisalConclusion,
    AppraisalSetting,
    PublicationObjection,
    PublishedConclusion,
)
from ..rules import codes, workflow
from ..rules import conclusions as rules
from .conclusions import label_of, worker_name
from .transition import lock_batch, move_batch

DEFAULT_DAYS = 7
SHORT_KIND = {code: label.split("（")[0] for code, label in codes.KINDS.items()}


def publication_days(region: str, on) -> int:
    setting = (AppraisalSetting.objects.filter(region=region, valid_from__lte=on).exclude(valid_to__lt=on)
               .order_by("-valid_from").first())
    return setting.publication_days if setting else DEFAULT_DAYS


def line_for(conclusion, *, batch, published_on, visible_until) -> PublishedConclusion:
    case = conclusion.case
    return PublishedConclusion(
        conclusion=conclusion, batch=batch, region=batch.region,
        masked_name=rules.mask_public_name(worker_name(case))[:20],
        employer_name=(case.employer.name if case.employer_id else "")[:200],
        kind_label=SHORT_KIND.get(conclusion.application.kind, "")[:40], result_label=label_of(conclusion)[:100],
        published_on=published_on, visible_until=visible_until)


@transaction.atomic
def batch_publish(*, actor, batch) -> list[PublishedConclusion]:
    """公示 (from 现场鉴定已结束): one line per concluded application of the batch, visible until
    published_on + the regional period. The batch is published once, so it waits until every examined
    application of it is concluded: a conclusion made after the publication would never be published."""
    require(actor, "appraisal_batch", "publish")
    batch = lock_batch(batch)
    waiting = list(batch.applications.filter(status=workflow.EXAMINED).select_related("case")
                   .order_by("pk").values_list("case__number", flat=True)[:20])
    if waiting and workflow.BATCH_WORKFLOW.can("publish", batch.status):
        raise DomainError(CoreErrorCode.CONFLICT, f"本批次以下申请尚未作出鉴定结论，请全部作出结论后再公示：{'、'.join(waiting)}。",
                          status=409, details={"waiting": waiting})
    today = timezone.localdate()
    until = today + timedelta(days=publication_days(batch.region, today))
    conclusions = list(AppraisalConclusion.objects.filter(
        application__batch=batch, application__status__in=(workflow.CONCLUDED, workflow.DELIVERED),
        publication__isnull=True).select_related("case__person", "case__employer", "application"))
    move_batch(actor, batch, "publish", changes={"published_on": today, "publication_until": until},
               details={"lines": len(conclusions)})
    lines = [line_for(c, batch=batch, published_on=today, visible_until=until) for c in conclusions]
    return PublishedConclusion.objects.bulk_create(lines)


@transaction.atomic
def objection_record(*, actor, publication, raised_by: str, text: str, contact: str = "") -> PublicationObjection:
    """公示异议: who raised it, how to reach them, what they say (kept encrypted)."""
    require(actor, "appraisal_publication", "record_objection")
    errors = {}
    if not (raised_by or "").strip():
        errors["raised_by"] = "请填写异议人姓名或单位"
    if not (text or "").strip():
        errors["text"] = "请填写异议内容"
    if errors:
        raise FieldErrors(errors)
    from gongshang.core.audit import record_event

    row = PublicationObjection.objects.create(publication=publication, raised_by=raised_by.strip()[:100],
                                              contact=(contact or "").strip()[:100], text=text.strip(),
                                              recorded_by=actor)
    record_event(actor=actor, event_type="appraisal_publication.objection", target=row, region=publication.region,
                 details={"publication": publication.pk, "batch": publication.batch_id})
    return row


# --- the public list ------------------------------------------------------------------------------------

COUNT_CAP = 1000
PAGE_SIZE = 20


def public_lines(*, region: str = "", batch: str = "", today=None):
    """Lines within their period, newest first: WHERE visible_until >= today AND published_on <= today
    ORDER BY visible_until DESC, published_on DESC — the order of the index (region, visible_until,
    published_on), so a page is read from the index without sorting the whole table. One batch's
    lines in the order they were published."""
    today = today or timezone.localdate()
    rows = PublishedConclusion.objects.filter(visible_until__gte=today, published_on__lte=today)
    if region:
        rows = rows.filter(region=region)
    if batch:  # the batch's id first: then the lines of one batch are read by the batch_id index
        batch_id = AppraisalBatch.objects.filter(number=batch.strip()).values_list("pk", flat=True).first()
        # One batch's lines share their dates: ordered by id, read through the batch_id index.
        return rows.filter(batch_id=batch_id).order_by("pk") if batch_id else rows.none()
    return rows.order_by("-visible_until", "-published_on", "-pk")


def _capped_count(rows) -> int:
    """COUNT(*) over at most COUNT_CAP + 1 rows: SELECT COUNT(*) FROM (SELECT 1 … LIMIT 1001)."""
    if rows.query.is_empty():
        return 0
    sql, params = rows.order_by().values("pk")[:COUNT_CAP + 1].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM ({sql}) capped", params)  # noqa: S608 — the ORM's own SQL; values are parameters
        return cursor.fetchone()[0]


def public_page(*, region: str = "", batch: str = "", page: int = 1, size: int = PAGE_SIZE, today=None) -> dict:
    """One page and a capped count (exact up to COUNT_CAP, then "1000+"): no full COUNT(*) on a big table."""
    page = max(1, int(page or 1))
    size = max(1, min(int(size or PAGE_SIZE), 100))
    rows = public_lines(region=region, batch=batch, today=today)
    offset = (page - 1) * size
    items = list(rows.values("pk", "batch__number", "region", "masked_name", "employer_name", "kind_label",
                             "result_label", "published_on", "visible_until")[offset:offset + size + 1])
    has_next = len(items) > size
    items = items[:size]
    count = _capped_count(rows)
    return {"items": items, "page": page, "size": size, "has_next": has_next, "has_previous": page > 1,
            "count": min(count, COUNT_CAP), "count_capped": count > COUNT_CAP}
