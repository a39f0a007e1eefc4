"""Staff forms of the 认定 stage."""

from types import SimpleNamespace

from gongshang.recognition.forms import InvestigateForm

STAFF = [SimpleNamespace(pk=1, name="甲"), SimpleNamespace(pk=2, name="乙")]


def test_investigation_needs_two_investigators_for_every_case_type_and_says_why():
    form = InvestigateForm({"investigators": ["1"]}, choices=STAFF)
    assert not form.is_valid()
    assert form.errors["investigators"] == [
        "调查核实须由两名以上工作人员共同进行（《工伤认定办法》第十条），请至少选择两名本统筹区的调查员。"]
    assert "至少两名" in form.fields["investigators"].label and "第十条" in form.fields["investigators"].help_text
    assert InvestigateForm({"investigators": ["1", "2"]}, choices=STAFF).is_valid()
