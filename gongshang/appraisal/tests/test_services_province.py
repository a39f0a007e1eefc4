"""再次鉴定: the package (manifest hashes match the files) and the provincial conclusion (only for a
referred 再次鉴定; final; supersedes; recomputes benefits)."""

import hashlib
import io
import json
import zipfile
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gongshang.appraisal.services import conclusions, province
from gongshang.benefits.models import CaseConclusion
from gongshang.core.errors import DomainError, FieldErrors
from gongshang.core.files.pdf import blank_pdf

from .factories import make_application
from .factories_conclusions import examined

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-03-02 10:00 +08:00")]


@pytest.fixture(autouse=True)
def parameters(db):
    from gongshang.benefits.demo import seed_parameters

    seed_parameters()


def pdf():
    return SimpleUploadedFile("省级结论.pdf", blank_pdf(), content_type="application/pdf")


@pytest.fixture
def first(case, worker, apr):
    return conclusions.conclusion_create(actor=apr, application=examined(case=case, creator=worker, apr=apr, grade=7),
                                         data={})


@pytest.fixture
def second(case, worker, first):
    return make_application(case=case, creator=worker, kind="second", status="accepted", previous_conclusion=first,
                            received_on=date(2026, 3, 2), accepted_on=date(2026, 3, 2))


def test_refer_exports_a_package_whose_manifest_hashes_match_the_files(apr, second, first):
    content, manifest = province.application_refer(actor=apr, application=second)
    second.refresh_from_db()
    assert second.status == "referred"
    archive = zipfile.ZipFile(io.BytesIO(content))
    assert json.loads(archive.read("manifest.json"))["case"]["number"] == second.case.number
    assert manifest["earlier_conclusion"]["number"] == first.number and manifest["opinions"] == []
    assert manifest["files"], "the earlier conclusion at least"
    for entry in manifest["files"]:
        data = archive.read(entry["path"])
        assert hashlib.sha256(data).hexdigest() == entry["sha256"] and len(data) == entry["size"]


def test_import_only_for_a_referred_second_appraisal(apr, second):
    data = {"grade": 6, "self_care": "", "number": "鲁劳鉴〔2026〕5号", "concluded_on": "2026-03-01"}
    with pytest.raises(DomainError) as exc:
        province.provincial_conclusion_import(actor=apr, application=second, data=data, upload=pdf())
    assert exc.value.status == 409


def test_provincial_conclusion_is_final_supersedes_and_recomputes(apr, second, first):
    province.application_refer(actor=apr, application=second)
    with pytest.raises(FieldErrors) as exc:
        province.provincial_conclusion_import(actor=apr, application=second, data={"grade": 11}, upload=pdf())
    assert {"grade", "number", "concluded_on"} <= set(exc.value.errors)
    data = {"grade": 6, "self_care": "", "number": "鲁劳鉴〔2026〕5号", "concluded_on": "2026-03-01"}
    conclusion = province.provincial_conclusion_import(actor=apr, application=second, data=data, upload=pdf())
    second.refresh_from_db()
    assert second.status == "concluded" and conclusion.provincial and conclusion.supersedes == first
    assert conclusions.current_conclusion(second.case) == conclusion
    current = CaseConclusion.objects.get(case=second.case, superseded_by__isnull=True)
    assert current.disability_grade == 6 and current.conclusion_number == "鲁劳鉴〔2026〕5号"
    assert current.entitlements.filter(status="pending").exists()


@pytest.mark.parametrize("status", ["examined", "concluded", "delivered"])
def test_package_is_only_for_a_second_appraisal_accepted_or_referred(apr, case, worker, first, status):
    initial = examined(case=case, creator=worker, apr=apr)
    with pytest.raises(DomainError) as refused:
        province.package_build(actor=apr, application=initial)
    assert refused.value.status == 409 and "再次鉴定" in refused.value.message
    second = make_application(case=case, creator=worker, kind="second", status=status, previous_conclusion=first,
                              received_on=date(2026, 3, 2), accepted_on=date(2026, 3, 2))
    with pytest.raises(DomainError):
        province.package_build(actor=apr, application=second)
