"""One transition helper for every workflow (DESIGN convention 4).

A workflow is pure data in its app's `rules/`: for each action (named as in the access matrix),
the statuses it may start from and the status it leads to. A model opts in with two class
attributes: `workflow = Workflow(...)` and `access = Scope(...)`; when it has a timeline it defines
`append_timeline(*, actor, action, source, target, details)`.

`transition(actor, obj, action, ...)` does in one call and one transaction: check the matrix (and
the model's per-row condition), lock the row, check the table and the condition again on the locked row, write
the new status and the other changes, append the timeline entry and the audit event.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db import OperationalError, transaction

from gongshang.core.audit import record_event
from gongshang.core.errors import CoreErrorCode, DomainError

STALE_MESSAGE = "该记录当前状态不允许此操作，可能已被他人处理，请刷新页面查看最新状态。"
BUSY_MESSAGE = "该记录正由他人处理，请稍后重试。"


@dataclass(frozen=True)
class Step:
    """One action of a workflow: from any of `sources` to `target` (None: the status stays)."""

    sources: frozenset[str]
    target: str | None


def step(sources: Iterable[str] | str, target: str | None) -> Step:
    if isinstance(sources, str):
        sources = (sources,)
    return Step(frozenset(str(s) for s in sources), None if target is None else str(target))


@dataclass(frozen=True)
class Workflow:
    """The transition table of one status field, keyed by action."""

    kind: str                       # the access matrix row whose actions these are
    steps: Mapping[str, Step]
    field: str = "status"
    statuses: tuple[str, ...] = ()

    def can(self, action: str, current) -> bool:
        found = self.steps.get(action)
        return found is not None and str(current) in found.sources

    def target_of(self, action: str, current) -> str:
        found = self.steps[action]
        return str(current) if found.target is None else found.target

    def actions_from(self, current) -> tuple[str, ...]:
        return tuple(a for a, s in self.steps.items() if str(current) in s.sources)

    def table(self) -> dict[str, frozenset[str]]:
        """status → statuses it may move to (for documentation and tests)."""
        result: dict[str, set[str]] = {s: set() for s in self.statuses}
        for found in self.steps.values():
            for source in found.sources:
                result.setdefault(source, set()).add(found.target or source)
        return {k: frozenset(v) for k, v in result.items()}


def transition(actor, obj, action: str, *, event_type: str | None = None, details: dict | None = None,
               changes: dict | None = None, region: str = "", message: str | None = None,
               check_access: bool = True, workflow: Workflow | None = None, code=None, actor_label: str = ""):
    """Take `action` on `obj` and return the locked, saved row.

    - `actor`: the account acting, or None for the platform itself (a task); None skips the matrix.
    - `event_type`: the audit event type (default "<kind>.<action>"); `details` go into the timeline
      entry and the audit event with "from" and "to".
    - `changes`: other fields written with the status (assignee, decision, timestamps).
    - `message`: the refusal when the status does not allow the action (409); `code` its error code
      when the app's API has promised one (default CONFLICT).
    - `workflow`: the table of a model's second status field (e.g. an application period status);
      default the model's `workflow` attribute.
    - `actor_label`: who acted when `actor` is None (e.g. "系统（批量报盘处理）").
    """
    from gongshang.accounts.access import check

    model = type(obj)
    workflow = workflow or model.workflow
    if actor is not None and check_access:
        check(actor, obj, action)
    with transaction.atomic():
        try:
            locked = model._default_manager.select_for_update().get(pk=obj.pk)
        except OperationalError as exc:  # a lock wait that timed out (PostgreSQL lock_timeout, SQLite busy)
            raise DomainError(CoreErrorCode.CONFLICT, BUSY_MESSAGE, status=409) from exc
        source = str(getattr(locked, workflow.field))
        if not workflow.can(action, source):
            raise DomainError(code or CoreErrorCode.CONFLICT, message or getattr(code, "label", STALE_MESSAGE), status=409,
                              details={"status": source, "action": action})
        if actor is not None and check_access:
            # Again on the locked row: a request that loaded the object before another one committed
            # (an approval by the same person, a re-allocation) must not act on its stale copy.
            check(actor, locked, action)
        target = workflow.target_of(action, source)
        setattr(locked, workflow.field, target)
        for name, value in (changes or {}).items():
            setattr(locked, name, value)
        update_fields = [workflow.field, *(changes or {})]
        if any(f.name == "updated_at" for f in model._meta.concrete_fields):
            update_fields.append("updated_at")
        locked.save(update_fields=update_fields)
        payload = {"from": source, "to": target, **(details or {})}
        appender = getattr(locked, "append_timeline", None)
        if appender is not None:
            appender(actor=actor, action=action, source=source, target=target, details=details or {})
        record_event(actor=actor, event_type=event_type or f"{workflow.kind}.{action}", target=locked,
                     details=payload, actor_label=actor_label, region=region or getattr(locked, "region", "") or "")
    obj.__dict__.update({k: v for k, v in locked.__dict__.items() if not k.startswith("_")})
    return locked
