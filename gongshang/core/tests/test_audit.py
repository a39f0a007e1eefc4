"""Audit trail: append-only, pruned only after the retention floor, scoped read-only pages."""

import io
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from gongshang.accounts.models import StaffRoleAssignment, User
from gongshang.core.audit import record_event
from gongshang.core.audit.context import AuditContext, using
from gongshang.core.audit.selectors import audit_event_list, pii_access_list
from gongshang.core.models import AuditEvent, PiiAccessLog
from gongshang.core.models.audit import AppendOnlyError


def staff(username, role="audit_admin", jurisdiction="370200"):
    user = User.objects.create_user(username=username, password="x", kind="staff", jurisdiction=jurisdiction)
    if role:
        StaffRoleAssignment.objects.create(user=user, role=role)
    return user


def aged(event, days):
    AuditEvent.objects.filter(pk=event.pk).update(at=timezone.now() - timedelta(days=days))
    return event


# --- append-only ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_audit_event_cannot_be_updated_or_deleted():
    event = record_event(actor=None, event_type="auth.login_failed", actor_label="nobody")
    event.details = {"tampered": True}
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.details == {}


# --- retention -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_prune_keeps_six_months_even_if_the_setting_is_lower(settings):
    settings.AUDIT_RETENTION_DAYS = 30  # bypassing the settings floor: the command has its own
    old = aged(record_event(actor=None, event_type="auth.login", actor_label="a"), 200)
    middle = aged(record_event(actor=None, event_type="auth.login", actor_label="b"), 100)
    recent = record_event(actor=None, event_type="auth.login", actor_label="c")
    out = io.StringIO()
    call_command("prune_audit_events", stdout=out)
    assert "保存期限 183 天：已删除 1 条" in out.getvalue()
    remaining = set(AuditEvent.objects.values_list("pk", flat=True))
    assert old.pk not in remaining
    assert {middle.pk, recent.pk} <= remaining
    pruned = AuditEvent.objects.get(event_type="audit.pruned")
    assert pruned.details["deleted"] == 1
    assert pruned.details["retention_days"] == 183


@pytest.mark.django_db
def test_prune_honours_a_longer_retention_and_dry_run(settings):
    settings.AUDIT_RETENTION_DAYS = 365
    kept = aged(record_event(actor=None, event_type="auth.login"), 200)
    gone = aged(record_event(actor=None, event_type="auth.login"), 400)
    out = io.StringIO()
    call_command("prune_audit_events", "--dry-run", stdout=out)
    assert "有 1 条" in out.getvalue() and "试运行" in out.getvalue()
    assert AuditEvent.objects.filter(pk=gone.pk).exists()
    call_command("prune_audit_events", stdout=out)
    assert AuditEvent.objects.filter(pk=kept.pk).exists()
    assert not AuditEvent.objects.filter(pk=gone.pk).exists()


# --- selectors -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_selector_scopes_by_jurisdiction_and_filters(settings):
    settings.DEFAULT_POOLING_REGION = "370200"
    qingdao, weifang = staff("qd"), staff("wf", jurisdiction="370700")
    clerk = staff("clerk", role="intake")
    login = record_event(actor=clerk, event_type="auth.login", details={"method": "password"})
    roles = record_event(actor=qingdao, event_type="accounts.roles_changed", target=clerk)
    other = record_event(actor=weifang, event_type="auth.login")
    anonymous = record_event(actor=None, event_type="auth.login_failed", actor_label="ghost")
    aged(login, 10)

    assert set(audit_event_list(actor=qingdao, filters={})) == {login, roles, anonymous}
    # The home region's auditors also see region-less events; others only their own.
    assert set(audit_event_list(actor=weifang, filters={})) == {other}
    assert set(audit_event_list(actor=qingdao, filters={"event_type": "auth.login"})) == {login}
    assert set(audit_event_list(actor=qingdao, filters={"event_type": "auth."})) == {login, anonymous}
    assert set(audit_event_list(actor=qingdao, filters={"actor": "CLERK"})) == {login}
    assert set(audit_event_list(actor=qingdao, filters={"actor": "ghost"})) == {anonymous}
    assert set(audit_event_list(actor=qingdao, filters={"target_type": "accounts.user",
                                                        "target_id": str(clerk.pk)})) == {roles}
    today = timezone.localdate()
    assert set(audit_event_list(actor=qingdao, filters={"date_from": today})) == {roles, anonymous}
    assert set(audit_event_list(actor=qingdao, filters={"date_to": today - timedelta(days=1)})) == {login}
    assert list(audit_event_list(actor=User.objects.create_user(username="e", password="x", kind="employer"),
                                 filters={})) == []


