"""The set-based apply of a tax file: its temporary tables leave nothing behind, employers are only this
统筹区's, and only unknown persons' ID numbers are encrypted in Python."""

import pytest
from django.db import DatabaseError, connection, transaction

from gongshang.registry.tests.factories import EmployerFactory

from ..adapters import FormatError
from ..fakes.tax import uscc_for
from ..services import contributions_apply as apply
from .factories_contributions import receive, roster

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-11-16 10:00 +0800")]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def _exists(table: str) -> bool:
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"SELECT 1 FROM {table}")  # noqa: S608 — a constant
    except DatabaseError:
        return False
    return True


def test_the_temporary_tables_are_dropped_after_a_file_and_after_a_failure():
    staff = roster(1)
    receive(staff.file())
    receive(staff.file())  # again in the same transaction: the tables are made afresh
    assert not any(_exists(t) for t in (apply.RAW, apply.S, apply.C, apply.F))
    with pytest.raises(FormatError):
        receive(staff.file() + "张".encode("gbk"))
    assert not any(_exists(t) for t in (apply.RAW, apply.S, apply.C, apply.F))


def test_employers_are_looked_up_once_and_only_in_the_region():
    here = EmployerFactory(uscc=uscc_for(1), region="370200")
    there = EmployerFactory(uscc=uscc_for(2, region="370211"), region="370211")
    employers = apply.Employers(region="370200")
    assert employers.of({here.uscc, there.uscc, uscc_for(3)}) == {here.uscc: here.pk, there.uscc: None,
                                                                   uscc_for(3): None}
    assert employers.of({here.uscc})[here.uscc] == here.pk


def test_only_unknown_persons_are_encrypted_in_python(monkeypatch):
    staff = roster(3)
    encrypted = []
    from ..adapters import tax

    real = tax.encrypt
    monkeypatch.setattr(tax, "encrypt", lambda value: encrypted.append(value) or real(value))
    receive(staff.file())
    assert encrypted == []
