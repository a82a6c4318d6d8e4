"""Category benchmark: how often the category model (`xieshang.textkit.classify`) puts the
category staff chose first, and among its first three, on suggestions nobody tuned on.

The 448 labelled 2020 messages (tipdm2020 `labeled-dev.jsonl`, seven categories) are cut
once into a **held-out split** (112 messages, stratified, seed 20261204) that no choice
ever sees, and a **development part** (336). Every choice — C, sentence embeddings and
their weight, a vocabulary learnt from the unlabelled messages, self-training — is made by
cross-validation inside the development part, and measured by **nested cross-validation**
(each outer fold's choice made by an inner cross-validation on the other outer folds
only). Then the choice is made once more on the whole development part, that model is
trained on it and scored on the held-out split, once, next to the settings shipped
before. Every model also learns from the names of the category tree's second- and
third-level categories (`taxonomy.csv` next to the data) as one-line examples; the
unlabelled messages are `messages.jsonl` and `replied.jsonl`.

It also reports: a learning curve (held-out accuracy after 50, 100, 200 and all 336
labels, and after adding simulated staff decisions from the unlabelled messages), how
often the department that answered a message was among the three hinted (departments
read from the replies' signatures; hints from the most similar earlier messages, as in
triage), the precision of each confidence word, and the time of one `top()` call.

    .venv/bin/python bench/category.py            # about 10 minutes on 2 cores
    .venv/bin/python bench/category.py --quick    # no grid search: the shipped settings

A benchmark, not a test: it exits 0 when a target is missed, and non-zero only when it
could not run. It reads local files only; nothing is downloaded. Sentence embeddings are
computed once (about 3 minutes) and kept in `--cache-dir`.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import math
import os
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.model_selection import StratifiedKFold, StratifiedShuffleSplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from xieshang.textkit.classify import (  # noqa: E402
    CategoryModel,
    Corpus,
    Settings,
    TextView,
    suggestion_text,
    text_views,
)
from xieshang.textkit.hints import (  # noqa: E402
    CONFIDENCE_LEVELS,
    confidence_level,
    department_votes,
)
from xieshang.textkit.segment import Segmenter  # noqa: E402
from xieshang.textkit.similar import (  # noqa: E402
    SIMILAR_THRESHOLD,
    combined_score,
    embed,
    embedding_bytes,
    lexical_similarity,
    signature,
)

DEFAULT_DATA = "../shared/data/tipdm2020/labeled-dev.jsonl"
POOL_FILES = ("messages.jsonl", "replied.jsonl")
TARGET = {"top1": 0.85, "top3": 0.97, "predict_ms_p99": 20.0}
HOLDOUT_SIZE = 112
HOLDOUT_SEED = 20261204
LEARNING_SIZES = (50, 100, 200)
# The model of 28 November: C 0.5, TF-IDF alone, its vocabulary from the labelled texts.
SHIPPED_BEFORE = Settings(svm_c=0.5, embedding_weight=0.0, unlabelled_vocabulary=False)
SHIPPED = Settings()  # what xieshang.insights trains now


Rows = Sequence[int] | np.ndarray


def log(message: str) -> None:
    print(f"[category] {message}", file=sys.stderr, flush=True)


# --- data ---------------------------------------------------------------------------------


@dataclass
class Data:
    ids: list[str]
    texts: list[str]
    labels: list[str]
    taxonomy_texts: list[str]
    taxonomy_labels: list[str]
    pool_texts: list[str]  # unlabelled, oldest first
    replies: list[tuple[str, str, str]]  # (text, time, reply) of replied.jsonl


def _jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def _when(value: str) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", value or "")) or (0,)


def load(args: argparse.Namespace) -> Data:
    rows = _jsonl(args.data)
    texts = [suggestion_text(str(r.get("title", "")), str(r.get("body", ""))) for r in rows]
    labels = [str(r["category"]) for r in rows]
    taxonomy_texts: list[str] = []
    taxonomy_labels: list[str] = []
    if args.taxonomy.exists():
        pairs: set[tuple[str, str]] = set()
        with args.taxonomy.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                top = row["level1"].strip()
                for level in ("level2", "level3"):
                    name = (row.get(level) or "").strip()
                    if top in labels and name and name != "其他":
                        pairs.add((name, top))
        taxonomy_texts = [name for name, _ in sorted(pairs)]
        taxonomy_labels = [top for _, top in sorted(pairs)]
    labelled = set(texts)
    pool: dict[str, tuple[int, ...]] = {}
    replies: list[tuple[str, str, str]] = []
    for name in POOL_FILES:
        path = args.data.parent / name
        if not path.exists():
            continue
        for r in _jsonl(path):
            text = suggestion_text(str(r.get("title", "")), str(r.get("body", "")))
            if text not in labelled:
                pool.setdefault(text, _when(str(r.get("time", ""))))
            if r.get("reply"):
                replies.append((text, str(r.get("time", "")), str(r["reply"])))
    pool_texts = sorted(pool, key=lambda t: (pool[t], t))
    return Data(
        [str(r.get("id", i)) for i, r in enumerate(rows)],
        texts,
        labels,
        taxonomy_texts,
        taxonomy_labels,
        pool_texts,
        replies,
    )


class Texts:
    """Views and sentence embeddings of every text, computed once (embeddings kept on
    disk: about 20 ms each)."""

    def __init__(self, cache_dir: Path) -> None:
        self.segmenter = Segmenter()
        self._views: dict[str, TextView] = {}
        self._vectors: dict[str, np.ndarray] = {}
        self._file = cache_dir / "category-embeddings.npz"
        cache_dir.mkdir(parents=True, exist_ok=True)
        if self._file.exists():
            stored = np.load(self._file)
            self._vectors = dict(zip(stored["keys"].tolist(), stored["vectors"], strict=True))

    @staticmethod
    def key(text: str) -> str:
        return hashlib.sha1(text.encode()).hexdigest()

    def prepare(self, texts: Sequence[str], *, embeddings: bool = True) -> None:
        """The views of `texts`, and their embeddings unless `embeddings` is false (a
        model that does not use them is scored without)."""
        missing = [t for t in dict.fromkeys(texts) if t not in self._views]
        for text, view in zip(missing, text_views(missing, self.segmenter), strict=True):
            self._views[text] = view
        if not embeddings:
            return
        todo = [t for t in dict.fromkeys(texts) if self.key(t) not in self._vectors]
        if todo:
            log(f"embedding {len(todo)} texts (kept in {self._file})")
        for number, text in enumerate(todo, start=1):
            # One at a time and through float16, as the project computes and stores them.
            vector = embed([text])[0]
            self._vectors[self.key(text)] = np.frombuffer(embedding_bytes(vector), np.float16)
            if number % 1000 == 0 or number == len(todo):
                log(f"  {number}/{len(todo)}")
                keys = list(self._vectors)
                np.savez(
                    self._file,
                    keys=np.array(keys),
                    vectors=np.vstack([self._vectors[k] for k in keys]),
                )

    def corpus(self, texts: Sequence[str]) -> Corpus:
        """The texts with their views, and their embeddings when all were computed."""
        known = all(self.key(t) in self._vectors for t in texts)
        return Corpus(
            list(texts),
            views=[self._views[t] for t in texts],
            embeddings=self.embeddings(texts) if known else None,
        )

    def embeddings(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 512), dtype=np.float32)
        return np.vstack([self._vectors[self.key(t)] for t in texts]).astype(np.float32)


# --- the settings compared ----------------------------------------------------------------


def grid(quick: bool) -> list[Settings]:
    """The candidates, in order of preference when they score the same (simplest first).
    Fixed before any held-out message was scored."""
    if quick:
        return [SHIPPED]
    out = [SHIPPED_BEFORE]
    for c in (0.25, 0.5, 1.0):
        for w in (0.0, 0.25, 0.5):
            candidate = Settings(svm_c=c, embedding_weight=w, unlabelled_vocabulary=False)
            if candidate not in out:
                out.append(candidate)
    for w in (0.0, 0.25, 0.5):
        out.append(Settings(embedding_weight=w, unlabelled_vocabulary=True))
    for w in (0.0, 0.5):
        out.append(Settings(embedding_weight=w, self_training=0.9, unlabelled_vocabulary=False))
    return out


def name(settings: Settings) -> str:
    parts = [f"C={settings.svm_c:g}", f"w={settings.embedding_weight:g}"]
    if settings.unlabelled_vocabulary:
        parts.append("vocab=unlabelled")
    if settings.self_training is not None:
        parts.append(f"self={settings.self_training:g}")
    return " ".join(parts)


class Trainer:
    """Trains every candidate on a set of labelled rows (plus the taxonomy names and the
    unlabelled pool), sharing what candidates share: settings that differ only in the
    embedding weight are one training, reweighted."""

    def __init__(self, data: Data, texts: Texts, pool: Sequence[str]) -> None:
        self.data = data
        self.texts = texts
        self.pool = texts.corpus(pool)

    def corpus(self, rows: Rows, extra: Sequence[str] = ()) -> tuple[Corpus, list[str]]:
        chosen = [self.data.texts[i] for i in rows]
        labels = [self.data.labels[i] for i in rows]
        return (
            self.texts.corpus([*chosen, *self.data.taxonomy_texts, *extra]),
            labels + self.data.taxonomy_labels,
        )

    def train(
        self,
        rows: Rows,
        candidates: Sequence[Settings],
        *,
        extra: tuple[Sequence[str], Sequence[str]] = ((), ()),
    ) -> dict[Settings, CategoryModel]:
        corpus, labels = self.corpus(rows, extra[0])
        labels = labels + list(extra[1])
        out: dict[Settings, CategoryModel] = {}
        groups: dict[tuple[Any, ...], list[Settings]] = {}
        for s in candidates:
            shared = s.self_training is None
            key = (s.svm_c, s.unlabelled_vocabulary, s.self_training, s.embedding_c) + (
                () if shared else (s.embedding_weight,)
            )
            groups.setdefault(key, []).append(s)
        for members in groups.values():
            top = max(members, key=lambda s: s.embedding_weight)
            model = CategoryModel.train(
                corpus, labels, settings=top, unlabelled=self.pool, segmenter=self.texts.segmenter
            )
            for s in members:
                out[s] = model if s == top else model.reweighted(s.embedding_weight)
        return out


@dataclass
class Scores:
    top1: np.ndarray  # bool per row
    top3: np.ndarray
    confidence: np.ndarray  # of the first guess
    first: np.ndarray  # the first guess's label ("" when the model knew no word)

    @property
    def acc1(self) -> float:
        return float(self.top1.mean()) if len(self.top1) else 0.0

    @property
    def acc3(self) -> float:
        return float(self.top3.mean()) if len(self.top3) else 0.0

    @staticmethod
    def join(parts: Sequence[Scores]) -> Scores:
        return Scores(
            np.concatenate([p.top1 for p in parts]),
            np.concatenate([p.top3 for p in parts]),
            np.concatenate([p.confidence for p in parts]),
            np.concatenate([p.first for p in parts]),
        )


def score(model: CategoryModel, data: Data, texts: Texts, rows: Rows) -> Scores:
    return score_texts(model, texts, [data.texts[i] for i in rows], [data.labels[i] for i in rows])


def score_texts(
    model: CategoryModel, texts: Texts, chosen: Sequence[str], truth: Sequence[str]
) -> Scores:
    guesses = model.top_many(texts.corpus(chosen), k=3)
    return Scores(
        np.array(
            [bool(g) and g[0].label == t for g, t in zip(guesses, truth, strict=True)], dtype=bool
        ),
        np.array([t in [x.label for x in g] for g, t in zip(guesses, truth, strict=True)], bool),
        np.array([g[0].confidence if g else 0.0 for g in guesses], dtype=float),
        np.array([g[0].label if g else "" for g in guesses], dtype=object),
    )


def choose(
    trainer: Trainer, rows: np.ndarray, labels: np.ndarray, candidates: list[Settings], seed: int
) -> tuple[Settings, dict[Settings, Scores]]:
    """The candidate with the best top-1 in cross-validation (3 folds) over `rows` only;
    ties go to top-3, then to the earlier (simpler) candidate."""
    if len(candidates) == 1:
        return candidates[0], {}
    folds = StratifiedKFold(n_splits=3, shuffle=True, random_state=seed)
    parts: dict[Settings, list[Scores]] = {s: [] for s in candidates}
    for train, valid in folds.split(rows, labels):
        models = trainer.train(rows[train], candidates)
        for s, model in models.items():
            parts[s].append(score(model, trainer.data, trainer.texts, rows[valid]))
    joined = {s: Scores.join(p) for s, p in parts.items()}
    order = {s: i for i, s in enumerate(candidates)}
    best = max(candidates, key=lambda s: (joined[s].acc1, joined[s].acc3, -order[s]))
    return best, joined


# --- figures ------------------------------------------------------------------------------


def wilson(hits: int, n: int, z: float = 1.96) -> list[float]:
    if not n:
        return [0.0, 0.0]
    p = hits / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return [round(centre - half, 3), round(centre + half, 3)]


BOOTSTRAP_ROUNDS = 5000
BOOTSTRAP_SEED = 20261206


def bootstrap(hits: np.ndarray, rounds: int = BOOTSTRAP_ROUNDS) -> list[float]:
    """Percentile bootstrap 95 % interval of the mean of `hits` (one value per message:
    right or not, or a mean over draws), the messages resampled with replacement. The
    seed is fixed, so a figure's interval is the same from run to run."""
    values = np.asarray(hits, dtype=float)
    if not len(values):
        return [0.0, 0.0]
    rng = np.random.default_rng(BOOTSTRAP_SEED)
    means = np.empty(rounds)
    for start in range(0, rounds, 500):  # in slices: 500 × n indices at a time
        picks = rng.integers(0, len(values), size=(min(500, rounds - start), len(values)))
        means[start : start + len(picks)] = values[picks].mean(axis=1)
    return [round(float(np.percentile(means, 2.5)), 3), round(float(np.percentile(means, 97.5)), 3)]


