"""The site stylesheet: the rule that wins for a button is the one its classes ask for."""

import re
from pathlib import Path

import pytest

SITE_CSS = Path(__file__).resolve().parents[1] / "static" / "web" / "css" / "site.css"
RULE = re.compile(r"([^{}]+)\{([^}]*)\}")
SIMPLE = re.compile(r"^(?P<tag>[a-z]+)?(?P<classes>(?:\.[\w-]+)+)(?P<pseudo>:[\w-]+)?$")


def winning_background(tag: str, classes: set[str], state: str = "") -> str:
    """The background of <tag class=...> by specificity, then order, over simple selectors."""
    best, value = None, ""
    css = re.sub(r"/\*.*?\*/", "", SITE_CSS.read_text(), flags=re.S)
    for order, (selectors, body) in enumerate(RULE.findall(css)):
        background = re.search(r"background:\s*([^;]+)", body)
        if not background:
            continue
        for selector in (part.strip() for part in selectors.split(",")):
            match = SIMPLE.match(selector)
            if not match or (match["tag"] and match["tag"] != tag) or (match["pseudo"] or "") not in ("", state):
                continue
            wanted = set(match["classes"].strip(".").split("."))
            if not wanted <= classes:
                continue
            key = (len(wanted) + bool(match["pseudo"]), bool(match["tag"]), order)
            if best is None or key > best:
                best, value = key, background.group(1).strip()
    return value


@pytest.mark.parametrize("tag", ["button", "a"])
@pytest.mark.parametrize("state", ["", ":hover"])
def test_destructive_buttons_are_red_not_brand_blue(tag, state):
    assert winning_background(tag, {"btn", "btn-danger"}, state) in ("var(--error)", "#962d22")


@pytest.mark.parametrize("tag", ["button", "a"])
def test_secondary_buttons_stay_white(tag):
    assert winning_background(tag, {"btn", "btn-secondary"}) == "#fff"
