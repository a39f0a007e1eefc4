"""The recognition fixtures (a quick-report case of 张伟, a draft, materials, the desk) reused for the
one-case view (我的工伤)."""

from gongshang.recognition.tests.conftest import (  # noqa: F401
    _isolated,
    add_materials,
    draft,
    intake,
    quick_case,
    reviewer,
    worker,
)
