"""夜间费用复核 (issue item 5, nightly): the SQL-expressible audit rules re-run, set-based, over every
line of the encounters settled since the last run (or in a given range), to find what slipped
through at settlement (a catalogue corrected afterwards, a cap entered late, a stay settled before
the earlier one was uploaded).

It writes LineFlag rows with source "nightly" and marks the encounters `flagged` for the review
queue; it never changes a settled amount (the reviewer deducts). Idempotent: a rule already
flagged on a line (by the settle service or an earlier night) is not flagged again.

The rules follow rules/audit/ (same definitions, same boundaries): out_of_catalogue,
over_price_cap, frequency, swapped_item, idle_stay (per bed/meal line of the window), split_stay
(one row per encounter, no line, amount 0). Portable SQL for SQLite and PostgreSQL: INSERT ...
SELECT with parameters, a few vendor fragments (local date, day difference, LEAST/GREATEST). The
work is two temporary tables (the lines in scope with their resolved catalogue versions, the
encounters with their regional parameters) and one INSERT per rule: no Python loop over rows.
On SQLite decimal arithmetic is floating point in SQL, so a nightly amount may differ by a fen
from the settle service's; PostgreSQL's numeric is exact.

The run is recorded as an audit event ("medical.nightly_audit", details: since, until, counts);
the next automatic run starts at the last one's `until`."""

# ruff: noqa: S608 — only table names from model metadata, fixed rule codes and vendor fragments are formatted
# in; every value (dates, source, time) is a parameter.
from __future__ import annotations

from datetime import datetime, timedelta

from django.db import connection, transaction
from django.utils import timezone

from gongshang.core.audit import record_event
from gongshang.core.models.audit import AuditEvent

from ..models import BillLine, CatalogueItem, Encounter, LineFlag, MedicalSetting

SOURCE_NIGHTLY = "nightly"
EVENT = "medical.nightly_audit"
EVENT_RANGE = "medical.nightly_audit_range"
ACTOR_LABEL = "系统（夜间费用复核）"
EPOCH = datetime(2000, 1, 1, tzinfo=timezone.get_fixed_timezone(0))
COMMIT_MARGIN = timedelta(minutes=10)
LOCK_KEY = 0x4D45444E  # pg_advisory_xact_lock key of the nightly audit ("MEDN")


class _Sql:
    """The few fragments that differ between SQLite and PostgreSQL."""

    def __init__(self, vendor: str):
        self.pg = vendor == "postgresql"

    def local_date(self, col: str) -> str:
        # Asia/Shanghai has had no daylight saving since 1991: +8 hours is exact
        return f"(({col}) AT TIME ZONE 'Asia/Shanghai')::date" if self.pg else f"date({col}, '+8 hours')"

    def days(self, a: str, b: str) -> str:
        return f"({a} - {b})" if self.pg else f"CAST(julianday({a}) - julianday({b}) AS INTEGER)"

    def add_hours(self, ts: str, hours: str) -> str:
        return f"({ts} + ({hours}) * INTERVAL '1 hour')" if self.pg else f"datetime({ts}, '+' || ({hours}) || ' hours')"

    def least(self, *args: str) -> str:
        return f"{'LEAST' if self.pg else 'MIN'}({', '.join(args)})"

    def greatest(self, *args: str) -> str:
        return f"{'GREATEST' if self.pg else 'MAX'}({', '.join(args)})"

    def money(self, col: str) -> str:
        return f"CAST(ROUND({col}, 2) AS TEXT)" if self.pg else f"printf('%%.2f', {col})"

    def text(self, col: str) -> str:
        return f"CAST({col} AS TEXT)"

    def number(self, col: str) -> str:
        # a quantity in a sentence without trailing zeros ("2", not "2.00"; trim_scale: PostgreSQL 13+)
        return f"CAST(trim_scale({col}) AS TEXT)" if self.pg else f"CAST({col} AS TEXT)"

    @property
    def timestamp(self) -> str:
        return "TIMESTAMP WITH TIME ZONE" if self.pg else "TIMESTAMP"


def _tables() -> dict[str, str]:
    return {"line": BillLine._meta.db_table, "enc": Encounter._meta.db_table, "cat": CatalogueItem._meta.db_table,
            "flag": LineFlag._meta.db_table, "setting": MedicalSetting._meta.db_table,
            "t": "medical_nightly_lines", "te": "medical_nightly_encounters"}


