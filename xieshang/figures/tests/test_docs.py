from xieshang.figures.docs import PATH, render


def test_docs_figures_md_is_current() -> None:
    assert PATH.read_text() == render(), "run `manage.py figures_doc` and commit docs/figures.md"
