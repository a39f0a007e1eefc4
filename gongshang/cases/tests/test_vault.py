"""材料库: stored once, referenced again without a copy, retired never deleted."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gongshang.cases import vault
from gongshang.cases.models import CaseDocument
from gongshang.cases.services import accident_create, case_create
from gongshang.core.errors import DomainError
from gongshang.core.files.pdf import blank_pdf

pytestmark = pytest.mark.django_db
PDF = blank_pdf()


@pytest.fixture
def case(employer_a, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    from django.utils import timezone

    accident = accident_create(region="370200", occurred_at=timezone.now(), employer=employer_a)
    return case_create(actor=None, accident=accident, injured={"name": "张伟"}, source="application")


def test_upload_reference_retire(case):
    doc = vault.vault_upload(actor=None, case=case, kind="medical_diagnosis",
                             upload=SimpleUploadedFile("d.pdf", PDF, content_type="application/pdf"))
    again = vault.vault_add_stored(actor=None, case=case, kind="medical_diagnosis", stored=doc.file, title="x",
                                   source="issued")
    assert again.pk == doc.pk and CaseDocument.objects.count() == 1
    vault.vault_retire(actor=None, document=doc, reason="错传")
    assert list(vault.vault_documents(case=case)) == [] and vault.vault_documents(case=case, current_only=False)
    with pytest.raises(DomainError):
        vault.vault_retire(actor=None, document=doc)
    assert case.events.filter(event_type="case.document_retired").exists()


def test_type_checked_by_content(case):
    with pytest.raises(DomainError) as exc:
        vault.vault_upload(actor=None, case=case, kind="other",
                           upload=SimpleUploadedFile("x.pdf", b"MZ" + b"\0" * 400))
    assert exc.value.status == 415


def test_import_without_quick_report_is_empty(case):
    assert vault.vault_import_quick_report(actor=None, case=case) == []
