"""PII: encryption round trip, ciphertext at rest, blind index lookup, masking, access log."""

import pytest
from django.db import connection

from gongshang.core.models import PiiAccessLog
from gongshang.core.pii.access import reveal
from gongshang.core.pii.crypto import blind_index, decrypt, encrypt
from gongshang.core.pii.masking import mask_bank_account, mask_id_number, mask_mobile, mask_name
from gongshang.registry.models import InsuredPerson


def test_encrypt_round_trip_and_random_iv():
    a, b = encrypt("370202198803151237"), encrypt("370202198803151237")
    assert a != b and "370202198803151237" not in a
    assert decrypt(a) == decrypt(b) == "370202198803151237"


def test_key_rotation_keeps_old_values_readable(settings):
    from cryptography.fernet import Fernet

    old = encrypt("13800000001")
    settings.PII_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), *settings.PII_ENCRYPTION_KEYS]
    assert decrypt(old) == "13800000001"


def test_blind_index_normalizes():
    assert blind_index("37020219880315123x") == blind_index("37020219880315123X ")
    assert blind_index("") is None and len(blind_index("1")) == 64


def test_masking_formats():
    assert mask_id_number("370202198803151237") == "370202********1237"
    assert mask_mobile("13812345678") == "138****5678"
    assert mask_bank_account("6222021234567890123") == "6222 **** **** 0123"
    assert mask_name("张伟") == "张*"
    assert mask_id_number("") == "" and mask_mobile(None) == ""


@pytest.mark.django_db
def test_stored_encrypted_and_found_by_index(zhang_wei):
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, mobile FROM registry_insuredperson WHERE id = %s", [zhang_wei.pk])
        raw_id, raw_mobile = cursor.fetchone()
    assert raw_id.startswith("enc1:") and "370202198803151237" not in raw_id
    assert "13900000001" not in raw_mobile
    found = InsuredPerson.objects.get(id_number_index=blind_index("370202198803151237"))
    assert found.id_number == "370202198803151237"


@pytest.mark.django_db
def test_encrypted_field_refuses_searching():
    with pytest.raises(TypeError):
        list(InsuredPerson.objects.filter(id_number__startswith="3702"))


@pytest.mark.django_db
def test_staff_view_of_unmasked_value_is_logged(zhang_wei, staff_factory, employer_user_a):
    staff = staff_factory("intake")
    assert reveal(actor=staff, obj=zhang_wei, field="id_number", purpose="受理核对") == "370202198803151237"
    log = PiiAccessLog.objects.get()
    assert (log.actor, log.field, log.target_id, log.purpose) == (staff, "id_number", str(zhang_wei.pk), "受理核对")
    reveal(actor=employer_user_a, obj=zhang_wei, field="id_number")
    assert PiiAccessLog.objects.count() == 1
