"""The matrix itself (accounts/rules/access.py): pure, no database."""

import pytest

from gongshang.accounts.rules import access
from gongshang.accounts.rules.access import (
    ACTION_LABELS,
    ADMIN_ROLES,
    AUDIENCES,
    CASE_DATA_KINDS,
    KIND_LABELS,
    MATRIX,
    ROLES,
    WHO_LABELS,
    actions_of,
    permits,
    who_may,
)


def test_every_action_has_a_chinese_label():
    missing = {action for actions in MATRIX.values() for action in actions} - set(ACTION_LABELS)
    assert not missing


def test_every_kind_has_a_label_and_no_label_is_left_over():
    assert set(KIND_LABELS) == set(MATRIX)
    assert set(CASE_DATA_KINDS) <= set(MATRIX)


def test_every_audience_and_role_has_a_label_and_nobody_unknown_is_named():
    assert set(WHO_LABELS) == set(AUDIENCES) | set(ROLES)
    named = {who for actions in MATRIX.values() for people in actions.values() for who in people}
    assert named <= set(AUDIENCES) | set(ROLES)


def test_roles_are_the_staff_role_choices():
    from gongshang.accounts.choices import StaffRole

    assert set(ROLES) == set(StaffRole.values)
    assert ADMIN_ROLES == {"system_admin", "security_admin", "audit_admin"}


def test_the_three_administrators_take_no_action_on_case_data():
    """三权分立: 系统管理员、安全管理员、审计管理员 see no case, person or money."""
    for kind in CASE_DATA_KINDS:
        for action, who in MATRIX[kind].items():
            assert not who & ADMIN_ROLES, f"{kind}.{action}: {sorted(who & ADMIN_ROLES)}"


def test_each_administrator_has_only_its_own_platform_pages():
    def kinds_of(role):
        return {kind for kind, actions in MATRIX.items() if any(role in who for who in actions.values())}

    platform = {"own_account", "home"}
    assert kinds_of("audit_admin") - platform == {"audit_event", "pii_access_log"}
    assert kinds_of("security_admin") - platform == {"staff_account", "institution_credential", "access_matrix"}
    assert kinds_of("system_admin") - platform == {"outbox_message", "calendar", "parameter"}


def test_who_may():
    assert who_may("audit_event", "view") == {"audit_admin"}
    assert who_may("outbox_message", "send") == frozenset()  # the worker's own step
    assert who_may("case", "no_such_action") == frozenset()
    with pytest.raises(KeyError):
        who_may("no_such_kind", "view")


def test_permits_staff_by_any_role_outside_by_audience():
    assert permits("case", "view", audience="staff", roles=["hotline", "reviewer"])
    assert not permits("case", "view", audience="staff", roles=["hotline"])
    assert not permits("case", "view", audience="staff", roles=[])
    assert permits("case", "view", audience="employer")
    assert not permits("case", "view", audience="institution")
    # An outside account never passes through a staff role it cannot hold.
    assert not permits("audit_event", "view", audience="employer", roles=["audit_admin"])
    with pytest.raises(KeyError):
        permits("no_such_kind", "view", audience="employer")


def test_the_matrix_is_read_only():
    with pytest.raises(TypeError):
        MATRIX["case"] = {}
    with pytest.raises(TypeError):
        MATRIX["case"]["view"] = frozenset()
    assert actions_of("calendar") == ("view", "edit")


def test_the_rules_module_imports_no_django():
    import ast
    import inspect

    tree = ast.parse(inspect.getsource(access))
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not any(name and name.startswith("django") for name in imported)
