"""The 快报唯一标志码 as a credential: issue, look up, rate limit, SMS verification, grants.

Only a keyed hash of the code is stored. Malformed, unknown and wrong codes answer the same
404; attempts are counted per client IP and per code in the cache (like accounts.services.sms).

Lockout keys: whoever holds a code must not be able to lock its real holder out for an hour, so
code lookups and SMS verifications are counted per (code or report, client IP), with a much
higher ceiling per code/report across all addresses. Trade-off: clients behind one NAT
(a company network, a carrier-grade NAT) share the per-IP budget; the ceiling stays the last
line against a distributed attack on one report, and only then can it block the holder.

The code and its rate limits are the access check of the anonymous reporter (the endpoints are
marked public). Client addresses come from the audit context. `access_grant` / `has_access` /
`require_access` take the `request` because grants live in the browser session (web glue, not
services); `access_sms_send` hands it on to accounts' `sms_code_send`, which still takes it.
"""

import hashlib
import secrets

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from gongshang.accounts.services.sms import sms_code_send, sms_code_verify
from gongshang.core.audit import record_event
from gongshang.core.audit.context import current
from gongshang.core.errors import DomainError
from gongshang.core.pii.crypto import blind_index, decrypt, encrypt
from gongshang.core.pii.masking import mask_mobile
from gongshang.core.ratelimit import hit

from .. import rules
from ..choices import ReportEventType
from ..errors import QuickReportErrorCode as E
from ..models import QuickReport, QuickReportEvent

SMS_PURPOSE = "quick_report"
GRANT_SECONDS = 30 * 60
SESSION_KEY = "quickreport_grants"
WINDOW_SECONDS = 3600


