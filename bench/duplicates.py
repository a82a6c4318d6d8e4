"""Duplicate detection benchmark: reposts of real citizen messages, lightly and heavily
edited, against random pairs of different messages.

From messages.jsonl (tipdm2020; not shipped with the project) it takes messages with
distinct titles, and for each makes
  * a light variant: about 10 % of its characters edited (substituted, inserted or
    deleted, with characters drawn from the corpus), and
  * a heavy variant: its sentences shuffled, then about 25 % of characters edited.
Random pairs are pairs of two different messages. For each signal the threshold is the
lowest score that at most 0.5 % of random pairs reach; recall is the share of variants
scoring at or above it against their original.

Signals: the lexical one (MinHash over character shingles, `textkit.similar`), and on a
smaller sample the sentence embeddings (USE) and the two combined (the larger).

    .venv/bin/python bench/duplicates.py --data ../shared/data/tipdm2020/messages.jsonl

Prints one JSON object; exits 0 when a target is missed ("met": false).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from xieshang.textkit.similar import (  # noqa: E402
    DUPLICATE_THRESHOLD,
    combined_score,
    embed,
    lexical_similarity,
    signature,
)

SENTENCE = re.compile(r"(?<=[。！？；!?;])")
FPR = 0.005
TARGET = {"light": 0.98, "heavy": 0.90}


def load(path: Path, limit: int, rng: random.Random) -> list[str]:
    seen: set[str] = set()
    texts = []
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        title = row["title"].strip()
        if title in seen or len(row["body"]) < 20:
            continue
        seen.add(title)
        texts.append(f"{title}\n{row['body'].strip()}")
    rng.shuffle(texts)
    return texts[:limit]


def edit(text: str, fraction: float, alphabet: str, rng: random.Random) -> str:
    chars = list(text)
    for _ in range(max(1, round(len(chars) * fraction))):
        op = rng.random()
        i = rng.randrange(len(chars)) if chars else 0
        if op < 0.5 and chars:
            chars[i] = rng.choice(alphabet)
        elif op < 0.75:
            chars.insert(i, rng.choice(alphabet))
        elif chars:
            del chars[i]
    return "".join(chars)


def shuffle_sentences(text: str, rng: random.Random) -> str:
    parts = [p for p in SENTENCE.split(text) if p]
    rng.shuffle(parts)
    return "".join(parts)


def threshold(random_scores: np.ndarray) -> float:
    """The lowest score reached by at most FPR of the random pairs."""
    values = np.unique(np.round(random_scores, 6))
    for value in values:
        if (random_scores >= value).mean() <= FPR:
            return float(value)
    return float(values[-1]) + 1e-6


def evaluate(pairs: dict[str, np.ndarray], random_scores: np.ndarray) -> dict[str, object]:
    t = threshold(random_scores)
    return {
        "threshold": round(t, 4),
        "random_flagged": round(float((random_scores >= t).mean()), 5),
        **{f"recall_{k}": round(float((v >= t).mean()), 4) for k, v in pairs.items()},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--data", type=Path, default=ROOT.parent / "shared/data/tipdm2020/messages.jsonl"
    )
    parser.add_argument("--originals", type=int, default=2000)
    parser.add_argument("--random-pairs", type=int, default=40000)
    parser.add_argument("--embedding-sample", type=int, default=200)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    texts = load(args.data, args.originals, rng)
    alphabet = "".join(sorted({c for t in texts for c in t if "\u4e00" <= c <= "\u9fff"}))
    light = [edit(t, 0.10, alphabet, rng) for t in texts]
    heavy = [edit(shuffle_sentences(t, rng), 0.25, alphabet, rng) for t in texts]
    print(f"{len(texts)} originals", file=sys.stderr)

    started = time.perf_counter()
    sig = [signature(t) for t in texts]
    sig_light = [signature(t) for t in light]
    sig_heavy = [signature(t) for t in heavy]
    signature_ms = (time.perf_counter() - started) * 1000 / (3 * len(texts))
    n = len(texts)
    pairs = [(rng.randrange(n), rng.randrange(n)) for _ in range(args.random_pairs)]
    pairs = [(a, b) for a, b in pairs if a != b]
    lex_random = np.array([lexical_similarity(sig[a], sig[b]) for a, b in pairs])
    lex_light = np.array([lexical_similarity(s, v) for s, v in zip(sig, sig_light, strict=True)])
    lex_heavy = np.array([lexical_similarity(s, v) for s, v in zip(sig, sig_heavy, strict=True)])
    lexical = evaluate({"light": lex_light, "heavy": lex_heavy}, lex_random)
    shipped = {
        "threshold": DUPLICATE_THRESHOLD,
        "random_flagged": round(float((lex_random >= DUPLICATE_THRESHOLD).mean()), 5),
        "recall_light": round(float((lex_light >= DUPLICATE_THRESHOLD).mean()), 4),
        "recall_heavy": round(float((lex_heavy >= DUPLICATE_THRESHOLD).mean()), 4),
    }
    print(f"lexical {lexical}", file=sys.stderr)

    m = min(args.embedding_sample, n)
    vectors = embed(texts[:m] + light[:m] + heavy[:m])
    base, vl, vh = vectors[:m], vectors[m : 2 * m], vectors[2 * m :]
    sample_pairs = [(a, b) for a, b in pairs if a < m and b < m]
    while len(sample_pairs) < 4000:
        a, b = rng.randrange(m), rng.randrange(m)
        if a != b:
            sample_pairs.append((a, b))
    cos_random = np.array([float(base[a] @ base[b]) for a, b in sample_pairs])
    cos_light = np.einsum("ij,ij->i", base, vl)
    cos_heavy = np.einsum("ij,ij->i", base, vh)
    semantic = evaluate({"light": cos_light, "heavy": cos_heavy}, cos_random)
    comb_random = np.array(
        [
            combined_score(lexical_similarity(sig[a], sig[b]), float(base[a] @ base[b]))
            for a, b in sample_pairs
        ]
    )
    comb_light = np.array(
        [combined_score(float(lex_light[i]), float(cos_light[i])) for i in range(m)]
    )
    comb_heavy = np.array(
        [combined_score(float(lex_heavy[i]), float(cos_heavy[i])) for i in range(m)]
    )
    combined = evaluate({"light": comb_light, "heavy": comb_heavy}, comb_random)
    result = {
        "benchmark": "duplicates",
        "originals": n,
        "random_pairs": len(pairs),
        "signature_ms": round(signature_ms, 3),
        "lexical": lexical,
        "lexical_at_shipped_threshold": shipped,
        "embedding_sample": m,
        "semantic": semantic,
        "combined": combined,
        "target": TARGET,
        "met": lexical["recall_light"] >= TARGET["light"]  # type: ignore[operator]
        and lexical["recall_heavy"] >= TARGET["heavy"],  # type: ignore[operator]
    }
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
