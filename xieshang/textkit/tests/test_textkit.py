"""Normalisation, segmentation with a user dictionary, query parsing and snippets."""

from __future__ import annotations

import os
import unicodedata

import opencc
import pytest

from xieshang.textkit.normalize import _changeable, _t2s, fold, normalize, same_length
from xieshang.textkit.query import QueryError, fts5_match, parse_query, pg_tsquery
from xieshang.textkit.segment import Segmenter, chars, document_terms, grams
from xieshang.textkit.snippet import snippet


@pytest.fixture(scope="module")
def seg() -> Segmenter:
    return Segmenter(user_words=["龙口东路", "港海社区"])


def test_it_folds_width_script_case_and_spaces() -> None:
    assert normalize("  廣州 天河區\u3000ＡＢＣ１２３  電梯 ") == "广州 天河区 abc123 电梯"
    assert same_length("天河區電梯") == "天河区电梯"


def test_skipping_the_table_for_simplified_text_changes_no_result() -> None:
    """Every entry of the t2s dictionaries, alone and inside simplified text, folds the
    same with the shortcut as through the whole table."""
    folder = os.path.join(os.path.dirname(opencc.__file__), "dictionary")
    keys = []
    for name in ("TSPhrases.txt", "TSCharacters.txt"):
        with open(os.path.join(folder, name), encoding="utf-8") as lines:
            keys += [line.split("\t")[0] for line in lines if line.strip()]
    assert len(keys) > 4_000
    converter = _t2s()
    for key in keys:
        for text in (key, f"小区{key}门口"):
            slow = converter.convert(unicodedata.normalize("NFKC", text)).lower()
            assert fold(text) == slow, text
    assert fold("沈默的电梯") == "沉默的电梯"  # a phrase whose characters alone stay
    assert "電" in _changeable() and "电" not in _changeable()
    fold.cache_clear()


def test_user_words_stay_whole_and_stop_words_go(seg: Segmenter) -> None:
    assert "龙口东路" in seg.words("龙口东路的噪音", for_search=False)
    assert "龙口东路" not in Segmenter().words("龙口东路的噪音", for_search=False)
    assert "的" not in seg.words("龙口东路的噪音")
    assert Segmenter(stop_words=frozenset({"噪音"})).words("噪音很大") == ["很大"]


def test_grams_are_pairs_of_each_han_run_and_whole_latin_runs() -> None:
    assert grams("龙口东路3号线") == ["龙口", "口东", "东路", "3", "号线"]
    assert grams("堵，车") == ["堵", "车"]
    assert chars("地铁A口") == ["地", "铁", "口"]


def test_document_terms_keep_the_parts_and_drop_markup_characters(seg: Segmenter) -> None:
    terms = document_terms(seg, "龙口东路噪音", "<script>alert(1)</script>")
    assert "龙口东路" in terms.words.split()
    assert terms.grams.split()[:3] == ["龙口", "口东", "东路"]
    assert "<" not in terms.grams and "(" not in terms.words


def test_a_query_is_cut_into_terms_and_quotes_make_phrases(seg: Segmenter) -> None:
    q = parse_query("“老旧小区” 加装电梯", seg)
    assert [t.text for t in q.terms] == ["老旧小区", "加装", "电梯"]
    assert q.terms[0].phrase
    assert fts5_match(q).startswith('(words:"老旧小区" OR grams:"老旧 旧小 小区")')
    assert "('老旧':B <-> '旧小':B <-> '小区':B)" in pg_tsquery(q)


def test_one_character_looks_in_the_characters(seg: Segmenter) -> None:
    q = parse_query("堵", seg)
    assert fts5_match(q) == '(chars:"堵")'
    assert pg_tsquery(q) == "('堵':C)"


@pytest.mark.parametrize(
    "text",
    ["NEAR(a b)", '"', "*", "-x OR y", "a:b", "'; DROP TABLE x; --", '小区" OR "1', "((((("],
)
def test_engine_syntax_never_reaches_the_engine(seg: Segmenter, text: str) -> None:
    try:
        q = parse_query(text, seg)
    except QueryError:
        return
    for term in q.terms:
        assert all(c.isalnum() for c in term.text), term
    assert "NEAR(" not in fts5_match(q) and ";" not in pg_tsquery(q)


@pytest.mark.parametrize("text", ["", "   ", "！？。，", "…", '""'])
def test_nothing_to_search_for_is_refused(seg: Segmenter, text: str) -> None:
    with pytest.raises(QueryError):
        parse_query(text, seg)


def test_a_long_query_is_cut_and_says_so(seg: Segmenter) -> None:
    q = parse_query("小区" * 5000, seg)
    assert q.truncated and len(q.terms) <= 12


def test_stop_words_alone_are_still_searched(seg: Segmenter) -> None:
    assert [t.text for t in parse_query("的", seg).terms] == ["的"]


def test_traditional_queries_find_simplified_terms(seg: Segmenter) -> None:
    assert [t.text for t in parse_query("電梯", seg).terms] == ["电梯"]


def test_the_snippet_marks_matches_around_the_first_one() -> None:
    text = "前面的话。" * 30 + "港海社区晚上施工噪音很大<b>。"
    pieces = snippet(text, ["噪音", "施工"], width=40)
    assert pieces[0].text == "…"
    marked = [p.text for p in pieces if p.marked]
    assert marked == ["施工噪音"]
    assert "<b>" in "".join(p.text for p in pieces)  # left as text; the template escapes it
    assert snippet("没有匹配", ["噪音"])[0].text == "没有匹配"
    assert [p.text for p in snippet("電梯壞了", ["电梯"]) if p.marked] == ["電梯"]
