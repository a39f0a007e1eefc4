import pytest

from gongshang.recognition.models import JurisdictionSetting, RecognitionApplication

pytestmark = pytest.mark.django_db


def test_demo_seeds_several_states_and_is_idempotent():
    from importlib import import_module

    for path in ("gongshang.registry.demo", "gongshang.accounts.demo", "gongshang.quickreports.demo",
                 "gongshang.recognition.demo"):
        import_module(path).seed()
    import_module("gongshang.recognition.demo").seed()
    states = set(RecognitionApplication.objects.filter(region="370200").values_list("status", flat=True))
    assert {"submitted", "accepted", "decided"} <= states
    assert JurisdictionSetting.objects.filter(region="370881").count() == 1
