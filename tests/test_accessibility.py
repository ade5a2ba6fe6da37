"""Readers of every kind, build side: the language of non-English runs, and the theme's faults
the book mends (each test of a mend fails once the upstream fix arrives, so the mend can go)."""

from __future__ import annotations

import re
from importlib.metadata import version
from importlib.resources import files

import pytest
from docutils import nodes
from docutils.frontend import get_default_settings
from docutils.parsers.rst import Parser
from docutils.utils import new_document

from book_ext.languages import POLYGLOSSIA, language_of, latex_preamble, mark, runs
from book_ext.print_alt import alt_wrapping
from book_ext.theme_fixes import BODY_MENDS, TEMPLATES, front_door, mend_body


@pytest.mark.parametrize(("text", "tag"), [
    ("Договор о коллективной безопасности", "ru"),
    ("Объявил", "ru"),  # ъ before a vowel: Russian
    ("Армения ратифицира договора за присъединяване към Евразийския съюз", "bg"),
    ("Ամսաթիվ. 15 մայիսի 1992", "hy"),
    ("საქართველო", "ka"),
    ("Қазақстан Республикасы", "kk"),
    ("Кыргыз Республикасынын Өкмөтү", "ky"),
    ("Україна", "uk"),
    ("Рэспубліка Беларусь", "be"),
])
def test_each_run_is_given_its_language(text: str, tag: str) -> None:
    assert language_of(text) == tag


def test_runs_keep_their_punctuation_and_stop_at_english() -> None:
    text = "The treaty («Договор о коллективной безопасности», 1992) and Ամսաթիվ. End."
    found = [(text[a:b], tag) for a, b, tag in runs(text)]
    assert found == [("Договор о коллективной безопасности", "ru"), ("Ամսաթիվ", "hy")]
    assert list(runs("Only English here, 1992.")) == []


def _doc(rst: str) -> nodes.document:
    document = new_document("test", get_default_settings(Parser))
    Parser().parse(rst, document)
    return document


def test_marking_wraps_prose_runs_and_leaves_code_and_addresses() -> None:
    address = "https://aysor.am/Փաշինյան"
    document = _doc(f"Текст in prose, ``Код`` in code, and `{address} <{address}>`_ shown as a link.\n")
    assert mark(document) == 1
    marked = [(n.astext(), n["classes"]) for n in document.findall(nodes.inline)]
    assert marked == [("Текст", ["language-ru"])]
    assert mark(document) == 0  # marking twice changes nothing


def test_the_pdf_switches_language_for_every_tag_polyglossia_knows() -> None:
    preamble = latex_preamble()
    assert "\\setotherlanguages{russian,bulgarian,ukrainian,belarusian,armenian,georgian}" in preamble
    for tag, name in POLYGLOSSIA.items():
        assert f"\\csname DUrolelanguage-{tag}\\endcsname#1{{\\foreignlanguage{{{name}}}{{#1}}}}" in preamble
    assert "pdflang=en" in preamble


# --- The register's theme mends: each test fails when the upstream fix arrives ---------------

def _theme_script(package: str, *parts: str) -> str:
    return files(package).joinpath(*parts).read_text(encoding="utf-8")


def test_the_themes_still_bind_the_sidebar_buttons_to_the_first_only() -> None:
    """pydata-sphinx-theme issue 2451 / sphinx-book-theme issue 988: if this fails, the theme binds
    every button; remove static/book-nav.js and its line in book_ext.theme_fixes."""
    pst = _theme_script("pydata_sphinx_theme", "theme", "pydata_sphinx_theme", "static", "scripts",
                        "pydata-sphinx-theme.js")
    assert 'document.querySelector(".primary-toggle")' in pst, "upstream fixed (pydata-sphinx-theme)"
    assert 'querySelectorAll(".primary-toggle")' not in pst
    header = _theme_script("pydata_sphinx_theme", "theme", "pydata_sphinx_theme", "sections", "header.html")
    book = _theme_script("sphinx_book_theme", "theme", "sphinx_book_theme", "components",
                         "toggle-primary-sidebar.html")
    assert "primary-toggle" in header and "primary-toggle" in book  # still two buttons of the class
    assert version("pydata-sphinx-theme") == "0.17.1" and version("sphinx-book-theme") == "1.3.0"


def test_the_themes_components_still_name_their_buttons_apart_from_their_text() -> None:
    """If this fails, the theme's own component is fixed (or renamed): drop the book's copy."""
    components = files("pydata_sphinx_theme").joinpath("theme", "pydata_sphinx_theme", "components")
    search = components.joinpath("search-button-field.html").read_text(encoding="utf-8")
    switch = components.joinpath("theme-switcher.html").read_text(encoding="utf-8")
    assert "aria-label=\"{{ _('Search') }}\"" in search and "search-button__default-text" in search
    assert "title=\"{{ _('Light') }}\"" in switch
    for name in ("search-button-field.html", "theme-switcher.html"):
        ours = (TEMPLATES / name).read_text(encoding="utf-8")
        assert "book_ext.theme_fixes" in ours  # says whose copy it is
    assert 'aria-label' not in (TEMPLATES / "search-button-field.html").read_text().split("#}", 1)[1]
    assert " title=" not in re.sub(r"\{#.*?#\}", "", (TEMPLATES / "theme-switcher.html").read_text(), flags=re.S)


def test_myst_nb_and_docutils_still_write_what_the_body_mends_replace() -> None:
    """If this fails, myst-nb names its toggles by their text, or docutils no longer uses the
    deprecated bibliography role: drop the matching line of BODY_MENDS."""
    myst_nb = files("myst_nb").joinpath("sphinx_.py").read_text(encoding="utf-8")
    html_base = files("docutils").joinpath("writers", "_html_base.py").read_text(encoding="utf-8")
    assert BODY_MENDS[0][0] in myst_nb.replace("\\n", "")
    assert 'role="doc-biblioentry"' in html_base
    page = '<summary aria-label="Toggle hidden content">\n<p>Show code cell source</p></summary>' \
           '<div class="citation" id="x" role="doc-biblioentry">'
    assert mend_body(page) == '<summary>\n<p>Show code cell source</p></summary>' \
                              '<div class="citation" id="x" role="listitem">'


def test_alt_text_enters_the_pdf_escaped_for_latex() -> None:
    before, after = alt_wrapping("A map: 50% of {states}\n in  #blue & the rest_grey")
    assert before == "\\BeginAccSupp{method=pdfstringdef,Alt={A map: 50\\% of \\{states\\} in \\#blue \\& the rest\\_grey}}"
    assert after == "\\EndAccSupp{}"


def test_the_front_door_is_a_page_with_a_language_a_title_and_a_link() -> None:
    """sphinx-external-toc would write a bare refresh tag; if it writes a full page, drop ours."""
    events = files("sphinx_external_toc").joinpath("events.py").read_text(encoding="utf-8")
    assert "redirect_text = f'<meta http-equiv=\"Refresh\"" in events and "index_path.exists()" in events
    page = front_door("chapters/index.html", "A & B")
    assert '<html lang="en">' in page and "<title>A &amp; B</title>" in page
    assert '<meta http-equiv="Refresh" content="0; url=chapters/index.html" />' in page
    assert '<a href="chapters/index.html">A &amp; B</a>' in page