def figure(s: Scores) -> dict[str, Any]:
    """Top-1 and top-3 with bootstrap 95 % intervals (`_ci95`), and Wilson's for
    comparison (`_wilson95`)."""
    n = len(s.top1)
    return {
        "rows": n,
        "top1": round(s.acc1, 4),
        "top1_ci95": bootstrap(s.top1),
        "top1_wilson95": wilson(int(s.top1.sum()), n),
        "top3": round(s.acc3, 4),
        "top3_ci95": bootstrap(s.top3),
        "top3_wilson95": wilson(int(s.top3.sum()), n),
    }


def paired_bootstrap(a: np.ndarray, b: np.ndarray, seed: int, rounds: int = 5000) -> list[float]:
    """95 % interval of mean(a) − mean(b) over the same rows, resampled together."""
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, len(a), size=(rounds, len(a)))
    diffs = a[picks].mean(axis=1) - b[picks].mean(axis=1)
    return [round(float(np.percentile(diffs, 2.5)), 3), round(float(np.percentile(diffs, 97.5)), 3)]


def levels(s: Scores) -> dict[str, Any]:
    """For each confidence word: the share of first guesses shown with it, and how often
    such a guess was right."""
    out = {}
    words = np.array([confidence_level(float(c)) for c in s.confidence])
    for level in CONFIDENCE_LEVELS:
        mask = words == level
        out[level] = {
            "share": round(float(mask.mean()), 3) if len(mask) else 0.0,
            "right": round(float(s.top1[mask].mean()), 3) if mask.any() else None,
            "right_ci95": bootstrap(s.top1[mask]) if mask.any() else None,
            "rows": int(mask.sum()),
        }
    return out


