"""Production settings pass Django's deployment checks with no warnings, and refuse to start
without their secrets; every response carries the Content-Security-Policy, and no template needs
what the policy refuses."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
PROD_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": "x" * 30 + "production-secret-key-for-the-check-0123456789",
    "PII_ENCRYPTION_KEYS": "p4bVc2Zq0t7o6gqQ9vS2nEw4gP5k0vY3yPqk8mX1s2c=",
    "PII_INDEX_KEY": "production-index-key-for-the-check",
    "ALLOWED_HOSTS": "gongshang.example.cn",
    "PUBLIC_BASE_URL": "https://gongshang.example.cn",
}


def run_check(env):
    base = {k: v for k, v in os.environ.items() if k not in PROD_ENV and k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                          cwd=ROOT, env={**base, **env}, capture_output=True, text=True, timeout=120)


def test_check_deploy_has_no_warnings():
    result = run_check(PROD_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("name", ["SECRET_KEY", "PUBLIC_BASE_URL"])
def test_production_requires_secret_key_and_public_base_url(name):
    env = {k: v for k, v in PROD_ENV.items() if k != name}
    result = run_check(env)
    assert result.returncode != 0
    assert f"生产环境必须设置环境变量 {name}" in result.stderr


def test_production_public_base_url_must_be_an_address():
    result = run_check({**PROD_ENV, "PUBLIC_BASE_URL": "gongshang.example.cn"})
    assert result.returncode != 0 and "PUBLIC_BASE_URL 须为公众访问的完整地址" in result.stderr


# Content-Security-Policy (config.settings.base.CONTENT_SECURITY_POLICY, django-csp).

TEMPLATE_ROOT = ROOT / "gongshang"
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I)


def csp_directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/accounts/login/employer/", "/api/v1/auth/captcha", "/api/v1/docs"])
def test_every_response_carries_the_content_security_policy(client, path):
    response = client.get(path)
    assert response.status_code == 200
    policy = csp_directives(response)
    assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"] and policy["img-src"] == ["'self'", "data:"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"] and policy["form-action"] == ["'self'"]
    assert "unsafe" not in response["Content-Security-Policy"]


def print_template(path: Path, text: str) -> bool:
    """Documents rendered to PDF by WeasyPrint (never served to a browser) may style inline."""
    return "/pdf/" in path.as_posix() or path.name.startswith("pdf_") or path.name == "base_document.html" \
        or 'extends "documents/base_document.html"' in text


def test_templates_have_no_inline_script_handlers_or_styles():
    """The policy refuses inline script, event handlers, javascript: URLs and style attributes."""
    offenders = []
    for path in sorted(TEMPLATE_ROOT.glob("**/templates/**/*.html")):
        text = path.read_text(encoding="utf-8")
        found = [what for what, bad in [("inline <script>", INLINE_SCRIPT.search(text)),
                                        ("on…= handler", EVENT_HANDLER.search(text)),
                                        ("javascript: URL", "javascript:" in text.lower()),
                                        ("style attribute", ' style="' in text and not print_template(path, text)),
                                        ("<style>", "<style" in text and not print_template(path, text))] if bad]
        if found:
            offenders.append(f"{path.relative_to(ROOT)}: {', '.join(found)}")
    assert offenders == [], "move these to static JS/CSS files:\n" + "\n".join(offenders)


def test_htmx_runs_without_eval_or_inline_styles():
    base = (TEMPLATE_ROOT / "web" / "templates" / "web" / "base.html").read_text(encoding="utf-8")
    config = json.loads(re.search(r"name=\"htmx-config\" content='([^']+)'", base).group(1))
    assert config["allowEval"] is False and config["includeIndicatorStyles"] is False
    assert "hx-on" not in "".join(p.read_text(encoding="utf-8") for p in TEMPLATE_ROOT.glob("**/templates/**/*.html"))
