"""Recording audit events. Call inside the business transaction so the event and the change
land together (or not at all)."""

import ipaddress
import logging

from django.conf import settings

from gongshang.core.models import AuditEvent

logger = logging.getLogger(__name__)
_proxy_warning_given = False


def _valid_ip(value) -> str | None:
    value = (value or "").strip()
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The client's address, as far as it can be trusted.

    X-Forwarded-For is written by whoever sends the request, except for the entries our own
    proxies append on the right. With settings.TRUSTED_PROXY_COUNT = N (0 when the app is
    reached directly), the client is the N-th address from the right; anything left of it may be
    forged. Without enough entries, or with a malformed one, REMOTE_ADDR (the peer) is used.
    """
    if request is None:
        return None
    remote = _valid_ip(request.META.get("REMOTE_ADDR"))
    try:
        trusted = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    except (TypeError, ValueError):
        trusted = 0
    if trusted <= 0:
        if remote and "HTTP_X_FORWARDED_FOR" in request.META:
            _warn_untrusted_proxy(remote)
        return remote
    hops = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [hop for hop in hops if hop]
    if len(hops) < trusted:
        return remote
    return _valid_ip(hops[-trusted]) or remote


def _warn_untrusted_proxy(remote: str) -> None:
    """Once per process: a proxy on a private or loopback address forwards requests, yet
    TRUSTED_PROXY_COUNT is 0, so every client counts as that proxy: 20 failed logins by anyone
    would pause every login (the per-client throttle), and the audit shows the proxy's address."""
    global _proxy_warning_given
    address = ipaddress.ip_address(remote)
    if _proxy_warning_given or not (address.is_private or address.is_loopback):
        return
    _proxy_warning_given = True
    logger.warning("Requests arrive through a proxy at %s (X-Forwarded-For) but TRUSTED_PROXY_COUNT is 0: every "
                   "client counts as %s for login lockouts, rate limits and the audit log. Set TRUSTED_PROXY_COUNT "
                   "to the number of proxies that append to X-Forwarded-For.", remote, remote)


IPV6_CLIENT_PREFIX = 64


def client_network(request) -> str | None:
    """The client as rate limits and lockouts count it: its IPv4 address, or for IPv6 the
    network address of its /64 (written like an address, e.g. 2001:db8:1:2::).

    One IPv6 subscriber is given a whole /64 (often a /56) and picks any address in it, so
    counting by single IPv6 address lets one client change address on every attempt and never
    reach a limit. IPv4-mapped IPv6 (::ffff:203.0.113.9) counts as its IPv4 address. Audit events
    keep the exact address (client_ip).
    """
    ip = client_ip(request)
    if ip is None:
        return None
    address = ipaddress.ip_address(ip)
    if address.version == 6:
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/{IPV6_CLIENT_PREFIX}", strict=False).network_address)
    return ip


def _default_region(user) -> str:
    """The jurisdiction (统筹区) an account's events belong to: a staff member's own, an
    employer account's employer's, an individual's bound insured person's."""
    if user is None:
        return ""
    if getattr(user, "jurisdiction", ""):
        return user.jurisdiction
    if getattr(user, "employer_id", None):
        return user.employer.region or ""
    if getattr(user, "person_id", None):
        return user.person.region or ""
    return ""


def current_context():
    from .context import current

    return current()


def _label_of(user) -> str:
    """Who acted, as kept on the record: the username; for a 合作经办人员 also the insurer it comes
    from, so the log shows whose staff acted even after the account changes."""
    if user is None:
        return ""
    organisation = getattr(user, "organisation", "")
    label = f"{user.get_username()}（合作经办·{organisation}）" if organisation else user.get_username()
    return label[:150]


def record_event(*, actor, event_type: str, target=None, details: dict | None = None,
                 actor_label: str = "", region: str = "") -> AuditEvent:
    """Append one audit event. `actor` may be None (anonymous); `target` any model instance.

    The client's address comes from the request's audit context (core/audit/context.py).

    Without `region` the event belongs to the actor's jurisdiction (see _default_region); pass it
    when the caller knows it, which also saves loading the employer or person.
    """
    user = actor if getattr(actor, "pk", None) else None
    return AuditEvent.objects.create(
        actor=user,
        actor_label=actor_label or _label_of(user),
        event_type=event_type,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        region=region or _default_region(user),
        ip=current_context().ip,
        details=details or {},
    )