# --- departments --------------------------------------------------------------------------

# The answering unit named in a reply's signature (…A市住房和城乡建设局 2019年5月9日) or its
# opening (…已转市商务局调查 / 经区城乡建设局调查核实).
_UNIT = r"[\u4e00-\u9fffA-Z0-9]{1,14}?(?:局|委员会|委|办事处|办公室|政府|中心|公司|管理处|镇|街道)"
_SIGNED = re.compile(rf"({_UNIT})\s*(?:\d{{4}}年|二〇|〇)")
_SENT_TO = re.compile(rf"(?:已转|转交|转|经|由)({_UNIT})(?:调查|核实|办理|处理|回复|答复)")
_GENERIC = re.compile(r"^(?:我|本|该|贵|有关|相关|上级|政府|办公室|中心|公司|委员会)")


def department_of(reply: str) -> str | None:
    tail = reply.strip()[-60:]
    found = _SIGNED.findall(tail) or _SENT_TO.findall(reply[:200])
    for unit in found[::-1]:
        unit = re.sub(r"^.*?(?:[，。！：、\s]|感谢|支持|监督|理解)", "", unit)
        if len(unit) >= 3 and not _GENERIC.match(unit):
            return unit
    return None


def tipdm_department_records(data: Data) -> list[tuple[Any, str, str, str]]:
    """(time, text, answering unit, group) of the replied messages whose reply names one."""
    records = []
    for text, when, reply in data.replies:
        unit = department_of(reply)
        if unit:
            records.append((_when(when), text, unit, ""))
    return sorted(records)