@pytest.mark.django_db
def test_actor_filter_joins_the_account_and_the_name_newest_first(settings):
    settings.DEFAULT_POOLING_REGION = "370200"
    auditor, clerk = staff("qd"), staff("clerk", role="intake")
    events = [aged(record_event(actor=clerk, event_type="case.viewed"), 5),
              aged(record_event(actor=None, event_type="auth.login_failed", actor_label="Clerk"), 4),
              aged(record_event(actor=clerk, event_type="auth.login"), 3),
              aged(record_event(actor=None, event_type="auth.login_failed", actor_label="clerk"), 1)]
    record_event(actor=auditor, event_type="auth.login")
    record_event(actor=None, event_type="auth.login_failed", actor_label="other")
    rows = audit_event_list(actor=auditor, filters={"actor": "CLERK"})
    assert list(rows) == events[::-1]
    assert rows.count() == 4 and list(rows[1:3]) == events[2:0:-1]
    since = timezone.localdate() - timedelta(days=3)
    assert list(audit_event_list(actor=auditor, filters={"actor": "clerk", "date_from": since})) == [events[3], events[2]]
    # No such account: the recorded name alone.
    assert list(audit_event_list(actor=auditor, filters={"actor": "OTHER"}))[0].actor_label == "other"


@pytest.mark.django_db
def test_actor_filter_pages_on_the_audit_page(client):
    clerk = staff("clerk", role="intake")
    client.force_login(staff("qd"))
    for day in range(55):
        aged(record_event(actor=clerk, event_type="case.viewed"), day)
    html = client.get(reverse("core:audit_list"), {"actor": "clerk", "page": 2}).content.decode()
    assert "第 2 / 2 页，共 55 条" in html


@pytest.mark.django_db
def test_event_type_suggestions_are_the_types_in_scope(settings):
    from gongshang.core.audit.selectors import audit_event_types

    settings.DEFAULT_POOLING_REGION = "370200"
    auditor = staff("qd")
    for event_type in ("b.two", "a.one", "b.two", "c.three"):
        record_event(actor=auditor, event_type=event_type)
    record_event(actor=staff("wf", jurisdiction="370700"), event_type="z.elsewhere")
    assert audit_event_types(actor=auditor) == ["a.one", "b.two", "c.three"]


@pytest.mark.django_db
def test_pii_access_log_is_scoped_by_the_viewers_jurisdiction():
    auditor = staff("qd")
    reader = staff("reader", role="intake")
    outsider = staff("outsider", role="intake", jurisdiction="370700")
    mine = PiiAccessLog.objects.create(actor=reader, target_type="registry.person", target_id="7",
                                       field="id_number", purpose="受理核对")
    PiiAccessLog.objects.create(actor=outsider, target_type="registry.person", target_id="8", field="mobile")
    assert list(pii_access_list(actor=auditor, filters={})) == [mine]
    assert list(pii_access_list(actor=auditor, filters={"field": "mobile"})) == []


