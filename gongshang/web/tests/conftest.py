"""Playwright end-to-end set-up: Debian's chromium, a phone-sized viewport, screenshots.

`playwright install` cannot download browsers here, so the tests drive /usr/bin/chromium
(Debian package `chromium`, plus `fonts-wqy-microhei` so Chinese renders in screenshots).
When it is missing the e2e tests are skipped locally, but fail in CI (CI=true): a CI run that
silently skipped every browser test would prove nothing.
"""

import os
from pathlib import Path

import pytest

# The sync Playwright API keeps an event loop running in the test thread; Django would refuse
# ORM calls from it. Tests only: the live server itself runs in its own thread.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    # The machine's network is closed: without these Chromium keeps trying Google's hosts.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PHONE_VIEWPORT = {"width": 375, "height": 812}

REPO_ROOT = Path(__file__).resolve().parents[3]
SCREENSHOT_DIR = REPO_ROOT / "test-artifacts" / "screenshots"


def running_in_ci() -> bool:
    value = os.environ.get("CI", "").strip().lower()
    return value not in {"", "0", "false", "no", "off"}


def require_chromium() -> None:
    """Skip (locally) or fail (in CI) when Debian's chromium is not installed."""
    if os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK):
        return
    message = (
        f"{CHROMIUM} not found: the end-to-end tests need Debian's chromium "
        "(apt-get install -y chromium fonts-wqy-microhei; ./dev test installs it when run as root)."
    )
    if running_in_ci():
        pytest.fail(f"CI=true and {message}", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    require_chromium()
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": list(CHROMIUM_ARGS)}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {
        **browser_context_args,
        "viewport": PHONE_VIEWPORT,
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
        "locale": "zh-CN",
        "timezone_id": "Asia/Shanghai",
    }


@pytest.fixture
def screenshot_dir() -> Path:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    return SCREENSHOT_DIR


def login_as(page, base_url: str, user) -> None:
    """Sign the browser in as `user` with a real session cookie (no login form, no captcha or TOTP)."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": base_url}])


def answer_confirmation(page, accept: bool = True) -> str:
    """Answer the page's confirmation dialog (site.js opens a modal <dialog>, not window.confirm);
    returns its question."""
    from playwright.sync_api import expect

    dialog = page.locator("dialog#confirm-dialog[open]")
    expect(dialog).to_be_visible()
    question = dialog.locator("p").inner_text()
    dialog.get_by_role("button", name="确定" if accept else "取消").click()
    return question
