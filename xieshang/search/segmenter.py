"""The process's segmenter: jieba with every committee's words and stop words and the
names of their streets and communities, rebuilt when a dictionary changes.

One segmenter serves all committees, so a text is cut the same way when it is indexed
and when a query for it is parsed, whoever searches. A place name of one district kept
whole in another's text is harmless: search matches by characters as well."""

from __future__ import annotations

import threading

from django.core.cache import cache
from django.db import transaction

from xieshang.core.jobs import enqueue
from xieshang.core.memo import ProcessMemo
from xieshang.search.models import SearchWord, WordKind
from xieshang.suggestions.models import Area
from xieshang.textkit.segment import DEFAULT_STOP_WORDS, Segmenter, segmenter_for

VERSION_KEY = "search:dictionary-version"
# Every submission is indexed: the shared version is asked for at most every 2 s per process
# rather than on each one. The re-index after a change reads it fresh.
VERSION_SECONDS = 2
_versions: ProcessMemo[object] = ProcessMemo(seconds=VERSION_SECONDS)
_lock = threading.Lock()
_current: tuple[object, Segmenter] | None = None


def _version() -> object:
    return _versions.get(VERSION_KEY, lambda: cache.get_or_set(VERSION_KEY, 1, timeout=None))


def forget_version() -> None:
    """Ask the shared cache for the dictionaries' version on the next use."""
    _versions.clear()


def segmenter() -> Segmenter:
    """The segmenter for the dictionaries as they are now."""
    global _current
    version = _version()
    current = _current
    if current is not None and current[0] == version:
        return current[1]
    with _lock:
        if _current is None or _current[0] != version:
            _current = (version, _build())
        return _current[1]


def _build() -> Segmenter:

    words = set(Area.objects.values_list("name", flat=True))
    stops = set(DEFAULT_STOP_WORDS)
    for word, kind in SearchWord.objects.values_list("word", "kind"):
        (stops if kind == WordKind.STOP else words).add(word)
    return segmenter_for(tuple(sorted(words - stops)), frozenset(stops))


def dictionary_changed() -> None:
    """After the current transaction commits: every process builds its segmenter again
    (this one at once, the others within `VERSION_SECONDS`), and the index is rebuilt in
    the background."""

    def bump() -> None:
        try:
            cache.incr(VERSION_KEY)
        except ValueError:
            cache.set(VERSION_KEY, 2, timeout=None)
        forget_version()  # this process cuts with the new words at once

    transaction.on_commit(bump)
    enqueue("search.reindex")