def _limit(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def code_index(compact: str) -> str:
    return blind_index(f"QUICKREPORT:{compact}")


def issue_code() -> tuple[str, str]:
    """(compact code, index) not yet used by any report."""
    while True:
        compact = rules.generate_code()
        index = code_index(compact)
        if not QuickReport.objects.filter(code_index=index).exists():
            return compact, index


def _hit(key: str, limit: int) -> None:
    hit(key, limit=limit, window_seconds=WINDOW_SECONDS,
        message="快报唯一标志码尝试次数过多，请一小时后再试；如遗失标志码请拨打 12333。")


def _key_part(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _network() -> str:
    return current().network or "unknown"


def report_by_code(code: str) -> QuickReport:
    """The report for a typed code, or the one 404 for anything else. Rate limited per client IP
    (every lookup counts) and per code (so one code cannot be hammered from many addresses)."""
    ip = _network()
    compact = rules.normalize_code(code)[:64]
    _hit(f"qr-ip:{ip}", _limit("QUICKREPORT_LOOKUPS_PER_IP_HOUR", 60))
    _hit(f"qr-code-ip:{_key_part(compact + '|' + ip)}", _limit("QUICKREPORT_LOOKUPS_PER_CODE_IP_HOUR", 30))
    _hit(f"qr-code:{_key_part(compact)}", _limit("QUICKREPORT_LOOKUPS_PER_CODE_HOUR", 300))
    report = None
    if rules.is_well_formed(compact):
        report = QuickReport.objects.select_related("accident", "employer").filter(
            code_index=code_index(compact)).first()
    if report is None:
        _hit(f"qr-ipfail:{ip}", _limit("QUICKREPORT_FAILURES_PER_IP_HOUR", 10))
        raise DomainError(E.CODE_INVALID, status=404)
    return report


def is_reporter(user, report: QuickReport) -> bool:
    return bool(user is not None and getattr(user, "pk", None) and report.reporter_id == user.pk)


def access_sms_send(*, report: QuickReport) -> str:
    """Send a verification code to the reporter's mobile; returns the masked number."""
    ip = _network()
    _hit(f"qr-sms:{report.pk}:{_key_part(ip)}", _limit("QUICKREPORT_ACCESS_SMS_PER_IP_HOUR", 5))
    _hit(f"qr-sms:{report.pk}", _limit("QUICKREPORT_ACCESS_SMS_PER_REPORT_HOUR", 20))  # SMS cost ceiling
    sms_code_send(mobile=report.reporter_mobile, purpose=SMS_PURPOSE, region=report.region)
    with transaction.atomic():
        # The client address is in the audit log (sms_code_send records it), not in the timeline
        # the reporter reads.
        QuickReportEvent.objects.create(report=report, event_type=ReportEventType.ACCESS_CODE_SENT, details={})
    return mask_mobile(report.reporter_mobile)


def access_grant(request, *, report: QuickReport, sms_code: str) -> str:
    """Exchange the reporter's SMS code for a 30-minute grant on this report; returns the token.
    The session key is renewed on the grant (no fixation of a pre-set session cookie)."""
    ip = _network()
    _hit(f"qr-verify:{report.pk}:{_key_part(ip)}", _limit("QUICKREPORT_ACCESS_VERIFY_PER_IP_HOUR", 10))
    _hit(f"qr-verify:{report.pk}", _limit("QUICKREPORT_ACCESS_VERIFY_PER_REPORT_HOUR", 100))
    if not sms_code_verify(mobile=report.reporter_mobile, purpose=SMS_PURPOSE, code=sms_code):
        raise DomainError(E.SMS_CODE_INVALID, status=422, details=[{"field": "sms_code",
                                                                     "message": E.SMS_CODE_INVALID.label}])
    token = secrets.token_urlsafe(32)
    cache.set(f"qr-grant:{_key_part(token)}", report.pk, timeout=GRANT_SECONDS)
    record_event(actor=None, actor_label="quick-report-access", event_type="quickreport.access_granted",
                 target=report, region=report.region)
    session = getattr(request, "session", None)
    if session is not None:
        session.cycle_key()
        grants = dict(session.get(SESSION_KEY, {}))
        grants[str(report.pk)] = token
        session[SESSION_KEY] = grants
    return token


def _granted(request, report_id: int, token: str = "") -> bool:
    """A valid grant on the report: the header token, or the one this browser session holds."""
    tokens = [token] if token else []
    session = getattr(request, "session", None)
    if session is not None and session.get(SESSION_KEY, {}).get(str(report_id)):
        tokens.append(session[SESSION_KEY][str(report_id)])
    return any(cache.get(f"qr-grant:{_key_part(t)}") == report_id for t in tokens)


def has_access(request, *, report: QuickReport, user=None, token: str = "") -> bool:
    """The reporter's own account, or a valid grant (header token or this browser session)."""
    return is_reporter(user, report) or _granted(request, report.pk, token)


def granted_report(request, *, report_id: int, user=None, token: str = "") -> QuickReport | None:
    """The report by id, only for its reporter's account or a holder of a grant on it (else None:
    the caller answers as for a missing report)."""
    reports = QuickReport.objects.select_related("accident", "employer")
    if getattr(user, "pk", None):
        own = reports.filter(pk=report_id, reporter_id=user.pk).first()
        if own is not None:
            return own
    try:
        report_id = int(report_id)
    except (TypeError, ValueError):
        return None
    return reports.filter(pk=report_id).first() if _granted(request, report_id, token) else None


def require_access(request, *, report: QuickReport, user=None, token: str = "") -> None:
    if not has_access(request, report=report, user=user, token=token):
        raise DomainError(E.ACCESS_REQUIRED, status=403)


def session_code_keep(session, key: str, report_id: int, code: str) -> None:
    """Keep a formatted code in the session encrypted (PII crypto), for the grant's lifetime."""
    codes = dict(session.get(key, {}))
    codes[str(report_id)] = encrypt(code)
    session[key] = codes


def session_code_get(session, key: str, report_id: int) -> str:
    token = session.get(key, {}).get(str(report_id))
    try:
        return decrypt(token) if token else ""
    except Exception:  # a rotated-away key or a tampered value: as if absent
        return ""


def session_code_clear(session, key: str, report_id: int) -> None:
    codes = dict(session.get(key, {}))
    if codes.pop(str(report_id), None) is not None:
        session[key] = codes