def last_run_until() -> datetime | None:
    event = AuditEvent.objects.filter(event_type=EVENT).order_by("-at", "-id").first()
    if event is None or not event.details.get("until"):
        return None
    return datetime.fromisoformat(event.details["until"])


def nightly_audit(*, since: datetime | None = None, until: datetime | None = None) -> dict[str, int]:
    """Run the SQL audit over the lines of the encounters settled in [since, until). Without a range:
    since the last automatic run (or ever) until 10 minutes ago (COMMIT_MARGIN), and the run becomes
    the next one's start.
    Returns the number of new flags per rule."""
    automatic = since is None and until is None
    q = _Sql(connection.vendor)
    n = _tables()
    counts: dict[str, int] = {}
    # raw parameters: the backend's own form of an aware datetime (SQLite stores UTC text)
    adapt = connection.ops.adapt_datetimefield_value
    with transaction.atomic(), connection.cursor() as cursor:
        if q.pg:
            # one run at a time (the timer and an operator): NOT EXISTS does not see another run's
            # uncommitted flags; SQLite serialises writers by itself
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
        # read after the lock: a run that waited starts where the one before it ended
        now = timezone.now()
        # an automatic run stops a margin before now: a settlement still in its transaction (its
        # settled_at just before now, committed after this run's snapshot) is the next run's
        until = until or now - COMMIT_MARGIN
        since = since or (last_run_until() if automatic else None) or EPOCH
        _scope(cursor, q, n, adapt(since), adapt(until))
        for rule, (sql, params) in _rules(q, n, adapt(now)).items():
            cursor.execute(sql, params)
            counts[rule] = max(cursor.rowcount, 0)
        cursor.execute(f"UPDATE {n['enc']} SET flagged = %s WHERE flagged = %s AND id IN "
                       f"(SELECT encounter_id FROM {n['flag']} WHERE source = %s AND created_at = %s)",
                       [True, False, SOURCE_NIGHTLY, adapt(now)])
        counts["encounters_flagged"] = max(cursor.rowcount, 0)
        cursor.execute(f"DROP TABLE {n['t']}")
        cursor.execute(f"DROP TABLE {n['te']}")
        record_event(actor=None, event_type=EVENT if automatic else EVENT_RANGE, actor_label=ACTOR_LABEL,
                     details={"since": since.isoformat(), "until": until.isoformat(), "counts": counts})
    return counts


def _scope(cursor, q: _Sql, n: dict, since, until) -> None:
    """The lines of the encounters settled in the range, each with the catalogue version valid on its
    day for the billed and the ordered code (the 统筹区's row wins, then the latest valid_from)."""
    cursor.execute(f"DROP TABLE IF EXISTS {n['t']}")
    cursor.execute(f"DROP TABLE IF EXISTS {n['te']}")
    cursor.execute(f"""CREATE TEMPORARY TABLE {n['t']} (
        line_id BIGINT, encounter_id BIGINT, line_no INTEGER, catalogue_code VARCHAR(50), ordered_code VARCHAR(50),
        category VARCHAR(16), quantity NUMERIC(12, 3), unit_price NUMERIC(14, 4), amount NUMERIC(14, 2),
        occurred_at {q.timestamp}, day DATE, admit_day DATE, entry_id BIGINT, ordered_entry_id BIGINT)""")
    cursor.execute(f"""CREATE TEMPORARY TABLE {n['te']} (
        encounter_id BIGINT, case_id BIGINT, kind VARCHAR(16), main_dx VARCHAR(20), admitted_at {q.timestamp},
        admit_day DATE, window_end {q.timestamp}, readmission_days INTEGER, idle_hours INTEGER)""")
    day = q.local_date("l.occurred_at")
    region = "COALESCE(NULLIF(e.treatment_region, ''), e.region)"

    def version(code: str) -> str:
        # rehabilitation items and devices: the province's rows only (as settlement.PROVINCE_KINDS)
        return (f"(SELECT c.id FROM {n['cat']} c WHERE c.code = {code} AND c.region IN ({region}, '') "
                f"AND (c.region = '' OR c.kind NOT IN ('rehabilitation', 'device')) "
                f"AND c.valid_from <= {day} AND (c.valid_to IS NULL OR c.valid_to >= {day}) "
                f"ORDER BY c.region DESC, c.valid_from DESC LIMIT 1)")

    cursor.execute(f"""INSERT INTO {n['t']} SELECT l.id, l.encounter_id, l.line_no, l.catalogue_code, l.ordered_code,
        l.category, l.quantity, l.unit_price, l.amount, l.occurred_at, {day}, {q.local_date('e.admitted_at')},
        {version('l.catalogue_code')},
        CASE WHEN l.ordered_code <> '' AND l.ordered_code <> l.catalogue_code THEN {version('l.ordered_code')} END
        FROM {n['line']} l JOIN {n['enc']} e ON e.id = l.encounter_id
        WHERE e.settled_at IS NOT NULL AND e.settled_at >= %s AND e.settled_at < %s""", [since, until])
    cursor.execute(f"CREATE INDEX {n['t']}_enc ON {n['t']} (encounter_id, category, occurred_at)")
    admit_day = q.local_date("e.admitted_at")

    def setting(column: str, default: int) -> str:
        return (f"COALESCE((SELECT s.{column} FROM {n['setting']} s WHERE s.region = e.region "
                f"AND s.valid_from <= {admit_day} AND (s.valid_to IS NULL OR s.valid_to >= {admit_day}) "
                f"ORDER BY s.valid_from DESC LIMIT 1), {default})")

    cursor.execute(f"""INSERT INTO {n['te']} SELECT e.id, e.case_id, e.kind, e.main_diagnosis_code, e.admitted_at,
        {admit_day}, NULL, {setting('readmission_days', 15)}, {setting('idle_stay_hours', 48)}
        FROM {n['enc']} e WHERE e.settled_at IS NOT NULL AND e.settled_at >= %s AND e.settled_at < %s""",
                   [since, until])
    cursor.execute(f"UPDATE {n['te']} SET window_end = {q.add_hours('admitted_at', 'idle_hours')}")


