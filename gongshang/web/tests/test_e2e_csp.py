"""In a real browser, with the Content-Security-Policy enforced: the public pages and every menu
page of each audience load and work (htmx, the captcha refresh, confirmations) without a single
policy violation, and each page arrives with the header."""

import pytest
from playwright.sync_api import Page, expect

from gongshang.accounts.services.tokens import api_token_issue
from gongshang.accounts.tests.factories import EmployerUserFactory, IndividualUserFactory, StaffUserFactory
from gongshang.registry.tests.factories import EmployerFactory, EnrolmentFactory, InsuredPersonFactory
from gongshang.web.navigation import menu_for
from gongshang.web.tests.conftest import answer_confirmation, login_as

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PUBLIC_PAGES = ["/", "/accounts/login/", "/accounts/login/individual/", "/accounts/login/employer/",
                "/accounts/login/staff/", "/accounts/register/employer/", "/benefits/calculator/", "/v/",
                "/api/v1/docs"]
# Records violations from inside the page: Playwright injects this before any page script, and
# the policy does not apply to it.
WATCH_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + e.sourceFile);
});
"""


class PolicyWatch:
    """Every page load checked: the header present, no violation event, no refusal on the console."""

    def __init__(self, page: Page):
        self.page, self.console, self.missing_header = page, [], []
        page.add_init_script(WATCH_VIOLATIONS)
        page.on("console", self._on_console)
        page.on("response", self._on_response)

    def _on_console(self, message):
        text = message.text
        if "Content Security Policy" in text or "Refused to" in text:
            self.console.append(f"{self.page.url}: {text}")

    def _on_response(self, response):
        if response.request.resource_type == "document" and "content-security-policy" not in response.headers:
            self.missing_header.append(response.url)

    def visit(self, url: str) -> None:
        response = self.page.goto(url)
        assert response is not None and response.status == 200, f"{url}: {response and response.status}"
        self.page.wait_for_load_state("networkidle")
        self.check()

    def check(self) -> None:
        violations = self.page.evaluate("window.__cspViolations || []")
        assert violations == [], f"{self.page.url}: {violations}"
        assert self.console == [], self.console
        assert self.missing_header == [], self.missing_header




@pytest.fixture
def accounts():
    employer = EmployerFactory(uscc="91370200MA3C5UWK4C", name="青岛海川机械制造有限公司", region="370200")
    person = InsuredPersonFactory(id_number="370202198803151237", name="张伟", mobile="13900000001")
    EnrolmentFactory(person=person, employer=employer)
    worker = IndividualUserFactory(person=person, mobile="13900000001", display_name="张伟")
    handler = EmployerUserFactory(employer=employer, username=employer.uscc, is_primary_handler=True)
    officer = StaffUserFactory(roles=["intake", "investigator", "reviewer", "benefits_reviewer", "security_admin"],
                               jurisdiction="370200")
    return {"individual": worker, "employer": handler, "staff": officer}


def test_public_pages_keep_the_policy(page: Page, live_server):
    watch = PolicyWatch(page)
    for path in PUBLIC_PAGES:
        watch.visit(f"{live_server.url}{path}")
    expect(page.locator("#swagger-ui")).to_contain_text("认证")  # the vendored Swagger UI ran


def test_captcha_refresh_and_htmx_work_under_the_policy(page: Page, live_server):
    watch = PolicyWatch(page)
    watch.visit(f"{live_server.url}/accounts/login/employer/")
    image = page.locator("img.captcha")
    before = image.get_attribute("src")
    with page.expect_response(lambda r: "/captcha/refresh/" in r.url):
        image.click()
    expect(image).not_to_have_attribute("src", before)
    assert page.locator('input[name="captcha_0"]').input_value() in image.get_attribute("src")

    watch.visit(f"{live_server.url}/accounts/login/individual/")
    page.locator('input[name="mobile"]').fill("13912345678")
    page.get_by_role("button", name="获取验证码").click()
    expect(page.locator("#sms-status")).to_contain_text("139****5678")
    watch.check()


@pytest.mark.parametrize("audience", ["individual", "employer", "staff"])
def test_every_menu_page_keeps_the_policy(page: Page, live_server, accounts, audience):
    user = accounts[audience]
    login_as(page, live_server.url, user)
    watch = PolicyWatch(page)
    urls = [item["url"] for item in menu_for(user)] + ["/accounts/tokens/"]
    assert len(urls) >= 5
    for url in urls:
        watch.visit(f"{live_server.url}{url}")


def test_revoking_a_token_asks_for_confirmation_under_the_policy(page: Page, live_server, accounts):
    user = accounts["employer"]
    _, token = api_token_issue(user=user, label="HIS 接口")
    login_as(page, live_server.url, user)
    watch = PolicyWatch(page)
    watch.visit(f"{live_server.url}/accounts/tokens/")
    row = page.locator("tr", has_text="HIS 接口")
    row.get_by_role("button", name="撤销").click()
    assert token.masked in answer_confirmation(page, accept=False)
    expect(row).to_be_visible()  # dismissed: nothing revoked
    row.get_by_role("button", name="撤销").click()
    answer_confirmation(page)
    expect(page.locator(".messages")).to_contain_text(f"已撤销令牌 {token.masked}")
    watch.check()
    token.refresh_from_db()
    assert token.revoked_at is not None
