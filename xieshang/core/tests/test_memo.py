"""The per-process memo: kept for its time, read again after, failures never kept."""

from __future__ import annotations

import pytest
from django.http import Http404

from xieshang.core import memo as memo_module
from xieshang.core.memo import ProcessMemo


@pytest.fixture
def now(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    at = [1000.0]
    monkeypatch.setattr(memo_module, "clock", lambda: at[0])
    return at


def test_a_value_is_kept_for_its_seconds_then_read_again(now: list[float]) -> None:
    memo: ProcessMemo[int] = ProcessMemo(seconds=30)
    reads: list[int] = []

    def load() -> int:
        reads.append(1)
        return len(reads)

    assert memo.get("tianhe", load) == 1
    now[0] += 29
    assert memo.get("tianhe", load) == 1
    assert memo.get("haizhu", load) == 2  # another key, its own value
    now[0] += 2
    assert memo.get("tianhe", load) == 3
    memo.forget("tianhe")
    assert memo.get("tianhe", load) == 4
    ProcessMemo.clear_all()
    assert memo.get("haizhu", load) == 5


def test_a_failed_load_is_raised_and_not_kept(now: list[float]) -> None:
    memo: ProcessMemo[str] = ProcessMemo(seconds=30)

    def missing() -> str:
        raise Http404("no such committee")

    with pytest.raises(Http404):
        memo.get("nowhere", missing)
    assert memo.get("nowhere", lambda: "found") == "found"


def test_it_holds_a_bounded_number_of_entries(now: list[float]) -> None:
    memo: ProcessMemo[int] = ProcessMemo(seconds=30, max_entries=3)
    for key in range(10):
        memo.get(key, lambda key=key: key)  # type: ignore[misc]
    assert len(memo._values) <= 3