def demo_department_records() -> list[tuple[Any, str, str, str]]:
    """(order, text, department, committee) of the demo's suggestions referred to a
    department (`xieshang.demo.suggestions.SAMPLES`, in the order the demo loads them)."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xieshang.settings")
    os.environ.setdefault("XIESHANG_TESTING", "1")
    django.setup()
    from xieshang.demo.suggestions import SAMPLES

    records = []
    for order, spec in enumerate(SAMPLES):
        for step in spec.steps:
            if step.action == "refer" and getattr(step, "department", None):
                text = suggestion_text(spec.title, spec.content)
                records.append(((order,), text, str(step.department), spec.committee))
    return records


def department_hits(texts: Texts, records: list[tuple[Any, str, str, str]]) -> dict[str, Any]:
    """Each record in order gets the department hints triage would show: the departments
    of the 20 most similar earlier records of its group (committee), weighted by
    similarity (`department_votes`), shown when lexical ≥ 0.15 or cosine ≥
    SIMILAR_THRESHOLD as in `insights.selectors`; a hit when the department chosen is among
    the first three (or first)."""
    texts.prepare([t for _, t, _, _ in records])
    vectors = texts.embeddings([t for _, t, _, _ in records])
    signatures = [signature(t) for _, t, _, _ in records]
    units = Counter(u for _, _, u, _ in records)
    hit1: list[bool] = []
    hit3: list[bool] = []
    hinted = 0
    seen_before = 0  # records whose department had been chosen for an earlier one
    for i in range(1, len(records)):
        group = records[i][3]
        earlier = [j for j in range(i) if records[j][3] == group]
        seen_before += records[i][2] in {records[j][2] for j in earlier}
        if not earlier:
            hit1.append(False)
            hit3.append(False)
            continue
        cosines = vectors[earlier] @ vectors[i]
        scored = []
        for position in np.argsort(-cosines)[:60]:
            j = earlier[int(position)]
            lexical = lexical_similarity(signatures[i], signatures[j])
            semantic = float(cosines[position])
            if lexical >= 0.15 or semantic >= SIMILAR_THRESHOLD:
                scored.append((combined_score(lexical, semantic), j))
        scored.sort(reverse=True)
        similar = [(sc, [(records[j][2], records[j][2])]) for sc, j in scored[:20]]
        ranked = department_votes(similar, k=3)
        names = [n for n, _label, _c in ranked]
        hinted += bool(ranked)
        hit1.append(bool(names) and names[0] == records[i][2])
        hit3.append(records[i][2] in names)
    n = len(hit3)
    return {
        "records": len(records),
        "departments": len(units),
        "scored": n,
        "department_seen_before": seen_before,
        "hinted": hinted,
        "top1": round(sum(hit1) / n, 4) if n else None,
        "top3": round(sum(hit3) / n, 4) if n else None,
        "top3_ci95": bootstrap(np.array(hit3)),
        "top3_wilson95": wilson(sum(hit3), n),
        "top3_when_hinted": round(sum(hit3) / hinted, 4) if hinted else None,
    }


def measure_time(
    model: CategoryModel, data: Data, texts: Texts, held: Rows, pool: Sequence[str]
) -> dict[str, Any]:
    """One `top()` call as triage makes it (the text, k=7, and its stored embedding when
    the model uses one), on the held-out and 400 unlabelled messages: wall-clock and CPU
    time (the CPU time is what a busy machine does not inflate). Also the embedding the
    analysis computes before the hints, and storing/loading the model."""
    timing_texts = [data.texts[i] for i in held] + list(pool[:400])
    stored = texts.embeddings(timing_texts)
    model.top(timing_texts[0], k=7)  # the first call loads what is loaded lazily
    top_ms: list[float] = []
    top_cpu_ms: list[float] = []
    for text, vector in zip(timing_texts, stored, strict=True):
        t0, c0 = time.perf_counter(), time.process_time()
        model.top(text, k=7, embedding=vector if model.uses_embeddings else None)
        top_cpu_ms.append((time.process_time() - c0) * 1000)
        top_ms.append((time.perf_counter() - t0) * 1000)
    embed_ms: list[float] = []
    for text in timing_texts[:150]:
        t0 = time.perf_counter()
        embed([text])
        embed_ms.append((time.perf_counter() - t0) * 1000)
    t0 = time.perf_counter()
    stored_model = model.dumps()
    dumps_ms = (time.perf_counter() - t0) * 1000
    t0 = time.perf_counter()
    CategoryModel.loads(stored_model)
    loads_ms = (time.perf_counter() - t0) * 1000
    return {
        "predict_ms_p50": round(float(np.percentile(top_ms, 50)), 2),
        "predict_ms_p99": round(float(np.percentile(top_ms, 99)), 2),
        "predict_cpu_ms_p50": round(float(np.percentile(top_cpu_ms, 50)), 2),
        "predict_cpu_ms_p99": round(float(np.percentile(top_cpu_ms, 99)), 2),
        "predict_calls": len(top_ms),
        "embedding_ms_p50": round(float(np.percentile(embed_ms, 50)), 1),
        "embedding_ms_p99": round(float(np.percentile(embed_ms, 99)), 1),
        "model_bytes": len(stored_model),
        "dumps_ms": round(dumps_ms, 1),
        "loads_ms": round(loads_ms, 1),
        "load_average": round(os.getloadavg()[0], 2),
    }


# --- unseen messages ----------------------------------------------------------------------

# The sentence-embedding model alone (a logistic regression on USE vectors): a second
# opinion that reads the text differently from the TF-IDF model, for the outlook below.
EMBEDDING_ONLY = Settings(embedding_weight=1.0)


def held_out_file(
    path: Path, data: Data, texts: Texts, trainer: Trainer, model_all: CategoryModel
) -> dict[str, Any]:
    """`--held-out FILE`: labelled messages in the format of labeled-dev.jsonl, scored once
    by the shipped model trained on all the labelled messages and the taxonomy names (the
    model handed to the application). A message of the file that is also among the
    labelled ones is left out of training for this score, so a file cut from the labelled
    data measures what a never-seen message would get; categories the model never learnt
    count as misses."""
    rows = _jsonl(path)
    file_texts = [suggestion_text(str(r.get("title", "")), str(r.get("body", ""))) for r in rows]
    file_labels = [str(r["category"]) for r in rows]
    overlap = set(file_texts) & set(data.texts)
    if overlap:
        training = [i for i, t in enumerate(data.texts) if t not in overlap]
        model = trainer.train(training, [SHIPPED])[SHIPPED]
    else:
        training = list(range(len(data.texts)))
        model = model_all
    texts.prepare(file_texts, embeddings=model.uses_embeddings)
    scores = score_texts(model, texts, file_texts, file_labels)
    per_category = {}
    for label in sorted(set(file_labels)):
        mask = np.array([t == label for t in file_labels])
        per_category[label] = {
            "rows": int(mask.sum()),
            "top1": round(float(scores.top1[mask].mean()), 4),
            "top3": round(float(scores.top3[mask].mean()), 4),
        }
    confusions = Counter(
        (truth, str(first))
        for truth, first, right in zip(file_labels, scores.first, scores.top1, strict=True)
        if not right
    )
    pool = set(data.pool_texts)
    return {
        "file": str(path),
        **figure(scores),
        "trained_on_labelled": len(training),
        "labelled_also_in_file": len(overlap),
        "in_unlabelled_pool": sum(t in pool for t in file_texts),
        "labels_never_learnt": sorted(set(file_labels) - set(data.labels)),
        "confidence_words": levels(scores),
        "per_category": per_category,
        "most_confused": [
            {"chosen": a, "guessed": b, "rows": n} for (a, b), n in confusions.most_common(8)
        ],
    }


def outlook(
    models_all: CategoryModel,
    texts: Texts,
    pool: Sequence[str],
    nested_tfidf: Scores,
    nested_embedding: Scores,
    labelled_share: dict[str, float],
) -> dict[str, Any]:
    """What the labelled figures say about the unlabelled messages, which nobody labelled:
    the shipped model (trained on all the labelled ones) and the embedding model alone
    guess each; how their confidence words and their agreement are spread there against
    the nested cross-validation; and two estimates of top-1 there, each assuming that a
    band (a word, or agreeing/disagreeing) is right as often as in the nested
    cross-validation. A shift in the spread is a shift in the messages; the estimates are
    at best an upper bound (a shifted message is less often right within its band)."""
    shipped = models_all.reweighted(0.0)
    second = models_all.reweighted(1.0)
    corpus = texts.corpus(pool)
    first = [g[0] if g else None for g in shipped.top_many(corpus, k=1)]
    other = [g[0].label if g else "" for g in second.top_many(corpus, k=1)]
    words = np.array([confidence_level(g.confidence if g else 0.0) for g in first])
    agree = np.array([g is not None and g.label == o for g, o in zip(first, other, strict=True)])
    nested_words = np.array([confidence_level(float(c)) for c in nested_tfidf.confidence])
    nested_agree = nested_tfidf.first == nested_embedding.first
    precision = {
        level: float(nested_tfidf.top1[nested_words == level].mean())
        if (nested_words == level).any()
        else 0.0
        for level in CONFIDENCE_LEVELS
    }
    right_agreeing = float(nested_tfidf.top1[nested_agree].mean()) if nested_agree.any() else 0.0
    right_disagreeing = (
        float(nested_tfidf.top1[~nested_agree].mean()) if (~nested_agree).any() else 0.0
    )
    guessed = Counter(g.label for g in first if g is not None)
    return {
        "messages": len(pool),
        "confidence_words": {
            level: {
                "share_unlabelled": round(float((words == level).mean()), 3),
                "share_nested_cv": round(float((nested_words == level).mean()), 3),
                "right_nested_cv": round(precision[level], 3),
            }
            for level in CONFIDENCE_LEVELS
        },
        "mean_confidence": {
            "unlabelled": round(float(np.mean([g.confidence if g else 0.0 for g in first])), 3),
            "nested_cv": round(float(nested_tfidf.confidence.mean()), 3),
        },
        "agreement_with_embedding_model": {
            "unlabelled": round(float(agree.mean()), 3),
            "nested_cv": round(float(nested_agree.mean()), 3),
            "nested_cv_right_when_agreeing": round(right_agreeing, 3),
            "nested_cv_right_when_disagreeing": round(right_disagreeing, 3),
            "embedding_model_alone_nested_cv_top1": round(nested_embedding.acc1, 4),
        },
        "estimated_top1_unlabelled": {
            "by_confidence_word": round(
                sum(float((words == level).mean()) * precision[level] for level in precision), 3
            ),
            "by_agreement": round(
                float(agree.mean()) * right_agreeing + float((~agree).mean()) * right_disagreeing,
                3,
            ),
        },
        "category_share": {
            label: {
                "guessed_unlabelled": round(guessed[label] / len(pool), 3),
                "labelled": round(share, 3),
            }
            for label, share in sorted(labelled_share.items())
        },
    }


# --- the run ------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--data", default=DEFAULT_DATA, help="labelled JSON lines (from the repo)")
    parser.add_argument("--taxonomy", default="", help="default: taxonomy.csv next to --data")
    parser.add_argument("--outer", type=int, default=5, help="outer folds of the nested CV")
    parser.add_argument("--seed", type=int, default=2026, help="shuffles the folds")
    parser.add_argument("--pool-limit", type=int, default=2000, help="unlabelled texts used")
    parser.add_argument("--cache-dir", default="/tmp/xieshang-bench")
    parser.add_argument("--quick", action="store_true", help="the shipped settings only")
    parser.add_argument(
        "--held-out",
        default="",
        help=(
            "labelled JSON lines never seen (as --data): scored once by the shipped model "
            "trained on all of --data and the taxonomy"
        ),
    )
    parser.add_argument(
        "--timing-only",
        action="store_true",
        help="only train the shipped settings on the development part and time top()",
    )
    args = parser.parse_args(argv)
    args.data = ROOT / args.data
    args.taxonomy = ROOT / args.taxonomy if args.taxonomy else args.data.parent / "taxonomy.csv"
    args.cache_dir = Path(args.cache_dir)
    args.held_out = ROOT / args.held_out if args.held_out else None
    if args.held_out is not None and not args.held_out.exists():
        parser.error(f"no held-out file at {args.held_out}")
    return args


def run(args: argparse.Namespace) -> dict[str, Any]:
    if not args.data.exists():
        raise SystemExit(f"no data at {args.data}")
    started = time.perf_counter()
    data = load(args)
    rng = np.random.default_rng(args.seed)
    pool = (
        sorted(rng.choice(data.pool_texts, size=args.pool_limit, replace=False).tolist())
        if 0 < args.pool_limit < len(data.pool_texts)
        else list(data.pool_texts)
    )
    texts = Texts(args.cache_dir)
    texts.prepare([*data.texts, *data.taxonomy_texts, *data.pool_texts])
    labels = np.asarray(data.labels, dtype=object)
    split = StratifiedShuffleSplit(n_splits=1, test_size=HOLDOUT_SIZE, random_state=HOLDOUT_SEED)
    dev, held = next(split.split(data.texts, labels))
    dev, held = np.sort(dev), np.sort(held)
    held_ids = [data.ids[i] for i in held]
    log(
        f"{len(data.texts)} labelled ({len(dev)} development, {len(held)} held out), "
        f"{len(data.taxonomy_texts)} taxonomy names, {len(data.pool_texts)} unlabelled "
        f"({len(pool)} used in training)"
    )
    trainer = Trainer(data, texts, pool)
    if args.timing_only:
        shipped = trainer.train(dev, [SHIPPED])[SHIPPED]
        return {"benchmark": "category", "shipped": asdict(SHIPPED)} | measure_time(
            shipped, data, texts, held, pool
        )
    candidates = grid(args.quick)

    # Nested cross-validation over the development part.
    outer = StratifiedKFold(n_splits=args.outer, shuffle=True, random_state=args.seed)
    nested: list[Scores] = []
    nested_tfidf: list[Scores] = []  # the shipped settings, for the outlook
    nested_embedding: list[Scores] = []  # the embedding model alone, the same folds
    per_candidate_outer: dict[Settings, list[Scores]] = {s: [] for s in candidates}
    per_candidate_inner: dict[Settings, list[float]] = {s: [] for s in candidates}
    chosen_per_fold = []
    for number, (o_train, o_test) in enumerate(outer.split(dev, labels[dev]), start=1):
        rows, test = dev[o_train], dev[o_test]
        best, inner = choose(trainer, rows, labels[rows], candidates, args.seed + number)
        for s, sc in inner.items():
            per_candidate_inner[s].append(sc.acc1)
        models = trainer.train(rows, [*candidates, EMBEDDING_ONLY])
        for s in candidates:
            per_candidate_outer[s].append(score(models[s], data, texts, test))
        nested_tfidf.append(score(models[SHIPPED], data, texts, test))
        nested_embedding.append(score(models[EMBEDDING_ONLY], data, texts, test))
        nested.append(per_candidate_outer[best][-1])
        chosen_per_fold.append(name(best))
        log(
            f"outer fold {number}: chose {name(best)}, top1 {nested[-1].acc1:.3f} "
            f"({time.perf_counter() - started:.0f} s)"
        )
    nested_scores = Scores.join(nested)
    baseline_outer = Scores.join(per_candidate_outer[candidates[0]])
    candidate_table = [
        {
            "settings": name(s),
            "inner_top1": round(statistics.mean(per_candidate_inner[s]), 4)
            if per_candidate_inner[s]
            else None,
            "outer_top1": round(Scores.join(per_candidate_outer[s]).acc1, 4),
            "outer_top1_ci95": bootstrap(Scores.join(per_candidate_outer[s]).top1),
            "outer_top3": round(Scores.join(per_candidate_outer[s]).acc3, 4),
        }
        for s in candidates
    ]

    # The final choice: the same procedure on the whole development part; then the
    # held-out split, once per final candidate.
    final, _ = choose(trainer, dev, labels[dev], candidates, args.seed)
    log(f"final choice on the development part: {name(final)}")
    # The final candidates: the settings shipped before, the cross-validation's choice,
    # and the settings shipped now (the choice less what did not help in the outer folds;
    # bench/README.md). Each is trained on the development part and scored once.
    finals = {"shipped_before": SHIPPED_BEFORE, "chosen_by_cv": final, "shipped": SHIPPED}
    held_scores: dict[str, Scores] = {}
    final_models: dict[Settings, CategoryModel] = {}
    for label, settings in finals.items():
        if settings not in final_models:
            final_models[settings] = trainer.train(dev, [settings])[settings]
        held_scores[label] = score(final_models[settings], data, texts, held)
    model = final_models[SHIPPED]
    timing = measure_time(model, data, texts, held, pool)

    # Learning curve on the held-out split: the shipped settings after n labels.
    curve: list[dict[str, Any]] = []
    for size in (*LEARNING_SIZES, len(dev)):
        runs = []
        for draw in range(3 if size < len(dev) else 1):
            if size < len(dev):
                pick = StratifiedShuffleSplit(
                    n_splits=1, train_size=size, random_state=args.seed + draw
                )
                rows = dev[next(pick.split(dev, labels[dev]))[0]]
            else:
                rows = dev
            trained = trainer.train(rows, [SHIPPED])[SHIPPED]
            runs.append(score(trained, data, texts, held))
        # Each held-out message right in how many of the draws: its interval.
        per_row1 = np.mean([r.top1 for r in runs], axis=0)
        per_row3 = np.mean([r.top3 for r in runs], axis=0)
        curve.append(
            {
                "labels": size,
                "top1": round(statistics.mean(r.acc1 for r in runs), 4),
                "top1_ci95": bootstrap(per_row1),
                "top3": round(statistics.mean(r.acc3 for r in runs), 4),
                "top3_ci95": bootstrap(per_row3),
                "draws": len(runs),
            }
        )
        log(f"learning curve: {size} labels, top1 {curve[-1]['top1']:.3f}")

    # Simulated staff: the unlabelled messages arrive in time order, in batches; staff take
    # the first hint when it is shown as likely (较可能) and those decisions are learnt
    # from; what they decide otherwise is not known here, so it is not learnt from.
    staff: list[dict[str, Any]] = []
    decided_texts: list[str] = []
    decided_labels: list[str] = []
    current = model
    batch = math.ceil(len(data.pool_texts) / 4)
    for start in range(0, len(data.pool_texts), batch):
        chunk = data.pool_texts[start : start + batch]
        for text, guesses in zip(chunk, current.top_many(texts.corpus(chunk), k=1), strict=True):
            if guesses and confidence_level(guesses[0].confidence) == "likely":
                decided_texts.append(text)
                decided_labels.append(guesses[0].label)
        current = trainer.train(dev, [SHIPPED], extra=(decided_texts, decided_labels))[SHIPPED]
        sc = score(current, data, texts, held)
        staff.append(
            {
                "messages_seen": start + len(chunk),
                "decisions_learnt": len(decided_texts),
                "top1": round(sc.acc1, 4),
                "top1_ci95": bootstrap(sc.top1),
                "top3": round(sc.acc3, 4),
                "top3_ci95": bootstrap(sc.top3),
            }
        )
        log(f"simulated staff: {staff[-1]}")

    departments = {
        "tipdm2020_replies": department_hits(texts, tipdm_department_records(data)),
        "demo": department_hits(texts, demo_department_records()),
    }
    log(f"departments: {departments}")

    # The model the application would be handed: the shipped settings on all the
    # labelled messages (with the embedding model alone beside it, for the outlook).
    everything = np.arange(len(data.texts))
    models_all = trainer.train(everything, [EMBEDDING_ONLY])[EMBEDDING_ONLY]
    labelled_share = {k: v / len(data.labels) for k, v in Counter(data.labels).items()}
    unlabelled_outlook = outlook(
        models_all,
        texts,
        data.pool_texts,
        Scores.join(nested_tfidf),
        Scores.join(nested_embedding),
        labelled_share,
    )
    log(f"outlook: {unlabelled_outlook['estimated_top1_unlabelled']}")
    unseen = (
        held_out_file(args.held_out, data, texts, trainer, models_all.reweighted(0.0))
        if args.held_out is not None
        else None
    )
    if unseen is not None:
        log(f"held-out file: top1 {unseen['top1']} top3 {unseen['top3']}")

    shipped_held = held_scores["shipped"]
    top1_diff = paired_bootstrap(
        shipped_held.top1.astype(float),
        held_scores["shipped_before"].top1.astype(float),
        args.seed,
    )
    return {
        "benchmark": "category",
        "split": {
            "labelled": len(data.texts),
            "development": len(dev),
            "held_out": len(held),
            "held_out_seed": HOLDOUT_SEED,
            "held_out_ids_sha1": hashlib.sha1(",".join(held_ids).encode()).hexdigest(),
            "held_out_by_category": dict(sorted(Counter(labels[held].tolist()).items())),
            "taxonomy_examples": len(data.taxonomy_texts),
            "unlabelled": len(data.pool_texts),
            "unlabelled_in_training": len(pool),
        },
        "nested_cv": {
            **figure(nested_scores),
            "outer_folds": args.outer,
            "inner_folds": 3,
            "chosen_per_fold": chosen_per_fold,
            "shipped_before_same_folds": figure(baseline_outer),
            "confidence_words": levels(nested_scores),
        },
        "candidates": candidate_table,
        "chosen_by_cv": asdict(final),
        "shipped": asdict(SHIPPED),
        "held_out": {
            **{label: figure(sc) for label, sc in held_scores.items()},
            "shipped_minus_shipped_before_top1_ci95": top1_diff,
            "confidence_words": levels(shipped_held),
        },
        "held_out_file": unseen,
        "unlabelled_outlook": unlabelled_outlook,
        "learning_curve": curve,
        "simulated_staff": staff,
        "departments": departments,
        **timing,
        "target": TARGET,
        "met": {
            "held_out": shipped_held.acc1 >= TARGET["top1"] and shipped_held.acc3 >= TARGET["top3"],
            "nested_cv": nested_scores.acc1 >= TARGET["top1"]
            and nested_scores.acc3 >= TARGET["top3"],
            "held_out_file": None
            if unseen is None
            else unseen["top1"] >= TARGET["top1"] and unseen["top3"] >= TARGET["top3"],
            "predict_ms_p99": timing["predict_ms_p99"] < TARGET["predict_ms_p99"],
        },
        "seconds": round(time.perf_counter() - started, 1),
        "seed": args.seed,
    }


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    print(json.dumps(run(args), ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
