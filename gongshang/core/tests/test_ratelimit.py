import pytest

from gongshang.core.errors import RateLimited
from gongshang.core.ratelimit import hit


def test_counts_within_the_window_and_refuses_past_the_limit():
    assert [hit("t:a", limit=2, window_seconds=60, message="太频繁") for _ in range(2)] == [1, 2]
    with pytest.raises(RateLimited) as caught:
        hit("t:a", limit=2, window_seconds=60, message="太频繁")
    assert caught.value.message == "太频繁" and caught.value.details == {"retry_after": 60}
    assert hit("t:b", limit=2, window_seconds=60, message="太频繁") == 1  # keys are separate
