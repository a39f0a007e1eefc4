"""The audit context of the current request: who is calling from where, set once by middleware.

Services take a typed `actor` and read the client's address from here when they record an audit
event or count a rate limit, instead of taking the `request` (DESIGN convention 13). Outside a
request (tasks, commands, tests) the context is empty unless a caller sets one with `using()`.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class AuditContext:
    ip: str | None = None          # the client's address as far as it can be trusted (client_ip)
    network: str | None = None     # what rate limits count: IPv4 address or IPv6 /64 (client_network)
    user_agent: str = ""
    base_url: str = ""             # the address the request came to (issued documents' QR in development)

    @classmethod
    def from_request(cls, request) -> AuditContext:
        from . import client_ip, client_network

        return cls(ip=client_ip(request), network=client_network(request),
                   user_agent=(request.META.get("HTTP_USER_AGENT") or "")[:200],
                   base_url=_base_url(request))


def _base_url(request) -> str:
    from django.core.exceptions import DisallowedHost

    try:
        return request.build_absolute_uri("/").rstrip("/")
    except DisallowedHost:  # a host ALLOWED_HOSTS refuses: the page answers 400 anyway; no base address
        return ""


EMPTY = AuditContext()
_current: ContextVar[AuditContext] = ContextVar("gongshang_audit_context", default=EMPTY)


def current() -> AuditContext:
    return _current.get()


@contextmanager
def using(context: AuditContext):
    token = _current.set(context)
    try:
        yield context
    finally:
        _current.reset(token)


class AuditContextMiddleware:
    """Sets the audit context for the whole request (pages and API)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with using(AuditContext.from_request(request)):
            return self.get_response(request)
