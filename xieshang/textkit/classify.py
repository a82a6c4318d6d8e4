"""Category suggestions for citizens' suggestions: which category a new text most likely
belongs to, learnt from texts that committees have already sorted.

The model is linear and small, so one `CategoryModel.top` call costs a few milliseconds:

* **features** — four TF-IDF blocks (sublinear term frequency, rows L2-normalised), put
  side by side: the jieba words (`Segmenter.words`, search mode, stop words dropped) of
  the whole text and of its title, and the character 1-, 2- and 3-grams (`char_wb`) of
  the normalised whole text and of its title. The title counts twice that way: a title
  names the problem, a body also tells the story around it. Characters catch what jieba
  cuts differently (place names, new words); words keep compounds apart.
* **classifier** — a linear SVM per category (one against the rest, class-balanced
  weights, C = 0.5) trained on all the texts, its scores turned into probabilities by
  Platt's sigmoid fitted on out-of-fold scores (`CalibratedClassifierCV`, 5 folds, or
  fewer when a category has fewer examples; `ensemble=False`, so one SVM is kept, not
  five). With only one example in some category there are no folds, and a multinomial
  logistic regression is used instead.

Texts are what `suggestion_text(title, body)` makes: the title on the first line. Short
phrases, such as the names of a category tree's subcategories (城乡建设 › 物业管理), are
useful extra training examples: a one-line text is all title.

`dumps` pickles the model (compressed) for a database field; `loads` must only be given
bytes this module wrote into the project's own database — pickle runs code on load.
"""

from __future__ import annotations

import io
import pickle
import zlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import sklearn
from scipy import sparse
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.svm import LinearSVC

from xieshang.textkit.normalize import normalize
from xieshang.textkit.segment import DEFAULT_STOP_WORDS, Segmenter

FORMAT = 1
_MAGIC = b"xieshang-category\n"
_SVM_C = 0.5
_FOLDS = 5


class ModelFormatError(ValueError):
    """Bytes that are not a stored `CategoryModel` of a format this code reads."""


@dataclass(frozen=True)
class Guess:
    label: str
    confidence: float  # 0..1, the model's probability


def suggestion_text(title: str, body: str) -> str:
    """The text of a suggestion as the model sees it: the title on the first line."""
    title = " ".join(title.split())
    body = body.strip()
    return f"{title}\n{body}" if body else title


def _split(text: str) -> tuple[str, str]:
    """(title, body), both normalised; a one-line text is all title."""
    title, _, body = text.strip().partition("\n")
    return normalize(title), normalize(body)


def _tokens(tokens: list[str]) -> list[str]:
    """The analyzer of the word blocks: the texts come already segmented."""
    return tokens


def _words_vectorizer(max_features: int) -> TfidfVectorizer:
    return TfidfVectorizer(
        analyzer=_tokens, sublinear_tf=True, max_features=max_features, dtype=np.float32
    )


def _chars_vectorizer(max_features: int, min_df: int = 1) -> TfidfVectorizer:
    return TfidfVectorizer(
        analyzer="char_wb",
        ngram_range=(1, 3),
        sublinear_tf=True,
        min_df=min_df,
        max_features=max_features,
        dtype=np.float32,
    )


@lru_cache(maxsize=4)
def _segmenter(user_words: tuple[str, ...], stop_words: frozenset[str]) -> Segmenter:
    return Segmenter(user_words=user_words, stop_words=stop_words)


