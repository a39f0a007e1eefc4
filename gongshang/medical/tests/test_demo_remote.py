"""The demo of 异地就医备案 and 辅助器具 runs after the other demos, leaves 张伟 free to register on the
phone, and changes nothing when run twice."""

import pytest

from gongshang.cases.models import InjuryCase
from gongshang.medical.models import AgreementInstitution, CatalogueItem, Referral, RemoteRegistration

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-03-10 10:00 +08:00")]


def test_demo_is_idempotent(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    from django.core.management import call_command

    from gongshang.core.pii.crypto import blind_index
    from gongshang.medical.demo import remote
    from gongshang.medical.services import remote as remote_services

    call_command("seed_demo", stdout=None)
    remote.seed()
    counts = [m.objects.count() for m in (RemoteRegistration, Referral, CatalogueItem, AgreementInstitution)]
    remote.seed()
    assert counts == [m.objects.count() for m in (RemoteRegistration, Referral, CatalogueItem, AgreementInstitution)]
    registration = RemoteRegistration.objects.get()
    assert registration.treatment_region == "370100"
    zhang_wei = blind_index("370202198803151237")
    assert not RemoteRegistration.objects.filter(case__person__id_number_index=zhang_wei).exists()
    assert any(remote_services.is_recognised(c) for c in InjuryCase.objects.filter(person__id_number_index=zhang_wei))
    referral = Referral.objects.get(kind="device")
    assert (referral.status, referral.item_code, referral.institution.code) == (
        "chosen", remote.DEVICE_CODE, remote.SUPPLIER_CODE)
