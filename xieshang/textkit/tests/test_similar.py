"""MinHash signatures, band keys, the in-memory index and sentence embeddings."""

from __future__ import annotations

import subprocess
import sys

import numpy as np

from xieshang.textkit.similar import (
    DUPLICATE_THRESHOLD,
    SIMILAR_THRESHOLD,
    LexicalIndex,
    band_keys,
    combined_score,
    cosine_top,
    embed,
    embedding_bytes,
    embedding_from_bytes,
    lexical_similarity,
    signature,
)

NOISE = "珠江新城某工地每天夜里施工到凌晨，噪音很大，影响居民休息，多次投诉无果。"
REPOST = "珠江新城某工地每天夜里施工到凌晨！噪音很大，严重影响居民休息，多次投诉都无果。"
OTHER = "天河路公交线路班次间隔太长，上下班要等半小时，建议加密班次。"


def test_identical_texts_score_one_and_punctuation_or_width_do_not_matter() -> None:
    assert lexical_similarity(signature(NOISE), signature(NOISE)) == 1.0
    assert lexical_similarity(signature("噪音很大！！"), signature("噪音 很大。")) == 1.0


def test_a_repost_is_a_duplicate_and_another_issue_is_not() -> None:
    assert lexical_similarity(signature(NOISE), signature(REPOST)) >= DUPLICATE_THRESHOLD
    assert lexical_similarity(signature(NOISE), signature(OTHER)) < DUPLICATE_THRESHOLD


def test_signatures_are_the_same_in_another_process() -> None:
    code = f"from xieshang.textkit.similar import signature;print(signature({NOISE!r}).hex())"
    other = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert other == signature(NOISE).hex()
    # Pinned: a change of shingles, hash or seeds would silently orphan stored signatures.
    assert other.startswith("62a1e6075fd10207aeef8205")
    assert len(signature(NOISE)) == 64 * 4 and len(signature(NOISE, num_perm=32)) == 32 * 4


def test_band_keys_and_the_index_find_the_repost_first() -> None:
    assert band_keys(signature(NOISE)) == band_keys(signature(NOISE))
    assert set(band_keys(signature(NOISE))) & set(band_keys(signature(REPOST)))
    index = LexicalIndex()
    for key, text in enumerate([OTHER, REPOST, "猎德大桥南侧路灯坏了两周，夜间行车不安全。"]):
        index.add(key, signature(text))
    found = index.query(signature(NOISE), k=5)
    assert found[0][0] == 1 and found[0][1] >= DUPLICATE_THRESHOLD
    assert all(key != 0 for key, _ in found)


def test_empty_or_punctuation_only_text_matches_nothing() -> None:
    empty = signature("！？。 ")
    assert band_keys(empty) == []
    assert lexical_similarity(empty, empty) == 0.0
    assert lexical_similarity(empty, signature(NOISE)) == 0.0
    assert LexicalIndex().query(empty) == []


def test_embeddings_put_the_same_issue_closer_than_another_one() -> None:
    assert cosine_top(np.ones(3, dtype=np.float32), np.zeros((0, 3), dtype=np.float32), 5) == []
    vectors = embed([NOISE, "楼盘工地半夜还在打桩，吵得人睡不着觉，希望管一管。", OTHER])
    assert vectors.shape == (3, 512)
    same, other = float(vectors[0] @ vectors[1]), float(vectors[0] @ vectors[2])
    assert same > other
    restored = embedding_from_bytes(embedding_bytes(vectors[0]))
    assert abs(float(restored @ vectors[0]) - 1.0) < 1e-2
    top = cosine_top(vectors[0], vectors, k=2)
    assert top[0][0] == 0 and top[1][0] == 1
    assert 0 < SIMILAR_THRESHOLD < 1


def test_a_repost_without_its_embedding_yet_ranks_above_a_loose_paraphrase() -> None:
    assert combined_score(DUPLICATE_THRESHOLD, None) > SIMILAR_THRESHOLD + 0.1
    assert combined_score(0.05, None) < SIMILAR_THRESHOLD  # lexical is not a cosine
    assert combined_score(1.0, None) == 1.0 and combined_score(0.0, None) == 0.0
    assert combined_score(0.0, 0.6) == 0.6
    scores = [combined_score(x / 20, None) for x in range(21)]
    assert scores == sorted(scores)
