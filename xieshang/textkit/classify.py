"""Category suggestions for citizens' suggestions: which category a new text most likely
belongs to, learnt from texts that committees have already sorted.

The model is linear and small, so one `CategoryModel.top` call costs a few milliseconds:

* **features** — four TF-IDF blocks (sublinear term frequency, rows L2-normalised), put
  side by side: the jieba words (`Segmenter.words`, search mode, stop words dropped) of
  the whole text and of its title, and the character 1-, 2- and 3-grams (`char_wb`) of
  the normalised whole text and of its title. The title counts twice that way: a title
  names the problem, a body also tells the story around it. Characters catch what jieba
  cuts differently (place names, new words); words keep compounds apart. With
  `Settings.unlabelled_vocabulary` the vocabularies and their IDF weights are learnt from
  the unlabelled texts too (every suggestion a committee has, sorted or not).
* **classifier** — a linear SVM per category (one against the rest, class-balanced
  weights, C = `Settings.svm_c`) trained on all the texts, its scores turned into
  probabilities by Platt's sigmoid fitted on out-of-fold scores (`CalibratedClassifierCV`,
  5 folds, or fewer when a category has fewer examples; `ensemble=False`, so one SVM is
  kept, not five). With only one example in some category there are no folds, and a
  multinomial logistic regression is used instead.
* **sentence embeddings** (`Settings.embedding_weight` > 0) — a multinomial logistic
  regression on each text's USE embedding (`xieshang.textkit.similar.embed`, which the
  project stores for every suggestion anyway), its probabilities mixed with the SVM's:
  p = (1 − w)·p_svm + w·p_embedding. Give `top` the stored embedding and the mix costs
  a dot product; without one it is computed (3–27 ms).
* **self-training** (`Settings.self_training`, a probability) — the unlabelled texts the
  first model is at least that sure of join the training texts with the label it gave
  them, and the model is trained again.

Which settings are shipped, and what each is worth on unseen messages, is measured by
`bench/category.py` (nested cross-validation and a held-out split; see bench/README.md).

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
from dataclasses import asdict, dataclass, replace
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from scipy import sparse
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

# scikit-learn and SciPy are imported where a model is trained, asked or stored, not with
# this module: `insights` imports it at start-up, and importing them costs every process
# (a web worker, each `manage.py` command, each test worker) about 1.5 s on this machine.

from xieshang.textkit.normalize import normalize
from xieshang.textkit.segment import DEFAULT_STOP_WORDS, Segmenter, segmenter_for

FORMAT = 2  # 1: no settings, no embedding model (still read)
_MAGIC = b"xieshang-category\n"
_FOLDS = 5
EMBEDDING_DIM = 512


class ModelFormatError(ValueError):
    """Bytes that are not a stored `CategoryModel` of a format this code reads."""


@dataclass(frozen=True)
class Guess:
    label: str
    confidence: float  # 0..1, the model's probability


@dataclass(frozen=True)
class Settings:
    """How a model is trained. The defaults are what is shipped, chosen with
    `bench/category.py` (bench/README.md, docs/decisions.md 30); the other values are
    there to be compared against them."""

    svm_c: float = 0.5
    # Weight of the sentence-embedding model's probabilities (0: TF-IDF alone). Not
    # shipped: no better in nested cross-validation (bench/README.md).
    embedding_weight: float = 0.0
    embedding_c: float = 10.0
    # Learn the vocabularies and IDF weights from the unlabelled texts as well.
    unlabelled_vocabulary: bool = True
    # Pseudo-label the unlabelled texts the first model is this sure of (None: no).
    self_training: float | None = None

    @property
    def uses_embeddings(self) -> bool:
        return self.embedding_weight > 0


@dataclass(frozen=True)
class TextView:
    """What the vectorizers read of one text: the words of the whole text and of the title,
    the normalised whole text and the normalised title. Computing it (normalising and
    segmenting) is most of the cost of training; `text_views` lets a caller keep it."""

    words: list[str]
    title_words: list[str]
    whole: str
    title: str


@dataclass
class Corpus:
    """Texts with, optionally, their views and embeddings already computed."""

    texts: Sequence[str]
    views: Sequence[TextView] | None = None
    embeddings: np.ndarray | None = None  # (n, EMBEDDING_DIM), L2-normalised rows

    def __len__(self) -> int:
        return len(self.texts)


def suggestion_text(title: str, body: str) -> str:
    """The text of a suggestion as the model sees it: the title on the first line."""
    title = " ".join(title.split())
    body = body.strip()
    return f"{title}\n{body}" if body else title


def _split(text: str) -> tuple[str, str]:
    """(title, body), both normalised; a one-line text is all title."""
    title, _, body = text.strip().partition("\n")
    return normalize(title), normalize(body)


def text_views(texts: Sequence[str], segmenter: Segmenter | None = None) -> list[TextView]:
    """The views of texts (see `TextView`)."""
    segmenter = segmenter or default_segmenter()
    views = []
    for text in texts:
        title, body = _split(text)
        words = segmenter.words(title)
        views.append(
            TextView(
                words=words + segmenter.words(body) if body else words,
                title_words=words,
                whole=f"{title} {body}" if body else title,
                title=title,
            )
        )
    return views


def _tokens(tokens: list[str]) -> list[str]:
    """The analyzer of the word blocks: the texts come already segmented."""
    return tokens


def _words_vectorizer(max_features: int) -> TfidfVectorizer:
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(
        analyzer=_tokens, sublinear_tf=True, max_features=max_features, dtype=np.float32
    )


def _chars_vectorizer(max_features: int, min_df: int = 1) -> TfidfVectorizer:
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(
        analyzer="char_wb",
        ngram_range=(1, 3),
        sublinear_tf=True,
        min_df=min_df,
        max_features=max_features,
        dtype=np.float32,
    )


def default_segmenter() -> Segmenter:
    return segmenter_for((), DEFAULT_STOP_WORDS)


def _columns(
    views: Sequence[TextView],
) -> tuple[list[list[str]], list[list[str]], list[str], list[str]]:
    return (
        [v.words for v in views],
        [v.title_words for v in views],
        [v.whole for v in views],
        [v.title for v in views],
    )


if TYPE_CHECKING:
    Vectorizers = tuple[TfidfVectorizer, TfidfVectorizer, TfidfVectorizer, TfidfVectorizer]


def _vectorizers_fit(views: Sequence[TextView]) -> Vectorizers:
    # The most frequent terms only, so a committee with years of suggestions still gets a
    # model of a few megabytes (448 suggestions use about 65,000 columns).
    vectorizers = (
        _words_vectorizer(40_000),
        _words_vectorizer(15_000),
        # A character gram seen in one text only is mostly a name; with few texts every
        # gram counts.
        _chars_vectorizer(80_000, min_df=2 if len(views) >= 100 else 1),
        _chars_vectorizer(25_000),
    )
    for vectorizer, column in zip(vectorizers, _columns(views), strict=True):
        vectorizer.fit(column)
        # The terms cut by max_features, kept only for introspection: with a vocabulary
        # learnt from thousands of texts they are most of the pickle (and 2 s to load).
        vectorizer.stop_words_ = None
    return vectorizers


def _transform(vectorizers: Vectorizers, views: Sequence[TextView]) -> sparse.csr_matrix:
    from scipy import sparse

    return sparse.hstack(
        [v.transform(col) for v, col in zip(vectorizers, _columns(views), strict=True)],
        format="csr",
    )


def _svm_fit(x: Any, y: np.ndarray, c: float) -> Any:
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.linear_model import LogisticRegression
    from sklearn.svm import LinearSVC

    smallest = min(Counter(y.tolist()).values())
    classifier: Any
    if smallest >= 2:
        classifier = CalibratedClassifierCV(
            # random_state: the dual solver shuffles; the same texts give the same model.
            LinearSVC(C=c, class_weight="balanced", random_state=0),
            method="sigmoid",
            cv=min(_FOLDS, smallest),
            ensemble=False,
        )
    else:
        classifier = LogisticRegression(C=20.0, class_weight="balanced", max_iter=2000)
    classifier.fit(x, y)
    _shrink(classifier)
    return classifier


def _embedding_fit(e: np.ndarray, y: np.ndarray, c: float) -> LogisticRegression:
    from sklearn.linear_model import LogisticRegression

    classifier = LogisticRegression(C=c, class_weight="balanced", max_iter=3000)
    classifier.fit(e, y)
    _shrink(classifier)
    return classifier


def _embeddings_of(corpus: Corpus) -> np.ndarray:
    if corpus.embeddings is not None:
        return np.asarray(corpus.embeddings, dtype=np.float32)
    from xieshang.textkit.similar import embed

    return embed(list(corpus.texts))


class CategoryModel:
    """Train with `train`, ask with `top`/`top_many`, store with `dumps`/`loads`."""

    def __init__(
        self,
        vectorizers: Vectorizers,
        classifier: Any,
        segmenter: Segmenter,
        *,
        embedding_classifier: Any = None,
        settings: Settings | None = None,
    ) -> None:
        self._vectorizers = vectorizers
        self._classifier = classifier
        self._segmenter = segmenter
        self._embedding_classifier = embedding_classifier
        self.settings = settings or Settings()
        self._labels: list[str] = [str(c) for c in classifier.classes_]
        if (
            embedding_classifier is not None
            and [str(c) for c in embedding_classifier.classes_] != self._labels
        ):
            raise ValueError("the two classifiers know different categories")
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
        texts: Sequence[str] | Corpus,
        labels: Sequence[str],
        *,
        segmenter: Segmenter | None = None,
        settings: Settings | None = None,
        unlabelled: Sequence[str] | Corpus = (),
    ) -> CategoryModel:
        """Learn from texts (see `suggestion_text`) and their categories; `unlabelled`
        texts are used only as `settings` say (vocabulary, self-training).

        Needs at least two categories. On the 2-core development machine: 1.5–2 s for
        600 texts, 5 s for 1,000, 30 s for 4,300 (a third of it normalising the texts)."""
        settings = settings or Settings()
        segmenter = segmenter or default_segmenter()
        labelled = texts if isinstance(texts, Corpus) else Corpus(texts)
        pool = unlabelled if isinstance(unlabelled, Corpus) else Corpus(unlabelled)
        if len(labelled) != len(labels):
            raise ValueError(f"{len(labelled)} texts but {len(labels)} labels")
        if len(set(labels)) < 2:
            raise ValueError("a category model needs examples of at least two categories")
        use_pool = len(pool) > 0 and (
            settings.unlabelled_vocabulary or settings.self_training is not None
        )
        views = list(labelled.views or text_views(labelled.texts, segmenter))
        pool_views = list(pool.views or text_views(pool.texts, segmenter)) if use_pool else []
        vectorizers = _vectorizers_fit(
            views + pool_views if settings.unlabelled_vocabulary else views
        )
        x = _transform(vectorizers, views)
        y = np.asarray(labels, dtype=object)
        e = _embeddings_of(labelled) if settings.uses_embeddings else None
        model = cls._fit(vectorizers, x, y, e, segmenter, settings)
        if settings.self_training is None or not pool_views:
            return model
        pool_x = _transform(vectorizers, pool_views)
        pool_e = _embeddings_of(pool) if settings.uses_embeddings else None
        p = model._probabilities(pool_x, pool_e)
        from scipy import sparse

        sure = np.flatnonzero(p.max(axis=1) >= settings.self_training)
        if not len(sure):
            return model
        pseudo = np.asarray(model._labels, dtype=object)[p[sure].argmax(axis=1)]
        return cls._fit(
            vectorizers,
            sparse.vstack([x, pool_x[sure]], format="csr"),
            np.concatenate([y, pseudo]),
            None if e is None or pool_e is None else np.vstack([e, pool_e[sure]]),
            segmenter,
            settings,
        )

    @classmethod
    def _fit(
        cls,
        vectorizers: Vectorizers,
        x: Any,
        y: np.ndarray,
        e: np.ndarray | None,
        segmenter: Segmenter,
        settings: Settings,
    ) -> CategoryModel:
        return cls(
            vectorizers,
            _svm_fit(x, y, settings.svm_c),
            segmenter,
            embedding_classifier=(
                _embedding_fit(e, y, settings.embedding_c) if e is not None else None
            ),
            settings=settings,
        )

    # --- asking ------------------------------------------------------------------------

    @property
    def labels(self) -> list[str]:
        """The categories the model knows, sorted."""
        return list(self._labels)

    @property
    def uses_embeddings(self) -> bool:
        return self._embedding_classifier is not None

    def top(self, text: str, k: int = 3, *, embedding: np.ndarray | None = None) -> list[Guess]:
        """The k likeliest categories, best first; [] when the text has nothing the model
        has seen (empty, or only unknown characters). `embedding`: the text's stored
        sentence embedding, if the model uses one (computed here otherwise)."""
        return self.top_many(
            [text], k, embeddings=None if embedding is None else np.asarray([embedding])
        )[0]

    def top_many(
        self,
        texts: Sequence[str] | Corpus,
        k: int = 3,
        *,
        embeddings: np.ndarray | None = None,
    ) -> list[list[Guess]]:
        """`top` for each text, in one pass. scikit-learn's checks of its arguments and of
        finite values are skipped: the arrays are the model's own, and for one text the
        checks cost about a sixth of the call (bench/category.py, `predict_cpu_ms`)."""
        import sklearn

        with sklearn.config_context(skip_parameter_validation=True, assume_finite=True):
            return self._top_many(texts, k, embeddings)

    def _top_many(
        self, texts: Sequence[str] | Corpus, k: int, embeddings: np.ndarray | None
    ) -> list[list[Guess]]:
        corpus = texts if isinstance(texts, Corpus) else Corpus(texts, embeddings=embeddings)
        if not len(corpus):
            return []
        x = _transform(self._vectorizers, corpus.views or text_views(corpus.texts, self._segmenter))
        known = np.asarray(abs(x) @ self._content).ravel() > 0
        out: list[list[Guess]] = [[] for _ in range(len(corpus))]
        if k <= 0 or not known.any():
            return out
        rows = np.flatnonzero(known)
        e = None
        if self.uses_embeddings:
            e = _embeddings_of(corpus if len(rows) == len(corpus) else _rows(corpus, rows))
        probabilities = self._probabilities(x[rows], e)
        k = min(k, len(self._labels))
        for row, p in zip(rows, probabilities, strict=True):
            # Stable sort of −p: equal probabilities keep the labels' order.
            best = np.argsort(-p, kind="stable")[:k]
            out[row] = [Guess(self._labels[i], min(1.0, max(0.0, float(p[i])))) for i in best]
        return out

    def probabilities(self, texts: Sequence[str] | Corpus) -> np.ndarray:
        """(n, categories): every category's probability for each text, in `labels`
        order (rows of zeros for texts with nothing known)."""
        corpus = texts if isinstance(texts, Corpus) else Corpus(texts)
        out = np.zeros((len(corpus), len(self._labels)))
        for row, guesses in enumerate(self.top_many(corpus, k=len(self._labels))):
            for guess in guesses:
                out[row, self._labels.index(guess.label)] = guess.confidence
        return out

    def reweighted(self, embedding_weight: float) -> CategoryModel:
        """The same model with the sentence-embedding probabilities weighted otherwise
        (0: TF-IDF alone); nothing is trained again."""
        if embedding_weight > 0 and self._embedding_classifier is None:
            raise ValueError("this model was trained without sentence embeddings")
        return type(self)(
            self._vectorizers,
            self._classifier,
            self._segmenter,
            embedding_classifier=self._embedding_classifier if embedding_weight > 0 else None,
            settings=replace(self.settings, embedding_weight=embedding_weight),
        )

    def _probabilities(self, x: Any, e: np.ndarray | None) -> np.ndarray:
        p: np.ndarray = self._classifier.predict_proba(x)
        if self._embedding_classifier is not None and e is not None:
            w = self.settings.embedding_weight
            p = (1 - w) * p + w * self._embedding_classifier.predict_proba(
                np.asarray(e, dtype=np.float32)
            )
        return p

    # --- storing -----------------------------------------------------------------------

    def dumps(self) -> bytes:
        """The model as bytes (zlib-compressed pickle) for a database BinaryField."""
        import sklearn

        state = {
            "format": FORMAT,
            "sklearn": sklearn.__version__,
            "vectorizers": self._vectorizers,
            "classifier": self._classifier,
            "embedding_classifier": self._embedding_classifier,
            "settings": asdict(self.settings),
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
        if not isinstance(state, dict) or state.get("format") not in (1, FORMAT):
            raise ModelFormatError("a category model of another format; train it again")
        segmenter = segmenter_for(tuple(state["user_words"]), frozenset(state["stop_words"]))
        return cls(
            tuple(state["vectorizers"]),
            state["classifier"],
            segmenter,
            embedding_classifier=state.get("embedding_classifier"),
            # Format 1 knew one way to train: the labelled texts' own vocabulary.
            settings=Settings(**state.get("settings", {"unlabelled_vocabulary": False})),
        )


def _rows(corpus: Corpus, rows: np.ndarray) -> Corpus:
    return Corpus(
        [corpus.texts[i] for i in rows],
        embeddings=None if corpus.embeddings is None else np.asarray(corpus.embeddings)[rows],
    )


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
