"""No user-visible text refers to documents outside the repository (our seed notes, RULES.md) or to
another city's material list: every string literal of the code (docstrings and comments aside,
migrations being history) and every template is scanned."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]  # gongshang/
INTERNAL = ("seed 0", "seed0", "RULES.md", "DESIGN.md", "长春市办理材料", "吉林经办材料清单", "吉林省工伤认定材料清单")


def _docstring_nodes(tree: ast.AST) -> set[int]:
    kinds = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
    return {id(node.body[0].value) for node in ast.walk(tree) if isinstance(node, kinds) and node.body
            and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}


def _literals(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _docstring_nodes(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            yield node.lineno, node.value


def _sources():
    return [p for p in ROOT.rglob("*.py") if "migrations" not in p.parts and "tests" not in p.parts]


def test_scanner_sees_literals_not_comments(tmp_path):
    sample = tmp_path / "m.py"
    sample.write_text('"""seed 002 in a docstring"""\n# RULES.md in a comment\nX = "据 RULES.md"\n', encoding="utf-8")
    assert [value for _, value in _literals(sample)] == ["据 RULES.md"]


@pytest.mark.parametrize("path", _sources(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_string_literal_refers_to_internal_notes(path):
    found = [(line, value[:60]) for line, value in _literals(path) for word in INTERNAL if word.lower() in value.lower()]
    assert not found, found


def test_no_template_refers_to_internal_notes():
    found = [(str(p.relative_to(ROOT)), word) for p in ROOT.rglob("templates/**/*.html")
             for word in INTERNAL if word.lower() in p.read_text(encoding="utf-8").lower()]
    assert not found, found
