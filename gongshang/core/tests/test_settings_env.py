"""Settings derived from the environment (config/settings/base.py): the cache and the task queue."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
SHOW = ("import json; from config.settings import base as b; "
        "print(json.dumps({'queues': getattr(b, 'RQ_QUEUES', None), 'caches': b.CACHES}))")


def settings_with(**env) -> dict:
    clean = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "RQ_REDIS_URL", "TASK_BACKEND")}
    out = subprocess.run([sys.executable, "-c", SHOW], cwd=ROOT, env={**clean, **env}, capture_output=True,
                         text=True, check=True, timeout=60)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_the_queue_may_have_its_own_redis():
    both = settings_with(TASK_BACKEND="rq", REDIS_URL="redis://cache:6379/0", RQ_REDIS_URL="redis://queue:6379/0")
    assert both["queues"]["default"]["URL"] == "redis://queue:6379/0"
    assert both["caches"]["default"]["LOCATION"] == "redis://cache:6379/0"
    one = settings_with(TASK_BACKEND="rq", REDIS_URL="redis://cache:6379/0")
    assert one["queues"]["default"]["URL"] == "redis://cache:6379/0"


def test_redis_cache_falls_back_to_the_database_table():
    with_redis = settings_with(REDIS_URL="redis://cache:6379/0")["caches"]
    assert with_redis["default"]["BACKEND"] == "gongshang.core.cache.FallbackRedisCache"
    assert with_redis["default"]["OPTIONS"]["FALLBACK"] == "database"
    assert with_redis["database"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    without = settings_with()["caches"]
    assert without["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
