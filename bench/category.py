"""Category benchmark: how often the category model (`xieshang.textkit.classify`) puts the
category staff chose first, and among its first three, on suggestions it has not seen.

Stratified k-fold cross-validation over the labelled 2020 messages (tipdm2020
`labeled-dev.jsonl`: title, body, category — one of seven): each fold trains
`CategoryModel` on the other folds, plus the names of the category tree's second- and
third-level categories (`taxonomy.csv` next to the data, e.g. 城乡建设 ← 物业管理) as
one-line examples, and asks `top()` for every suggestion of the fold, one call each, the
way triage does. The evaluation fold's labels are only used to score. Prints one JSON
object.

    .venv/bin/python bench/category.py

A benchmark, not a test: it exits 0 when a target is missed, and non-zero only when it
could not run. It reads local files only; nothing is downloaded.
"""

from __future__ import annotations

import argparse
import csv
import json
import statistics
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.model_selection import StratifiedKFold

from xieshang.textkit.classify import CategoryModel, suggestion_text
from xieshang.textkit.segment import Segmenter

ROOT = Path(__file__).resolve().parent.parent

DEFAULT_DATA = "../shared/data/tipdm2020/labeled-dev.jsonl"
TARGET = {"top1": 0.85, "top3": 0.97}
MODEL = (
    "TF-IDF (jieba words + char_wb 1-3 grams, whole text and title) "
    "-> class-balanced LinearSVC C=0.5, sigmoid-calibrated (5-fold); "
    "taxonomy level-2/3 names as extra one-line examples"
)


def log(message: str) -> None:
    print(f"[category] {message}", file=sys.stderr, flush=True)


def load_rows(path: Path) -> tuple[list[str], list[str]]:
    texts: list[str] = []
    labels: list[str] = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if not line.strip():
                continue
            row = json.loads(line)
            texts.append(suggestion_text(str(row.get("title", "")), str(row.get("body", ""))))
            labels.append(str(row["category"]))
    return texts, labels


def load_taxonomy(path: Path, categories: set[str]) -> tuple[list[str], list[str]]:
    """Each distinct (level-2 or level-3 name, level-1 category) once, for the categories
    the data has."""
    pairs: set[tuple[str, str]] = set()
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            top = row["level1"].strip()
            if top not in categories:
                continue
            for level in ("level2", "level3"):
                name = (row.get(level) or "").strip()
                if name and name != "其他":
                    pairs.add((name, top))
    ordered = sorted(pairs)
    return [name for name, _ in ordered], [top for _, top in ordered]


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(values, q * 100)) if values else 0.0


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument(
        "--data", default=DEFAULT_DATA, help="labelled JSON lines (relative to the repo root)"
    )
    parser.add_argument(
        "--taxonomy",
        default="",
        help="category tree CSV (level1,level2,level3); default taxonomy.csv next to --data",
    )
    parser.add_argument(
        "--no-taxonomy", action="store_true", help="train on the labelled texts alone"
    )
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2026, help="shuffles the folds")
    args = parser.parse_args(argv)
    args.data = ROOT / args.data
    args.taxonomy = ROOT / args.taxonomy if args.taxonomy else args.data.parent / "taxonomy.csv"
    return args


def run(args: argparse.Namespace) -> dict[str, Any]:
    if not args.data.exists():
        raise SystemExit(f"no data at {args.data}")
    texts, labels = load_rows(args.data)
    extra_texts: list[str] = []
    extra_labels: list[str] = []
    if not args.no_taxonomy and args.taxonomy.exists():
        extra_texts, extra_labels = load_taxonomy(args.taxonomy, set(labels))
    log(
        f"{len(texts)} suggestions in {len(set(labels))} categories, "
        f"{len(extra_texts)} taxonomy names, {args.folds} folds"
    )
    segmenter = Segmenter()
    y = np.asarray(labels, dtype=object)
    folds = StratifiedKFold(n_splits=args.folds, shuffle=True, random_state=args.seed)
    hits1 = hits3 = 0
    per_fold: list[dict[str, Any]] = []
    train_seconds: list[float] = []
    top_ms: list[float] = []
    batch_ms_per_text: list[float] = []
    right: Counter[str] = Counter()
    confidences_right: list[float] = []
    confidences_wrong: list[float] = []
    model_bytes = 0
    loads_ms: list[float] = []
    for number, (train, test) in enumerate(folds.split(texts, y), start=1):
        started = time.perf_counter()
        model = CategoryModel.train(
            [texts[i] for i in train] + extra_texts,
            [labels[i] for i in train] + extra_labels,
            segmenter=segmenter,
        )
        train_seconds.append(time.perf_counter() - started)
        data = model.dumps()
        model_bytes = len(data)
        started = time.perf_counter()
        model = CategoryModel.loads(data)
        loads_ms.append((time.perf_counter() - started) * 1000)
        fold1 = fold3 = 0
        for i in test:
            started = time.perf_counter()
            guesses = model.top(texts[i], k=3)
            top_ms.append((time.perf_counter() - started) * 1000)
            names = [g.label for g in guesses]
            if names[:1] == [labels[i]]:
                fold1 += 1
                right[labels[i]] += 1
                confidences_right.append(guesses[0].confidence)
            elif guesses:
                confidences_wrong.append(guesses[0].confidence)
            fold3 += labels[i] in names
        started = time.perf_counter()
        model.top_many([texts[i] for i in test], k=3)
        batch_ms_per_text.append((time.perf_counter() - started) * 1000 / len(test))
        hits1 += fold1
        hits3 += fold3
        per_fold.append(
            {
                "rows": len(test),
                "top1": round(fold1 / len(test), 4),
                "top3": round(fold3 / len(test), 4),
                "train_rows": len(train) + len(extra_texts),
                "train_seconds": round(train_seconds[-1], 2),
            }
        )
        log(f"fold {number}: top1 {fold1 / len(test):.3f} top3 {fold3 / len(test):.3f}")
    rows = len(texts)
    top1 = hits1 / rows
    top3 = hits3 / rows
    support = Counter(labels)
    return {
        "benchmark": "category",
        "top1": round(top1, 4),
        "top3": round(top3, 4),
        "folds": args.folds,
        "rows": rows,
        "per_fold": per_fold,
        "top1_by_category": {c: round(right[c] / n, 3) for c, n in sorted(support.items())},
        "train_seconds": round(statistics.mean(train_seconds), 2),
        "train_rows": max(f["train_rows"] for f in per_fold),
        "predict_ms_p50": round(percentile(top_ms, 0.5), 2),
        "predict_ms_p99": round(percentile(top_ms, 0.99), 2),
        "predict_ms_per_text_batched": round(statistics.mean(batch_ms_per_text), 2),
        "model_bytes": model_bytes,
        "loads_ms": round(statistics.mean(loads_ms), 1),
        "confidence_of_right_top1_p50": round(percentile(confidences_right, 0.5), 3),
        "confidence_of_wrong_top1_p50": round(percentile(confidences_wrong, 0.5), 3),
        "taxonomy_examples": len(extra_texts),
        "target": TARGET,
        "met": top1 >= TARGET["top1"] and top3 >= TARGET["top3"],
        "model": MODEL if extra_texts else MODEL.rsplit(";", 1)[0],
        "seed": args.seed,
    }


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    print(json.dumps(run(args), ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
