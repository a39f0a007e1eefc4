"""劳动能力鉴定 panel draw benchmark: a batch of N applications drawn from a pool of M experts with
recusal (rules/draw.py, pure), then — with --db — the whole service `batch_draw` on a database: the
pool and conflicts read, the draw, the PanelDraw record (snapshot, seed, result), the PanelMember rows
and one timeline event per application written with bulk_create, the batch's transition.

Pure draw: every application excludes 20 random experts (conflicts and earlier panels), every
application and expert has one of 400 employers (same employer → recused), 1-2 needed 门类 each.

    .venv/bin/python bench/bench_appraisal_draw.py --apps 2000 --experts 10000
    createdb -h 127.0.0.1 -U postgres gongshang_bench_draw        # a fresh database each time
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gongshang_bench_draw \\
        .venv/bin/python bench/bench_appraisal_draw.py --apps 2000 --experts 10000 --db
    dropdb -h 127.0.0.1 -U postgres gongshang_bench_draw

Target: 2,000 applications from 10,000 experts with recusal ≤ 2 s (the pure draw).
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
(ROOT / "var" / "bench").mkdir(parents=True, exist_ok=True)
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench' / 'appraisal_draw.sqlite3'}")
REGION = "990300"  # a region of its own
CATS = ("neuro", "ortho", "sensory", "visceral", "occupational")
EMPLOYERS = 400


def pure_inputs(n_apps: int, n_experts: int, rng: random.Random):
    from gongshang.appraisal.rules.draw import DrawApplication, PoolExpert

    pool = [PoolExpert(id=i, categories=tuple(rng.sample(CATS, rng.choice((1, 1, 2)))),
                       employer_id=rng.randrange(EMPLOYERS)) for i in range(1, n_experts + 1)]
    apps = [DrawApplication(id=i, categories=tuple(rng.sample(CATS, rng.choice((1, 1, 2)))),
                            employer_id=rng.randrange(EMPLOYERS), person_id=i, case_id=i,
                            excluded=frozenset(rng.randrange(1, n_experts + 1) for _ in range(20)))
            for i in range(1, n_apps + 1)]
    return apps, pool


def bench_pure(n_apps: int, n_experts: int, size: int, runs: int) -> None:
    from gongshang.appraisal.rules.draw import draw

    apps, pool = pure_inputs(n_apps, n_experts, random.Random(2026))
    seed = "5a" * 32
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = draw(apps, pool, panel_size=size, seed=seed)
        times.append(time.perf_counter() - started)
    assert result == draw(apps, pool, panel_size=size, seed=seed), "not deterministic"
    failures = sum(1 for r in result if r["failure"])
    load: dict[int, int] = {}
    for r in result:
        for m in r["members"]:
            load[m["expert"]] = load.get(m["expert"], 0) + 1
    print(f"pure draw: {n_apps:,} applications × panel {size} from {n_experts:,} experts (20 recused each + employer): "
          f"best {min(times):.3f} s, median {statistics.median(times):.3f} s over {runs} runs; "
          f"{failures} failures; max load {max(load.values())} panels/expert; deterministic: yes")


def generate_db(n_apps: int, n_experts: int, actor):
    """Experts, cases and scheduled applications of one closed batch, set-based (not timed)."""
    from django.db import connection, transaction
    from django.utils import timezone
    from setbased import insert_cases

    from gongshang.appraisal.models import AppraisalApplication, AppraisalBatch, AppraisalSite, Expert
    from gongshang.appraisal.services.batches import new_seed
    from gongshang.cases.models import Accident, InjuryCase

    rng = random.Random(7)
    started = time.perf_counter()
    with transaction.atomic():
        accident = Accident.objects.create(region=REGION, occurred_at=timezone.now(), address="bench")
        with connection.cursor() as cursor:
            insert_cases(cursor, vendor=connection.vendor, n=n_apps, region=REGION, accident_id=accident.pk,
                         prefix="DRAW", now=connection.ops.adapt_datetimefield_value(timezone.now()))
        body_parts = ["右手", "头部", "左眼", "腹部", "右腿", "肺"]
        cases = list(InjuryCase.objects.filter(region=REGION).values_list("pk", flat=True))
        for part in body_parts:  # a spread of injuries → of needed 门类
            InjuryCase.objects.filter(pk__in=cases[body_parts.index(part)::len(body_parts)]).update(body_part=part)
        Expert.objects.bulk_create(
            [Expert(region=REGION, name=f"专家{i}", categories=rng.sample(CATS, rng.choice((1, 1, 2))),
                    title="主任医师", workplace="bench") for i in range(n_experts)], batch_size=5000)
        site = AppraisalSite.objects.create(region=REGION, name="bench", address="bench", capacity=n_apps)
        seed, commitment = new_seed()
        exam_on = timezone.localdate() + timedelta(days=10)
        batch = AppraisalBatch.objects.create(region=REGION, number=f"JDBENCH{rng.randrange(10**8)}", exam_on=exam_on,
                                              cutoff_on=exam_on - timedelta(days=7), site=site, capacity=n_apps,
                                              status="closed", seed_commitment=commitment, seed_secret=seed,
                                              created_by=actor)
        AppraisalApplication.objects.bulk_create(
            [AppraisalApplication(case_id=c, region=REGION, kind="initial", items=["disability_grade"],
                                  status="scheduled", owner_key=f"agency:{REGION}", created_by=actor,
                                  applicant_kind="agency", batch=batch, accepted_on=date(2026, 1, 5))
             for c in cases], batch_size=5000)
        # Recusal in the database: each application's case has 2 experts of an earlier panel.
        expert_ids = list(Expert.objects.filter(region=REGION).values_list("pk", flat=True))
        earlier = AppraisalBatch.objects.create(region=REGION, number=f"JDBENCH{rng.randrange(10**8)}",
                                                exam_on=exam_on - timedelta(days=60),
                                                cutoff_on=exam_on - timedelta(days=67), site=site,
                                                capacity=n_apps, status="drawn", created_by=actor)
        from gongshang.appraisal.models import PanelDraw, PanelMember

        old_apps = AppraisalApplication.objects.bulk_create(
            [AppraisalApplication(case_id=c, region=REGION, kind="initial", items=["disability_grade"],
                                  status="concluded", owner_key=f"agency:{REGION}", created_by=actor,
                                  applicant_kind="agency", batch=earlier) for c in cases], batch_size=5000)
        old_draw = PanelDraw.objects.create(batch=earlier, seed="00", pool_sha256="", drawn_by=actor)
        PanelMember.objects.bulk_create(
            [PanelMember(application_id=a.pk, draw=old_draw, expert_id=e, category="ortho")
             for a in old_apps for e in rng.sample(expert_ids, 2)], batch_size=5000)
    print(f"generated {n_experts:,} experts, {n_apps:,} cases and applications in {time.perf_counter() - started:.1f} s")
    return batch


def bench_db(n_apps: int, n_experts: int, size: int) -> None:
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from gongshang.accounts.choices import StaffRole
    from gongshang.accounts.tests.factories import StaffUserFactory
    from gongshang.appraisal.models import AppraisalSetting, PanelMember
    from gongshang.appraisal.services.batches import batch_draw, draw_verify

    if AppraisalSetting.objects.filter(region=REGION).exists():
        sys.exit(f"region {REGION} already has bench data: drop the bench database first")
    AppraisalSetting.objects.create(region=REGION, panel_size=size, committee_name="bench", valid_from=date(2020, 1, 1))
    actor = StaffUserFactory(roles=[StaffRole.APPRAISAL_ADMIN], jurisdiction=REGION)
    batch = generate_db(n_apps, n_experts, actor)
    started = time.perf_counter()
    record = batch_draw(actor=actor, batch=batch)
    elapsed = time.perf_counter() - started
    seats = PanelMember.objects.filter(draw=record).count()
    print(f"batch_draw on {connection.vendor}: {n_apps:,} applications, {n_experts:,} experts, panel {size}: "
          f"{elapsed:.2f} s ({seats:,} seats written)")
    started = time.perf_counter()
    problems = draw_verify(record)
    print(f"draw_verify (commitment, snapshot hash, re-run): {time.perf_counter() - started:.2f} s, "
          f"{'ok' if not problems else problems}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--apps", type=int, default=2000)
    parser.add_argument("--experts", type=int, default=10000)
    parser.add_argument("--size", type=int, default=5, choices=(3, 5))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--db", action="store_true", help="also time the service batch_draw on the database")
    args = parser.parse_args()
    import django

    django.setup()
    bench_pure(args.apps, args.experts, args.size, args.runs)
    bench_pure(args.apps, args.experts, 3, args.runs)
    if args.db:
        bench_db(args.apps, args.experts, args.size)


if __name__ == "__main__":
    main()
