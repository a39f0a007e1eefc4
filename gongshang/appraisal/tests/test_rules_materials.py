"""The pure materials rules (鉴定办法 第八条)."""

import pytest

from ..rules import codes, materials


def kinds(items):
    return [i.kind for i in items]


def test_initial_needs_form_records_id_and_never_the_recognition_decision():
    assert kinds(materials.required("initial")) == ["appraisal_form", "medical_records", "id_card"]
    assert all("认定决定" not in i.label for i in materials.required("initial"))


@pytest.mark.parametrize("kind", sorted(codes.KINDS))
def test_every_kind_has_a_basis_citing_the_law(kind):
    for item in materials.required(kind):
        assert item.basis and ("第" in item.basis or "绿色通道" in item.basis)


def test_second_and_review_take_the_prior_conclusion_from_the_platform():
    for kind in ("second", "review"):
        prior = [i for i in materials.required(kind) if i.kind == "prior_conclusion"][0]
        assert prior.from_case and not prior.upload
    assert materials.missing("second", [], has_prior=True) == [r for r in materials.required("second")
                                                               if r.kind in ("medical_records", "id_card")]
    assert "prior_conclusion" in kinds(materials.missing("second", [], has_prior=False))


def test_green_channel_adds_the_video():
    assert kinds(materials.required("initial", green_channel=True))[-1] == "daily_life_video"
    assert "daily_life_video" in materials.uploadable_kinds("initial", green_channel=True)
    assert "daily_life_video" not in materials.uploadable_kinds("initial")


def test_vault_kinds_from_recognition_are_reused():
    found = materials.present(materials.required("initial"), ["injured_id", "medical_diagnosis"])
    assert found == {"appraisal_form": "generated", "medical_records": "vault", "id_card": "vault"}
    assert materials.missing("initial", ["injured_id", "medical_diagnosis"]) == []


def test_generated_form_counts_only_when_generated():
    assert "appraisal_form" in kinds(materials.missing("initial", [], form_generated=False))
    assert "appraisal_form" not in kinds(materials.missing("initial", []))


def test_dependant_is_examined_on_own_papers():
    assert kinds(materials.required("dependant")) == ["appraisal_form", "dependant_medical_records",
                                                      "dependant_id_card"]
    # the worker's papers in the vault do not count for the relative
    assert kinds(materials.missing("dependant", ["injured_id", "medical_records", "id_card"])) == [
        "dependant_medical_records", "dependant_id_card"]


def test_unknown_kind_raises():
    with pytest.raises(ValueError):
        materials.required("nonsense")


def test_video_limit_is_small():
    assert materials.VIDEO_MAX_BYTES <= 50 * 1024 * 1024
    assert materials.VIDEO_TYPES == {"video/mp4", "video/quicktime"}
