"""Production settings pass Django's deployment checks with no warnings, and refuse to start
without their secrets."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PROD_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": "x" * 30 + "production-secret-key-for-the-check-0123456789",
    "PII_ENCRYPTION_KEYS": "p4bVc2Zq0t7o6gqQ9vS2nEw4gP5k0vY3yPqk8mX1s2c=",
    "PII_INDEX_KEY": "production-index-key-for-the-check",
    "ALLOWED_HOSTS": "gongshang.example.cn",
}


def run_check(env):
    base = {k: v for k, v in os.environ.items() if k not in PROD_ENV and k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                          cwd=ROOT, env={**base, **env}, capture_output=True, text=True, timeout=120)


def test_check_deploy_has_no_warnings():
    result = run_check(PROD_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_requires_secret_key():
    env = {k: v for k, v in PROD_ENV.items() if k != "SECRET_KEY"}
    result = run_check(env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
