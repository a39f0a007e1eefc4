"""The scale data set of bench/scale.py: set-based generation on PostgreSQL.

Persons and employers come through COPY from Python (their ID numbers, USCCs and blind indexes
must be real: Fernet and HMAC run at ~400,000 values/s, so 1,000,000 persons cost seconds);
every other table is one INSERT … SELECT over generate_series or over the rows already loaded.
Row k of a table (0-based) is derived from k only, so the same factor gives the same data.

Columns not named by a generator get the model field's default (NULL, '', false, [] …), so a
field added later with a default does not break the generator.
"""

import json
import time
from datetime import date

from django.db import connection, transaction
from django.db.models import NOT_PROVIDED

MAIN_REGION = "370200"
# k → region: 85 % the demo region, the rest spread over three others.
REGION_SQL = ("(CASE WHEN mod({k}, 20) < 17 THEN '370200' WHEN mod({k}, 20) = 17 THEN '370100' "
              "WHEN mod({k}, 20) = 18 THEN '370300' ELSE '370700' END)")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志文海燕鹏飞雪梅春晓东辉"
COUNTS = {  # full size (factor 1)
    "employers": 50_000, "big_employer_staff": 10_000, "persons": 1_000_000, "contribution_months": 12,
    "cases": 1_000_000, "recognitions": 300_000, "entitlements": 200_000, "audit_events": 10_000_000,
    "bench_staff": 200,
}
CONTRIBUTION_FIRST_MONTH = date(2025, 12, 1)
PAYROLL_PERIOD = date(2026, 11, 1)
EPOCH = "2021-01-01 08:00:00+08"  # dates spread from here over ~6 years
SPAN_DAYS = 2160  # EPOCH + SPAN_DAYS is mid-December 2026