# --- pages ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_audit_page_shows_own_jurisdiction_with_pretty_details(client):
    auditor = staff("qd")
    clerk = staff("clerk", role="intake")
    record_event(actor=clerk, event_type="auth.login", details={"method": "密码", "otp": True})
    record_event(actor=staff("wf-clerk", role="intake", jurisdiction="370700"), event_type="auth.logout")
    client.force_login(auditor)
    response = client.get(reverse("core:audit_list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "clerk" in html and "登录成功" in html
    assert "&quot;method&quot;: &quot;密码&quot;" in html  # JSON, pretty and unescaped Chinese
    assert "wf-clerk" not in html and "auth.logout" not in html
    response = client.get(reverse("core:audit_list"), {"event_type": "auth.logout"})
    assert "没有符合条件的审计事件" in response.content.decode()


@pytest.mark.django_db
def test_audit_page_reports_bad_filters_without_failing(client):
    client.force_login(staff("qd"))
    record_event(actor=None, event_type="auth.login_failed", region="370200")
    response = client.get(reverse("core:audit_list"), {"date_from": "2026-02-01", "date_to": "2026-01-01"})
    assert response.status_code == 200
    assert "起始日期不能晚于截止日期" in response.content.decode()
    response = client.get(reverse("core:audit_list"), {"date_from": "not-a-date"})
    assert response.status_code == 200
    assert "auth.login_failed" in response.content.decode()


@pytest.mark.django_db
def test_audit_page_paginates(client):
    client.force_login(staff("qd"))
    AuditEvent.objects.bulk_create(AuditEvent(event_type="auth.login", region="370200") for _ in range(60))
    html = client.get(reverse("core:audit_list")).content.decode()
    assert "第 1 / 2 页，共 60 条" in html
    html = client.get(reverse("core:audit_list"), {"page": 2}).content.decode()
    assert html.count("<code class=\"muted\">auth.login</code>") == 10


@pytest.mark.django_db
def test_pii_access_page(client):
    auditor = staff("qd")
    PiiAccessLog.objects.create(actor=staff("reader", role="intake"), target_type="registry.person",
                                target_id="7", field="id_number", purpose="受理核对")
    client.force_login(auditor)
    response = client.get(reverse("core:pii_access_list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "受理核对" in html and "reader" in html
    response = client.get(reverse("core:pii_access_list"), {"date_to": str(date(2000, 1, 1))})
    assert "没有符合条件的查阅记录" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["system_admin", "security_admin", "intake", None])
@pytest.mark.parametrize("url_name", ["core:audit_list", "core:pii_access_list"])
def test_audit_pages_are_for_audit_admins_only(client, role, url_name):
    client.force_login(staff("other", role=role))
    assert client.get(reverse(url_name)).status_code == 403


@pytest.mark.django_db
def test_audit_pages_require_a_staff_login(client):
    assert client.get(reverse("core:audit_list")).status_code == 302
    client.force_login(User.objects.create_user(username="emp", password="x", kind="employer"))
    assert client.get(reverse("core:audit_list")).status_code == 403  # signed in, wrong audience: refused, not sent to login again


# --- client IP -----------------------------------------------------------------------------


def make_request(remote="10.0.0.9", forwarded=None):
    from django.test import RequestFactory

    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_client_ip_ignores_forwarded_for_without_trusted_proxies(settings):
    from gongshang.core.audit import client_ip

    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(make_request("203.0.113.7", "1.2.3.4")) == "203.0.113.7"
    del settings.TRUSTED_PROXY_COUNT  # the default is 0 as well
    assert client_ip(make_request("203.0.113.7", "1.2.3.4")) == "203.0.113.7"
    assert client_ip(make_request("", "1.2.3.4")) is None
    assert client_ip(None) is None


def test_client_ip_takes_the_address_our_own_proxies_added(settings):
    from gongshang.core.audit import client_ip

    settings.TRUSTED_PROXY_COUNT = 1
    # A client sending its own X-Forwarded-For gets it prefixed, not replaced, by our proxy.
    assert client_ip(make_request("10.0.0.2", "6.6.6.6, 198.51.100.4")) == "198.51.100.4"
    assert client_ip(make_request("10.0.0.2", "198.51.100.4")) == "198.51.100.4"
    assert client_ip(make_request("10.0.0.2", "2001:db8::1")) == "2001:db8::1"
    settings.TRUSTED_PROXY_COUNT = 2  # CDN → load balancer → app
    assert client_ip(make_request("10.0.0.2", "6.6.6.6, 198.51.100.4, 10.0.0.1")) == "198.51.100.4"
    # Too few entries or a malformed one: the peer address.
    assert client_ip(make_request("10.0.0.2", "198.51.100.4")) == "10.0.0.2"
    assert client_ip(make_request("10.0.0.2")) == "10.0.0.2"
    assert client_ip(make_request("10.0.0.2", "not-an-ip, 10.0.0.1")) == "10.0.0.2"


@pytest.mark.django_db
def test_forged_forwarded_for_does_not_reach_the_audit_trail(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    with using(AuditContext.from_request(make_request("203.0.113.7", "1.1.1.1"))):
        event = record_event(actor=None, event_type="auth.login_failed")
    assert event.ip == "203.0.113.7"


# --- default region of an event ------------------------------------------------------------


@pytest.mark.django_db
def test_events_of_employers_and_individuals_belong_to_their_region(employer_user_a, zhang_wei, individual_user,
                                                                    django_assert_num_queries):
    employer_user_a.employer.region = "370100"
    employer_user_a.employer.save()
    employer_user = User.objects.get(pk=employer_user_a.pk)
    assert record_event(actor=employer_user, event_type="auth.login").region == "370100"
    assert record_event(actor=individual_user, event_type="auth.login").region == ""  # not bound yet
    individual_user.person = zhang_wei
    individual_user.save()
    zhang_wei.region = "370700"
    zhang_wei.save()
    individual = User.objects.get(pk=individual_user.pk)
    assert record_event(actor=individual, event_type="auth.login").region == "370700"
    # An explicit region costs no lookup of the employer.
    fresh = User.objects.get(pk=employer_user_a.pk)
    with django_assert_num_queries(1):
        assert record_event(actor=fresh, event_type="auth.login", region="370200").region == "370200"
    qd = staff("qd-auditor", jurisdiction="370100")
    assert audit_event_list(actor=qd, filters={"actor": employer_user_a.username}).count() == 1


# --- date filters out of range -------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", ["core:audit_list", "core:pii_access_list"])
@pytest.mark.parametrize("params", [{"date_from": "0001-01-01"}, {"date_to": "9999-12-31"},
                                    {"date_from": "1999-12-31", "date_to": "2101-01-01"}])
def test_far_off_filter_dates_are_reported_next_to_the_field(client, url_name, params):
    client.force_login(staff("qd"))
    record_event(actor=None, event_type="auth.login_failed", region="370200")
    response = client.get(reverse(url_name), params)
    assert response.status_code == 200
    html = response.content.decode()
    assert "日期应在 2000 年至 2100 年之间" in html
    if url_name == "core:audit_list":
        assert "auth.login_failed" in html  # the bad bound is ignored, not applied


@pytest.mark.django_db
def test_selectors_never_overflow_on_extreme_dates():
    auditor = staff("qd")
    event = record_event(actor=None, event_type="auth.login_failed", region="370200")
    for filters, expected in [
        ({"date_from": date.min, "date_to": date.max}, [event]),
        ({"date_from": date(1, 1, 1)}, [event]),
        ({"date_to": date(9999, 12, 31)}, [event]),
        ({"date_from": date(9999, 12, 31)}, []),
        ({"date_to": date(1, 1, 1)}, []),
        ({"date_from": "not-a-date"}, [event]),
    ]:
        assert list(audit_event_list(actor=auditor, filters=filters)) == expected, filters
        list(pii_access_list(actor=auditor, filters=filters))


def test_client_network_counts_an_ipv6_client_by_its_64(settings):
    """An IPv6 subscriber owns a whole /64: rate limits must not see a new client per address."""
    from gongshang.core.audit import client_ip, client_network

    settings.TRUSTED_PROXY_COUNT = 0
    assert client_network(make_request("2001:db8:1:2::1")) == "2001:db8:1:2::"
    assert client_network(make_request("2001:db8:1:2:ffff:ffff:ffff:ffff")) == "2001:db8:1:2::"
    assert client_network(make_request("2001:db8:1:3::1")) == "2001:db8:1:3::"
    assert client_network(make_request("::ffff:203.0.113.9")) == "203.0.113.9"
    assert client_network(make_request("203.0.113.9")) == "203.0.113.9"
    assert client_network(make_request("")) is None and client_network(None) is None
    assert client_ip(make_request("2001:db8:1:2::1")) == "2001:db8:1:2::1"  # audit keeps the address


def test_a_proxy_without_trusted_proxy_count_is_warned_about_once(settings, caplog, monkeypatch):
    """Behind nginx with TRUSTED_PROXY_COUNT=0 every client is the proxy: one login spray would pause
    everyone's logins. The operator is told in the log."""
    from gongshang.core import audit

    monkeypatch.setattr(audit, "_proxy_warning_given", False)
    settings.TRUSTED_PROXY_COUNT = 0
    with caplog.at_level("WARNING", logger="gongshang.core.audit"):
        assert audit.client_ip(make_request("52.80.1.1", "1.2.3.4")) == "52.80.1.1"  # a public peer: no proxy of ours
        assert audit.client_ip(make_request("127.0.0.1", "198.51.100.4")) == "127.0.0.1"
        assert audit.client_ip(make_request("10.0.0.2", "198.51.100.5")) == "10.0.0.2"
    warnings = [r for r in caplog.records if "TRUSTED_PROXY_COUNT" in r.getMessage()]
    assert len(warnings) == 1 and "127.0.0.1" in warnings[0].getMessage()


# --- scope: auditors only, of their own 统筹区 (AuditEvent.access / PiiAccessLog.access) ---------------


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["system_admin", "security_admin", "hotline", "intake", "reviewer"])
def test_selectors_give_other_roles_of_the_region_nothing(role):
    """Before: any staff role of the 统筹区 got the events from the selector (only the page held it)."""
    record_event(actor=None, event_type="auth.login_failed", region="370200")
    other = staff(f"other-{role}", role)
    PiiAccessLog.objects.create(actor=other, target_type="registry.person", target_id="1", field="id_number")
    assert not audit_event_list(actor=other).exists()
    assert not pii_access_list(actor=other).exists()
    assert audit_event_list(actor=staff("aud", "audit_admin")).count() == 1
    assert pii_access_list(actor=staff("aud2", "audit_admin")).count() == 1


@pytest.mark.django_db
def test_events_without_a_region_only_for_the_home_regions_auditors(settings):
    settings.DEFAULT_POOLING_REGION = "370200"
    record_event(actor=None, event_type="auth.login_failed", region="")
    record_event(actor=None, event_type="auth.login_failed", region="370100")
    home, jinan = staff("aud-qd", "audit_admin"), staff("aud-jn", "audit_admin", jurisdiction="370100")
    assert list(audit_event_list(actor=home).values_list("region", flat=True)) == [""]
    assert list(audit_event_list(actor=jinan).values_list("region", flat=True)) == ["370100"]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["system_admin", "security_admin", "hotline"])
def test_audit_pages_refuse_other_roles_with_403(client, role):
    client.force_login(staff(f"x-{role}", role))
    assert client.get(reverse("core:audit_list")).status_code == 403
    assert client.get(reverse("core:pii_access_list")).status_code == 403
