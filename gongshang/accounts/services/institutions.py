"""定点机构 API clients: client id + secret (shown once), used with POST /api/v1/auth/token."""

import secrets

from django.db import transaction

from gongshang.accounts.access import require
from gongshang.accounts.choices import Audience, AuthEvent
from gongshang.accounts.models import User
from gongshang.core.audit import record_event
from gongshang.core.errors import FieldErrors


def institution_client_create(*, actor: User | None, name: str, jurisdiction: str,
                              client_id: str | None = None, secret: str | None = None) -> tuple[User, str]:
    if actor is not None:
        require(actor, "institution_credential", "manage")
    name = (name or "").strip()
    if not name:
        raise FieldErrors({"name": "请填写定点机构名称"})
    client_id = client_id or f"inst-{secrets.token_hex(6)}"
    secret = secret or secrets.token_urlsafe(24)
    with transaction.atomic():
        user = User.objects.create_user(username=client_id, password=secret, kind=Audience.INSTITUTION,
                                        display_name=name, jurisdiction=jurisdiction)
        record_event(actor=actor, event_type=AuthEvent.INSTITUTION_CREATED, target=user,
                     region=jurisdiction, details={"client_id": client_id, "name": name},
                     actor_label="" if actor else "system")
    return user, secret