def counts(factor: float) -> dict[str, int]:
    out = {name: max(1, int(round(n * factor))) for name, n in COUNTS.items()}
    out["contribution_months"] = 12
    out["bench_staff"] = max(5, out["bench_staff"])
    out["employers"] = max(2, out["employers"])
    out["big_employer_staff"] = min(out["big_employer_staff"], out["persons"] // 2)
    return out


def name_for(k: int) -> str:
    """A two- or three-character name; names repeat (as they do), a surname search finds many."""
    surname = SURNAMES[k % len(SURNAMES)]
    given = GIVEN[(k // len(SURNAMES)) % len(GIVEN)]
    if k % 3:
        given += GIVEN[(k // (len(SURNAMES) * len(GIVEN))) % len(GIVEN)]
    return surname + given


def table(model) -> str:
    return model._meta.db_table


def _defaults(model, given: dict) -> tuple[list[str], list[str], list]:
    """Columns, SQL expressions and params for the fields of `model` not in `given`: their defaults."""
    columns, exprs, params = [], [], []
    for field in model._meta.concrete_fields:
        if field.primary_key or field.column in given:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            value = connection.ops.adapt_datetimefield_value(_now())
        elif field.default is not NOT_PROVIDED or field.null:
            value = field.get_db_prep_save(field.get_default(), connection)
        elif field.empty_strings_allowed:
            value = ""
        else:
            raise SystemExit(f"{model.__name__}.{field.name} has no default: the generator must give it")
        if isinstance(value, (list, dict)):
            value = json.dumps(value)
        columns.append(field.column)
        exprs.append("%s")
        params.append(value)
    return columns, exprs, params


def insert_select(model, given: dict[str, str], source: str, params: list | None = None) -> int:
    """INSERT INTO <model> (given + defaults) SELECT <given exprs>, <defaults> <source>; the row count.
    `given` maps column → SQL expression; `params` are those of the given expressions (`source`, the
    FROM … part, takes none: write %% for %)."""
    columns, exprs, default_params = _defaults(model, given)
    sql = (f"INSERT INTO {table(model)} ({', '.join([*given, *columns])}) "
           f"SELECT {', '.join([*given.values(), *exprs])} {source}")
    with connection.cursor() as cursor:
        cursor.execute(sql, [*(params or []), *default_params])
        return cursor.rowcount


def copy_rows(model, given: tuple[str, ...], rows) -> int:
    """COPY rows (tuples in the order of `given`, defaults appended) into <model>; the row count."""
    columns, _exprs, default_params = _defaults(model, {c: "" for c in given})
    count = 0
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY {table(model)} ({', '.join([*given, *columns])}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row((*row, *default_params))
                count += 1
    return count


def _now():
    from django.utils import timezone

    return timezone.now()


def first_id(model) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT min(id), max(id), count(*) FROM {table(model)}")  # noqa: S608
        low, high, n = cursor.fetchone()
    if n and high - low + 1 != n:
        raise SystemExit(f"{model.__name__}: ids are not contiguous; build into a fresh database")
    return low or 0


class Builder:
    """One build: counts, the ids of the first row of each table, the users, the per-table timings."""

    def __init__(self, factor: float):
        self.n = counts(factor)
        self.timings: list[tuple[str, int, float]] = []
        self.users: dict[str, int] = {}

    def restore(self) -> None:
        """The state of a build interrupted after some steps (each step commits): ids and users."""
        from gongshang.accounts.models import User
        from gongshang.cases.models import Accident, InjuryCase
        from gongshang.recognition.models import RecognitionApplication
        from gongshang.registry.models import Employer, InsuredPerson

        self.e0, self.p0 = first_id(Employer), first_id(InsuredPerson)
        self.a0, self.c0, self.r0 = first_id(Accident), first_id(InjuryCase), first_id(RecognitionApplication)
        for user in User.objects.filter(username__startswith="scale_").exclude(username__startswith="scale_staff_"):
            self.users[user.username.removeprefix("scale_")] = user.pk
        self.users["employer"] = User.objects.get(employer_id=self.e0, is_primary_handler=True).pk
        self.staff_ids = list(User.objects.filter(kind="staff").order_by("pk").values_list("pk", flat=True))

    def step(self, label: str, fn) -> None:
        started = time.perf_counter()
        with transaction.atomic():
            rows = fn()
        elapsed = time.perf_counter() - started
        self.timings.append((label, rows, elapsed))
        print(f"  {label:<34} {rows:>12,} rows {elapsed:8.1f} s", flush=True)

    # --- expressions ----------------------------------------------------------------------------

    def employer_of(self, k: str) -> str:
        """Person k's employer id: the first BIG persons work for the big employer, the rest spread."""
        big, e = self.n["big_employer_staff"], self.n["employers"]
        return f"(CASE WHEN {k} < {big} THEN {self.e0} ELSE {self.e0} + 1 + mod({k} - {big}, {e - 1}) END)"

    @staticmethod
    def at(k: str, mult: int = 7919) -> str:
        """A timestamp spread over the ~6 years from EPOCH, derived from k."""
        return (f"(timestamptz '{EPOCH}' + make_interval(days => mod({k}::bigint * {mult}, {SPAN_DAYS})::int, "
                f"secs => mod({k} * 37, 36000)::int))")

    # --- tables ---------------------------------------------------------------------------------

    def users_(self) -> int:
        from django.contrib.auth.hashers import make_password

        from gongshang.accounts.choices import Audience, StaffRole
        from gongshang.accounts.models import StaffRoleAssignment, User
        from gongshang.accounts.tests.factories import PASSWORD, EmployerUserFactory, StaffUserFactory
        from gongshang.registry.models import Employer

        roles = {"intake": [StaffRole.INTAKE], "investigator": [StaffRole.INVESTIGATOR],
                 "reviewer": [StaffRole.REVIEWER], "benefits": [StaffRole.BENEFITS_REVIEWER],
                 "audit": [StaffRole.AUDIT_ADMIN], "window": [StaffRole.WINDOW]}
        for key, role_list in roles.items():
            user = StaffUserFactory(username=f"scale_{key}", display_name=f"压测{key}", roles=role_list,
                                    jurisdiction=MAIN_REGION)
            self.users[key] = user.pk
        big = Employer.objects.get(pk=self.e0)
        self.users["employer"] = EmployerUserFactory(employer=big, username=big.uscc, is_primary_handler=True).pk
        # Colleagues who appear as actors in the audit log and as assignees (cannot log in).
        unusable = make_password(None)
        n = insert_select(User, {"username": "'scale_staff_' || g", "password": "%s", "kind": "%s",
                                 "display_name": "'经办' || g", "jurisdiction": REGION_SQL.format(k="g"),
                                 "is_active": "true", "date_joined": "now()"},
                          f"FROM generate_series(1, {self.n['bench_staff']}) g", [unusable, Audience.STAFF])
        insert_select(StaffRoleAssignment, {"user_id": "u.id", "role": "%s"},
                      "FROM accounts_user u WHERE u.username LIKE 'scale\\_staff\\_%%'", [StaffRole.INTAKE])
        self.staff_ids = list(User.objects.filter(kind=Audience.STAFF).order_by("pk").values_list("pk", flat=True))
        assert PASSWORD
        return n + len(self.users)

    def employers(self) -> int:
        from gongshang.core.pii.crypto import blind_index, encrypt
        from gongshang.integrations.fakes.tax import uscc_for
        from gongshang.registry.models import Employer

        legal = "370202197505063218"
        legal_enc, legal_index, mobile_enc = encrypt(legal), blind_index(legal), encrypt("053288886666")
        regions = ["370200"] * 17 + ["370100", "370300", "370700"]
        types = ["enterprise"] * 8 + ["public_institution", "individual_business"]
        statuses = ["active"] * 46 + ["pending", "pending", "suspended", "closed"]
        now = _now()

        def rows():
            for k in range(self.n["employers"]):
                name = "青岛海川重工集团有限公司" if k == 0 else f"{SURNAMES[k % 50]}{GIVEN[k % 40]}压测单位{k}有限公司"
                yield (uscc_for(k, region=regions[k % 20]), name, types[k % 10], "ABCEFGHI"[k % 8], 1 + k % 8,
                       regions[k % 20] if k else MAIN_REGION, f"青岛市市南区压测路{k}号", "联系人",
                       mobile_enc, "法人", legal_enc, legal_index,
                       "active" if k == 0 else statuses[k % 50], now)
        n = copy_rows(Employer, ("uscc", "name", "employer_type", "industry", "rate_class", "region", "address",
                                 "contact_name", "contact_mobile", "legal_rep_name", "legal_rep_id_number",
                                 "legal_rep_id_number_index", "status", "created_at"), rows())
        self.e0 = first_id(Employer)
        return n

    def persons(self) -> int:
        from gongshang.core.pii.crypto import blind_index, encrypt
        from gongshang.core.validators import birth_date_from_id, gender_from_id
        from gongshang.integrations.fakes.tax import id_number_for
        from gongshang.registry.models import InsuredPerson

        regions = ["370200"] * 17 + ["370100", "370300", "370700"]
        now = _now()

        def rows():
            for k in range(self.n["persons"]):
                number = id_number_for(k * 7919 % 9_999_000)  # unique; births spread over 1960–1987
                mobile = f"13{k % 10}{k:08d}"
                region = MAIN_REGION if k < self.n["big_employer_staff"] else regions[k % 20]
                yield (encrypt(number), blind_index(number), name_for(k), gender_from_id(number),
                       birth_date_from_id(number), encrypt(mobile), blind_index(mobile),
                       "urban" if k % 3 else "rural", region, now)
        n = copy_rows(InsuredPerson, ("id_number", "id_number_index", "name", "gender", "birth_date", "mobile",
                                      "mobile_index", "household_type", "region", "created_at"), rows())
        self.p0 = first_id(InsuredPerson)
        return n

    def enrolments(self) -> int:
        from gongshang.registry.models import Enrolment, InsuredPerson

        k = f"(p.id - {self.p0})"
        return insert_select(Enrolment, {
            "person_id": "p.id", "employer_id": self.employer_of(k), "insurance_type": "'injury'",
            "start_month": f"(date '2016-01-01' + make_interval(months => mod({k}, 120)::int))::date",
            "stop_month": f"CASE WHEN mod({k}, 10) = 9 THEN date '2026-06-01' END",
            "status": f"CASE WHEN mod({k}, 10) = 9 THEN 'terminated' WHEN mod({k}, 50) = 3 THEN 'suspended' "
                      f"ELSE 'active' END",
            "identity": f"(ARRAY['employee','employee','employee','migrant_worker','dispatched','intern'])"
                        f"[1 + mod({k}, 6)]",
            "declared_wage": f"3000 + mod({k} * 13, 12000)", "updated_at": "now()",
        }, f"FROM {table(InsuredPerson)} p")

    def contributions(self) -> int:
        from gongshang.registry.models import ContributionRecord, InsuredPerson

        k = f"(p.id - {self.p0})"
        return insert_select(ContributionRecord, {
            "person_id": "p.id", "employer_id": self.employer_of(k), "insurance_type": "'injury'",
            "month": "(%s::date + make_interval(months => m))::date",
            "wage_base": f"3000 + mod({k} * 13, 12000) + m * 10", "paid": f"mod({k} + m, 97) <> 0",
        }, f"FROM {table(InsuredPerson)} p CROSS JOIN generate_series(0, {self.n['contribution_months'] - 1}) m",
            [CONTRIBUTION_FIRST_MONTH])

    def accidents(self) -> int:
        from gongshang.cases.models import Accident

        k = "(g - 1)"
        pk = f"mod({k}, {self.n['persons']})"
        return insert_select(Accident, {
            "region": self._person_region(pk),
            "employer_id": self.employer_of(pk), "occurred_at": self.at(k),
            "address": f"'青岛市黄岛区压测路' || mod({k}, 500) || '号车间'",
            "description": "'压测事故经过'", "created_at": self.at(k),
        }, f"FROM generate_series(1, {self.n['cases']}) g")

    def _person_region(self, pk: str) -> str:
        big = self.n["big_employer_staff"]
        return f"(CASE WHEN {pk} < {big} THEN '{MAIN_REGION}' ELSE {REGION_SQL.format(k=pk)} END)"

    def quick_reports(self) -> int:
        from gongshang.cases.models import Accident
        from gongshang.quickreports.models import QuickReport

        self.a0 = first_id(Accident)
        k = f"(a.id - {self.a0})"
        # Most reports became cases long ago; the newest ones are still in the inbox.
        status = (f"CASE WHEN a.occurred_at > timestamptz '{EPOCH}' + interval '{SPAN_DAYS - 30} days' THEN "
                  f"(ARRAY['new','received','received','case_opened'])[1 + mod({k}, 4)] "
                  f"WHEN mod({k}, 14) = 0 THEN 'closed_invalid' ELSE 'case_opened' END")
        return insert_select(QuickReport, {
            "code_index": f"md5('qr' || {k}) || md5('code' || {k})", "accident_id": "a.id",
            "region": "a.region", "employer_id": "a.employer_id",
            "reporter_kind": f"(ARRAY['self','other','employer','employer','hotline'])[1 + mod({k}, 5)]",
            "reporter_name": "'报告人'", "status": status, "pledge_version": "'2026-01'",
            "pledge_accepted_at": "a.occurred_at + interval '2 hours'",
            "submitted_at": "a.occurred_at + interval '2 hours'", "submit_ip": "'10.0.0.1'",
            "first_viewed_at": f"CASE WHEN mod({k}, 4) <> 0 THEN a.occurred_at + interval '5 hours' END",
            "closed_reason": f"CASE WHEN mod({k}, 14) = 0 THEN '重复报告' ELSE '' END",
        }, f"FROM {table(Accident)} a")

    def cases(self) -> int:
        from gongshang.cases.models import Accident, CaseCounter, InjuryCase
        from gongshang.quickreports.models import QuickReport
        from gongshang.registry.models import InsuredPerson

        k = f"(a.id - {self.a0})"
        n = insert_select(InjuryCase, {
            "number": f"'GS' || a.region || '-' || extract(year FROM a.occurred_at)::int || '-' || "
                      f"lpad(({k} + 1)::text, 7, '0')",
            "region": "a.region", "accident_id": "a.id", "employer_id": "a.employer_id", "person_id": "p.id",
            "injured_name": "p.name", "injured_id_number": "p.id_number",
            "injured_id_number_index": "p.id_number_index", "injured_mobile": "p.mobile",
            "injured_mobile_index": "p.mobile_index",
            "body_part": f"(ARRAY['手部','足部','头部','腰部','眼部'])[1 + mod({k}, 5)]",
            "injury_type": f"(ARRAY['骨折','挫伤','割伤','烧伤'])[1 + mod({k}, 4)]", "source": "'quick_report'",
            "status": "CASE q.status WHEN 'closed_invalid' THEN 'closed' WHEN 'case_opened' THEN "
                      "(CASE WHEN a.occurred_at < timestamptz '2025-01-01 00:00:00+08' THEN 'closed' ELSE 'opened' END)"
                      " ELSE 'reported' END",
            "green_channel": f"mod({k}, 50) = 0", "created_at": "a.occurred_at + interval '2 hours'",
        }, f"FROM {table(Accident)} a JOIN {table(QuickReport)} q ON q.accident_id = a.id "
           f"JOIN {table(InsuredPerson)} p ON p.id = {self.p0} + mod({k}, {self.n['persons']})")
        # The counters continue after the generated numbers: new cases never collide with them.
        insert_select(CaseCounter, {"region": "region", "year": "year", "last_value": str(self.n["cases"] + 1)},
                      f"FROM (SELECT DISTINCT region, extract(year FROM created_at)::int AS year "
                      f"FROM {table(InjuryCase)}) x")
        self.c0 = first_id(InjuryCase)
        return n

    # Recognition: status by k mod 100 (every status; most applications decided and delivered long ago).
    RECOGNITION_STATUSES = ([("draft", 3), ("submitted", 3), ("allocated", 3), ("accepted", 5),
                             ("correction_requested", 2), ("not_accepted", 3), ("investigating", 5),
                             ("suspended", 1), ("decided", 5), ("delivered", 60), ("withdrawn", 5),
                             ("deleted", 5)])

    # The first k mod 100 that is delivered.
    DELIVERED_LOW = sum(share for _s, share in RECOGNITION_STATUSES[:RECOGNITION_STATUSES.index(("delivered", 60))])

    def recognitions(self) -> int:
        from gongshang.cases.models import InjuryCase
        from gongshang.recognition.models import RecognitionApplication
        from gongshang.registry.models import Employer

        bounds, low = [], 0
        for status, share in self.RECOGNITION_STATUSES:
            bounds.append(f"WHEN mod(k, 100) < {low + share} THEN '{status}'")
            low += share
        status = "CASE " + " ".join(bounds) + " END"
        open_ = "('submitted','allocated','accepted','correction_requested','investigating','suspended')"
        assigned = ("('allocated','accepted','correction_requested','investigating','suspended','decided',"
                    "'delivered','not_accepted')")
        staff = f"(ARRAY{self.staff_ids})[1 + mod(k, {len(self.staff_ids)})]"
        # The open ones are the newest: received in the last months, so some are overdue and most not.
        recent = (f"CASE WHEN s IN {open_} THEN (date '2026-12-06' - mod(k * 7, 120)::int) "
                  f"ELSE (c.created_at + interval '20 days')::date END")
        n = insert_select(RecognitionApplication, {
            "case_id": "c.id", "region": "c.region", "owner_key": "'employer:' || c.employer_id",
            "created_by_id": str(self.users["employer"]), "status": "s", "from_quick_report": "true",
            "person_id": "c.person_id", "injured_name": "c.injured_name", "injured_id_number": "c.injured_id_number",
            "injured_id_number_index": "c.injured_id_number_index", "injured_mobile": "c.injured_mobile",
            "job_title": "'操作工'", "monthly_wage": "5200.00", "employer_id": "c.employer_id",
            "employer_name": "e.name", "employer_uscc": "e.uscc", "employer_address": "e.address",
            "accident_at": "c.created_at - interval '2 hours'", "accident_place": "'车间'",
            "circumstance": "'art14_1'", "description": "'在车间操作机器时受伤'", "body_part": "c.body_part",
            "diagnosis": "c.injury_type", "treatments": "'[]'", "applicant_kind": "'employer'",
            "applicant_name": "e.name", "handling_region": "c.region",
            "period_status": "CASE WHEN s = 'draft' THEN '' ELSE 'in_time' END",
            "period_due": "(c.created_at + interval '30 days')::date",
            "assignee_id": f"CASE WHEN s IN {assigned} THEN {staff} END",
            "received_on": f"CASE WHEN s NOT IN ('draft') THEN {recent} END",
            "accepted_on": f"CASE WHEN s IN ('accepted','investigating','suspended','decided','delivered') "
                           f"THEN {recent} + 3 END",
            "decided_on": f"CASE WHEN s IN ('decided','delivered') THEN {recent} + 40 END",
            "delivered_on": f"CASE WHEN s = 'delivered' THEN {recent} + 45 END",
            "suspended_from": "CASE WHEN s = 'suspended' THEN 'investigating' ELSE '' END",
            "decision_result": "CASE WHEN s IN ('decided','delivered') THEN "
                               "(ARRAY['recognized','recognized','recognized','deemed','not_recognized'])"
                               "[1 + mod(k, 5)] ELSE '' END",
            # Until the due-date refresh runs: the statutory lengths in calendar days, as an estimate.
            "due_on": f"CASE WHEN s IN ('submitted','allocated','correction_requested') THEN {recent} + 15 "
                      f"WHEN s IN ('accepted','investigating') THEN {recent} + 63 "
                      f"WHEN s = 'decided' THEN {recent} + 60 END",
            "due_label": "CASE WHEN s IN ('submitted','allocated','correction_requested') THEN '受理决定' "
                         "WHEN s IN ('accepted','investigating') THEN '认定决定' WHEN s = 'decided' THEN '送达' "
                         "ELSE '' END",
            "created_at": "c.created_at + interval '1 day'", "updated_at": "c.created_at + interval '1 day'",
            "submitted_at": f"CASE WHEN s <> 'draft' THEN ({recent})::timestamptz END",
        }, f"FROM (SELECT c.*, {status} AS s FROM (SELECT c.*, c.id - {self.c0} AS k FROM "
           f"{table(InjuryCase)} c WHERE c.id < {self.c0} + {self.n['recognitions']}) c) c "
           f"JOIN {table(Employer)} e ON e.id = c.employer_id")
        self.r0 = first_id(RecognitionApplication)
        return n

    def entitlements(self) -> int:
        from gongshang.benefits.models import Entitlement
        from gongshang.core.pii.crypto import encrypt
        from gongshang.recognition.models import RecognitionApplication

        delivered_per_100 = 60
        total_delivered = (self.n["recognitions"] // 100) * delivered_per_100 + max(
            0, min(self.n["recognitions"] % 100 - self.DELIVERED_LOW, delivered_per_100))
        # Entitlement j: the j-th delivered application's case, monthly; past them, a one-time subsidy.
        j = "(g - 1)"
        t = f"mod({j}, {max(total_delivered, 1)})"
        app_k = f"(100 * ({t} / {delivered_per_100}) + {self.DELIVERED_LOW} + mod({t}, {delivered_per_100}))"
        monthly = f"{j} < {total_delivered}"
        return insert_select(Entitlement, {
            "case_id": "r.case_id", "region": "r.region", "person_id": "r.person_id",
            "beneficiary_name": "r.injured_name", "beneficiary_relation": "'本人'",
            "beneficiary_id_number": "r.injured_id_number", "beneficiary_id_index": "r.injured_id_number_index",
            "benefit_type": f"CASE WHEN {monthly} THEN 'disability_allowance' ELSE 'one_time_disability_subsidy' END",
            "period_kind": f"CASE WHEN {monthly} THEN 'monthly' ELSE 'once' END", "payer": "'fund'",
            "amount": f"2000 + mod({j} * 37, 300000) / 100.0",
            "start_month": "date_trunc('month', r.decided_on + 30)::date",
            "status": f"(ARRAY['active','active','active','active','active','active','active','active',"
                      f"'active','active','active','active','active','active','active','active','suspended',"
                      f"'stopped','stopped','pending'])[1 + mod({j}, 20)]",
            "basis": "'《工伤保险条例》第三十五条'", "formula": "'本人工资 × 比例'",
            "bank_name": "'中国工商银行'", "bank_account": "%s",
            "created_by_id": str(self.users["benefits"]), "approved_by_id": str(self.users["benefits"]),
            "approved_at": "r.decided_on + 20", "created_at": "r.decided_on + 10",
        }, f"FROM generate_series(1, {self.n['entitlements']}) g JOIN {table(RecognitionApplication)} r "
           f"ON r.id = {self.r0} + {app_k}", [encrypt("6222021234567890123")])

    def payroll(self) -> int:
        from gongshang.benefits.models import Entitlement, PayrollRun
        from gongshang.benefits.services.payroll_sql import COLUMNS, P

        now = _now()
        run = PayrollRun.objects.create(region=MAIN_REGION, period=PAYROLL_PERIOD, status="released",
                                        created_by_id=self.users["benefits"], approved_by_id=self.users["benefits"],
                                        released_by_id=self.users["benefits"], computed_at=now, approved_at=now,
                                        released_at=now)
        self.run_id = run.pk
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {P} ({COLUMNS}) SELECT %s, e.id, %s, e.region, e.benefit_type, e.payer, e.amount, "
                f"CASE WHEN mod(e.id, 50) = 0 THEN 'failed' ELSE 'paid' END, 1, "
                f"CASE WHEN mod(e.id, 50) = 0 THEN '账户已冻结' ELSE '' END, 'monthly', NULL "
                f"FROM {table(Entitlement)} e WHERE e.region = %s AND e.status = 'active' "
                f"AND e.period_kind = 'monthly' AND e.start_month <= %s",
                [run.pk, PAYROLL_PERIOD, MAIN_REGION, PAYROLL_PERIOD])
            return cursor.rowcount + 1

    def audit_events(self) -> int:
        from gongshang.core.models import AuditEvent

        k = "(g - 1)"
        staff = f"(ARRAY{self.staff_ids})[1 + mod({k} * 31, {len(self.staff_ids)})]"
        types = ["quickreport.received", "recognition.accepted", "recognition.decided", "case.viewed",
                 "auth.login", "registry.change_confirmed", "benefits.entitlement_approved", "pii.revealed",
                 "recognition.allocated", "auth.logout"]
        targets = ["quickreports.quickreport", "recognition.recognitionapplication", "cases.injurycase",
                   "registry.insuredperson", "benefits.entitlement"]
        return insert_select(AuditEvent, {
            # Linear in k (oldest first, as the log is written), ~6 years.
            "at": f"timestamptz '{EPOCH}' + make_interval(secs => {k} * {SPAN_DAYS * 86400.0 / self.n['audit_events']})",
            "actor_id": f"CASE WHEN mod({k}, 10) = 0 THEN NULL ELSE {staff} END",
            "actor_label": f"CASE WHEN mod({k}, 10) = 0 THEN '系统' ELSE '经办' END",
            "event_type": f"(ARRAY{types})[1 + mod({k}, {len(types)})]",
            "target_type": f"(ARRAY{targets})[1 + mod({k}, {len(targets)})]",
            "target_id": f"(1 + mod({k} * 7, {self.n['cases']}))::text",
            "region": REGION_SQL.format(k=k), "ip": "'10.1.2.3'", "details": "'{}'",
        }, f"FROM generate_series(1, {self.n['audit_events']}) g")