def _insert(n: dict, select: str) -> str:
    return (f"INSERT INTO {n['flag']} (encounter_id, line_id, rule, reason, amount, source, created_at) {select}")


def _not_flagged(n: dict, rule: str, line: str = "t.line_id") -> str:
    return f"NOT EXISTS (SELECT 1 FROM {n['flag']} f WHERE f.line_id = {line} AND f.rule = '{rule}')"


def _rules(q: _Sql, n: dict, now) -> dict[str, tuple[str, list]]:
    no = q.text("t.line_no")
    head = f"'夜间复核：第' || {no} || '行'"
    rules = {}
    rules["out_of_catalogue"] = (_insert(n, f"""SELECT t.encounter_id, t.line_id, 'out_of_catalogue',
        {head} || '（编码' || t.catalogue_code || '）不在当日有效的工伤保险目录内，该行' || {q.money('t.amount')}
        || '元不应由基金支付。', t.amount, %s, %s FROM {n['t']} t
        WHERE t.entry_id IS NULL AND {_not_flagged(n, 'out_of_catalogue')}"""), [SOURCE_NIGHTLY, now])

    excess = "ROUND((t.unit_price - c.price_cap) * t.quantity, 2)"
    rules["over_price_cap"] = (_insert(n, f"""SELECT t.encounter_id, t.line_id, 'over_price_cap',
        {head} || '单价' || {q.money('t.unit_price')} || '元，超过最高限价' || {q.money('c.price_cap')}
        || '元，超出部分' || {q.money(q.least('t.amount', excess))} || '元不应由基金支付。',
        {q.least('t.amount', excess)}, %s, %s FROM {n['t']} t JOIN {n['cat']} c ON c.id = t.entry_id
        WHERE c.price_cap IS NOT NULL AND t.unit_price > c.price_cap AND {excess} > 0
        AND {_not_flagged(n, 'over_price_cap')}"""), [SOURCE_NIGHTLY, now])

    block = f"{q.greatest(q.days('t.day', 't.admit_day'), '0')} / {q.greatest('c.frequency_days', '1')}"
    allowed = q.greatest("x.lim", "x.used - x.quantity")
    extra = q.least("x.quantity", q.greatest(f"x.used - {allowed}", "0"))
    # the excess units at the price the fund would pay (the cap when the price is above it), as
    # rules/audit/frequency.py: 超限价 on the same line is not counted twice
    paid_price = q.least("x.unit_price", "COALESCE(x.cap, x.unit_price)")
    frequency_amount = q.least("x.amount", f"ROUND({extra} * {paid_price}, 2)")
    rules["frequency"] = (_insert(n, f"""SELECT x.encounter_id, x.line_id, 'frequency',
        '夜间复核：第' || {q.text('x.line_no')} || '行超过限定使用数量（每' || {q.text('x.fd')} || '天限'
        || {q.number('x.lim')} || '），超出的数量共' || {q.money(frequency_amount)}
        || '元不应由基金支付。', {frequency_amount}, %s, %s
        FROM (SELECT t.*, c.frequency_limit AS lim, c.frequency_days AS fd, c.price_cap AS cap,
                     SUM(t.quantity) OVER (PARTITION BY t.encounter_id, t.catalogue_code, {block}
                                           ORDER BY t.occurred_at, t.line_no ROWS UNBOUNDED PRECEDING) AS used
              FROM {n['t']} t JOIN {n['cat']} c ON c.id = t.entry_id WHERE c.frequency_limit IS NOT NULL) x
        WHERE {extra} > 0 AND {_not_flagged(n, 'frequency', 'x.line_id')}"""), [SOURCE_NIGHTLY, now])

    diff = "ROUND((t.unit_price - o.price_cap) * t.quantity, 2)"
    swapped_amount = (f"CASE WHEN o.id IS NULL OR o.price_cap IS NULL THEN t.amount "
                      f"WHEN t.unit_price > o.price_cap THEN {q.least('t.amount', diff)} ELSE 0 END")
    rules["swapped_item"] = (_insert(n, f"""SELECT t.encounter_id, t.line_id, 'swapped_item',
        {head} || '按编码' || t.catalogue_code || '收费，但医嘱项目编码为' || t.ordered_code
        || '，疑似串换项目，涉及金额' || {q.money(swapped_amount)} || '元，请审核人员核实。',
        {swapped_amount}, %s, %s FROM {n['t']} t LEFT JOIN {n['cat']} o ON o.id = t.ordered_entry_id
        WHERE t.ordered_code <> '' AND t.ordered_code <> t.catalogue_code
        AND {_not_flagged(n, 'swapped_item')}"""), [SOURCE_NIGHTLY, now])

    rules["idle_stay"] = (_insert(n, f"""SELECT t.encounter_id, t.line_id, 'idle_stay',
        {head} || '为入院后' || {q.text('te.idle_hours')} || '小时内的床位费或伙食费，该时段没有药品、诊疗项目或耗材费用，'
        || '疑似挂床住院，涉及' || {q.money('t.amount')} || '元，请审核人员核实。', t.amount, %s, %s
        FROM {n['t']} t JOIN {n['te']} te ON te.encounter_id = t.encounter_id
        WHERE te.kind = 'inpatient' AND t.category IN ('bed', 'meal') AND t.occurred_at < te.window_end
        AND NOT EXISTS (SELECT 1 FROM {n['t']} t2 WHERE t2.encounter_id = t.encounter_id
                        AND t2.category IN ('drug', 'service', 'material') AND t2.occurred_at < te.window_end)
        AND {_not_flagged(n, 'idle_stay')}"""), [SOURCE_NIGHTLY, now])

    gap = q.days("te.admit_day", q.local_date("p.discharged_at"))
    rules["split_stay"] = (_insert(n, f"""SELECT te.encounter_id, NULL, 'split_stay',
        '夜间复核：出院后' || {q.text('te.readmission_days')} || '天内以相同主诊断（' || te.main_dx
        || '）再次入院，疑似分解住院；不自动扣减，请审核人员核实。', 0, %s, %s
        FROM {n['te']} te WHERE te.kind = 'inpatient' AND te.main_dx <> ''
        AND EXISTS (SELECT 1 FROM {n['enc']} p WHERE p.case_id = te.case_id AND p.id <> te.encounter_id
                    AND p.kind = 'inpatient' AND p.main_diagnosis_code = te.main_dx AND p.discharged_at IS NOT NULL
                    AND p.discharged_at <= te.admitted_at AND {gap} BETWEEN 0 AND te.readmission_days)
        AND NOT EXISTS (SELECT 1 FROM {n['flag']} f WHERE f.encounter_id = te.encounter_id AND f.line_id IS NULL
                        AND f.rule = 'split_stay')"""), [SOURCE_NIGHTLY, now])
    return rules