class CategoryModel:
    """Train with `train`, ask with `top`/`top_many`, store with `dumps`/`loads`."""

    def __init__(
        self,
        vectorizers: tuple[TfidfVectorizer, TfidfVectorizer, TfidfVectorizer, TfidfVectorizer],
        classifier: Any,
        segmenter: Segmenter,
    ) -> None:
        self._vectorizers = vectorizers
        self._classifier = classifier
        self._segmenter = segmenter
        self._labels: list[str] = [str(c) for c in classifier.classes_]
        # 1 for the columns that say something about a text: every word, every character
        # gram but the padding spaces `char_wb` puts around each run ("  ", " ").
        self._content = np.concatenate(
            [
                np.asarray([bool(str(t).strip()) for t in v.get_feature_names_out()], np.float32)
                for v in vectorizers
            ]
        )

    # --- training ----------------------------------------------------------------------

    @classmethod
    def train(
        cls,
        texts: Sequence[str],
        labels: Sequence[str],
        *,
        segmenter: Segmenter | None = None,
    ) -> CategoryModel:
        """Learn from texts (see `suggestion_text`) and their categories.

        Needs at least two categories. On the 2-core development machine: 1.5–2 s for
        600 texts, 5 s for 1,000, 30 s for 4,300 (a third of it normalising the texts)."""
        if len(texts) != len(labels):
            raise ValueError(f"{len(texts)} texts but {len(labels)} labels")
        counts = Counter(labels)
        if len(counts) < 2:
            raise ValueError("a category model needs examples of at least two categories")
        segmenter = segmenter or _segmenter((), DEFAULT_STOP_WORDS)
        # The most frequent terms only, so a committee with years of suggestions still
        # gets a model of a few megabytes (448 suggestions use about 65,000 columns).
        vectorizers = (
            _words_vectorizer(40_000),
            _words_vectorizer(15_000),
            # A character gram seen in one text only is mostly a name; with few texts
            # every gram counts.
            _chars_vectorizer(80_000, min_df=2 if len(texts) >= 100 else 1),
            _chars_vectorizer(25_000),
        )
        columns = _columns(texts, segmenter)
        x = sparse.hstack(
            [v.fit_transform(col) for v, col in zip(vectorizers, columns, strict=True)],
            format="csr",
        )
        y = np.asarray(labels, dtype=object)
        smallest = min(counts.values())
        classifier: Any
        if smallest >= 2:
            classifier = CalibratedClassifierCV(
                LinearSVC(C=_SVM_C, class_weight="balanced"),
                method="sigmoid",
                cv=min(_FOLDS, smallest),
                ensemble=False,
            )
        else:
            classifier = LogisticRegression(C=20.0, class_weight="balanced", max_iter=2000)
        classifier.fit(x, y)
        _shrink(classifier)
        return cls(vectorizers, classifier, segmenter)

    # --- asking ------------------------------------------------------------------------

    @property
    def labels(self) -> list[str]:
        """The categories the model knows, sorted."""
        return list(self._labels)

    def top(self, text: str, k: int = 3) -> list[Guess]:
        """The k likeliest categories, best first; [] when the text has nothing the model
        has seen (empty, or only unknown characters)."""
        return self.top_many([text], k)[0]

    def top_many(self, texts: Sequence[str], k: int = 3) -> list[list[Guess]]:
        """`top` for each text, in one pass."""
        if not texts:
            return []
        x = self._features(texts)
        known = np.asarray(abs(x) @ self._content).ravel() > 0
        out: list[list[Guess]] = [[] for _ in texts]
        if k <= 0 or not known.any():
            return out
        rows = np.flatnonzero(known)
        probabilities = self._classifier.predict_proba(x[rows])
        k = min(k, len(self._labels))
        for row, p in zip(rows, probabilities, strict=True):
            # Stable sort of −p: equal probabilities keep the labels' order.
            best = np.argsort(-p, kind="stable")[:k]
            out[row] = [Guess(self._labels[i], min(1.0, max(0.0, float(p[i])))) for i in best]
        return out

    def _features(self, texts: Sequence[str]) -> sparse.csr_matrix:
        columns = _columns(texts, self._segmenter)
        return sparse.hstack(
            [v.transform(col) for v, col in zip(self._vectorizers, columns, strict=True)],
            format="csr",
        )

    # --- storing -----------------------------------------------------------------------

    def dumps(self) -> bytes:
        """The model as bytes (zlib-compressed pickle) for a database BinaryField."""
        state = {
            "format": FORMAT,
            "sklearn": sklearn.__version__,
            "vectorizers": self._vectorizers,
            "classifier": self._classifier,
            "user_words": tuple(self._segmenter.user_words),
            "stop_words": self._segmenter.stop_words,
        }
        return _MAGIC + zlib.compress(pickle.dumps(state, protocol=5), 6)

    @classmethod
    def loads(cls, data: bytes) -> CategoryModel:
        """A model from `dumps`. Only for bytes this project stored itself (pickle)."""
        if not data.startswith(_MAGIC):
            raise ModelFormatError("not a stored category model")
        try:
            raw = zlib.decompress(data[len(_MAGIC) :])
            state = _Unpickler(io.BytesIO(raw)).load()
        except (zlib.error, pickle.UnpicklingError, EOFError, AttributeError) as exc:
            raise ModelFormatError(f"unreadable category model: {exc}") from exc
        if not isinstance(state, dict) or state.get("format") != FORMAT:
            raise ModelFormatError("a category model of another format; train it again")
        segmenter = _segmenter(tuple(state["user_words"]), frozenset(state["stop_words"]))
        return cls(tuple(state["vectorizers"]), state["classifier"], segmenter)


def _shrink(classifier: Any) -> None:
    """Single-precision weights: the features are float32 already, and it halves what
    `dumps` stores."""
    fitted = [c.estimator for c in getattr(classifier, "calibrated_classifiers_", ())]
    for estimator in [*fitted, classifier]:
        coef = getattr(estimator, "coef_", None)
        if isinstance(coef, np.ndarray) and coef.dtype == np.float64:
            estimator.coef_ = coef.astype(np.float32)


class _Unpickler(pickle.Unpickler):
    """Loads only what a model is made of: numpy, scipy, scikit-learn, this module and a
    few builtins; anything else in the bytes is refused rather than imported."""

    _PACKAGES = frozenset({"numpy", "scipy", "sklearn"})
    _NAMES = frozenset(
        {
            ("builtins", "object"),
            ("builtins", "slice"),
            ("builtins", "set"),
            ("builtins", "frozenset"),
            ("builtins", "getattr"),
            ("copyreg", "_reconstructor"),
            ("_codecs", "encode"),
        }
    )

    def find_class(self, module: str, name: str) -> Any:
        if (
            module.split(".")[0] in self._PACKAGES
            or module == __name__
            or (module, name) in self._NAMES
        ):
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not part of a category model")


def _columns(
    texts: Sequence[str], segmenter: Segmenter
) -> tuple[list[list[str]], list[list[str]], list[str], list[str]]:
    """The four views the vectorizers read: the words of the whole text and of the title,
    the normalised whole text and the normalised title."""
    all_words: list[list[str]] = []
    title_words: list[list[str]] = []
    whole: list[str] = []
    titles: list[str] = []
    for text in texts:
        title, body = _split(text)
        words = segmenter.words(title)
        title_words.append(words)
        all_words.append(words + segmenter.words(body) if body else words)
        whole.append(f"{title} {body}" if body else title)
        titles.append(title)
    return all_words, title_words, whole, titles
