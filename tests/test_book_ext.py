"""The build-side extensions (src/book_ext), each on the tiny book in tests/roots/test-book."""

from __future__ import annotations

import contextlib
import re
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

from book_ext.execution_inputs import FINGERPRINT_FILE, fingerprint, input_files
from book_ext.numbering import lettered, part_letter
from book_ext.pdf_parts import LEAVE_UNNUMBERED, enter_unnumbered, part_markers
from book_ext.print_tables import unbreakable_after
from book_ext.toc import Part, parts

PARTS = [
    Part("Front matter", False, ("a", "b")),
    Part("Chapters", True, ("c",)),
    Part("More & more", True, ("d",)),
    Part("Conclusion", False, ("e",)),
    Part("Appendices", False, ("f", "g")),
]


LETTERS = {"Front matter": "I", "Appendices": "A"}


def test_part_markers_follow_the_toc_numbering() -> None:
    m = part_markers(PARTS, "Front matter", LETTERS)
    assert m["a"] == enter_unnumbered("I")
    assert m["c"] == "\\mainmatter\n" + LEAVE_UNNUMBERED + "\\part{Chapters}\n"
    assert m["d"] == "\\part{More \\& more}\n"
    assert m["e"] == enter_unnumbered("C")  # one page: no part page; unlisted: its caption's letter
    assert m["f"] == enter_unnumbered("A") + "\\part{Appendices}\n"  # counting afresh behind its letter
    assert "b" not in m


def test_unnumbered_parts_number_behind_their_letter() -> None:
    latex = enter_unnumbered("A")
    assert "\\counterwithout{figure}{chapter}\\setcounter{figure}{0}" in latex
    assert "\\renewcommand{\\thetable}{A.\\arabic{table}}" in latex
    assert "\\renewcommand{\\theHfigure}{A.\\arabic{figure}}" in latex  # distinct hyperref anchors
    assert part_letter(PARTS[3], LETTERS) == "C"
    # Sphinx's numbers: chapters by chapter, all other pages in one running sequence.
    sphinx = {"a": {"figure": {"f1": (1,), "f2": (2,)}, "table": {"t1": (1,)}},
              "c": {"figure": {"f3": (1, 1)}},
              "e": {"table": {"t2": (2,)}},
              "f": {"figure": {"f5": (4,)}, "table": {"t3": (3,)}},
              "g": {"figure": {"f4": (3,)}, "table": {"t4": (4,)}}}
    assert lettered(sphinx, PARTS, LETTERS) == {
        "a": {"figure": {"f1": ("I", 1), "f2": ("I", 2)}, "table": {"t1": ("I", 1)}},
        "c": {"figure": {"f3": (1, 1)}},
        "e": {"table": {"t2": ("C", 1)}},
        "f": {"figure": {"f5": ("A", 1)}, "table": {"t3": ("A", 1)}},
        "g": {"figure": {"f4": ("A", 2)}, "table": {"t4": ("A", 2)}}}
    assert sphinx["a"]["figure"]["f1"] == (1,)  # Sphinx's own numbers are left as they were


def test_no_table_row_is_left_alone_by_a_page_break() -> None:
    assert [unbreakable_after(r, 6) for r in range(6)] == [True, False, False, False, True, False]
    assert [unbreakable_after(r, 3) for r in range(3)] == [True, True, False]  # short: never broken


def test_fingerprint_changes_with_inputs(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "a.csv").write_text("x\n1\n")
    (tmp_path / "data" / "__pycache__").mkdir()
    (tmp_path / "data" / "__pycache__" / "junk.pyc").write_bytes(b"1")
    (tmp_path / "refs.bib").write_text("@misc{a, url={u}}")
    inputs = ["data", "refs.bib", "missing-folder"]
    assert [f.name for f in input_files(tmp_path, inputs)] == ["a.csv", "refs.bib"]
    before = fingerprint(tmp_path, inputs)
    (tmp_path / "data" / "__pycache__" / "junk.pyc").write_bytes(b"2")
    assert fingerprint(tmp_path, inputs) == before  # caches do not count
    (tmp_path / "data" / "a.csv").write_text("x\n2\n")
    assert fingerprint(tmp_path, inputs) != before


def test_the_build_side_is_not_an_execution_input() -> None:
    from book_ext.execution_inputs import DEFAULT_INPUTS

    assert "src/helpers" in DEFAULT_INPUTS and not any("book_ext" in i for i in DEFAULT_INPUTS)


@pytest.mark.sphinx("html", testroot="book")
def test_html_cite_boxes_meta_tags_downloads_and_policy(app: Any, warning: Any) -> None:
    app.build()
    assert warning.getvalue() == ""
    out = Path(app.outdir)
    assert app.config.release == "9.9.9" and app.config.book_metadata["title"] == "A Tiny Book"
    assert [p.caption for p in parts(app)] == ["Front matter", "Chapters", "Conclusion", "Notes & sources"]
    home = (out / "index.html").read_text(encoding="utf-8")
    assert "Version 9.9.9 of A Tiny Book, 2 January 2026." in BeautifulSoup(home, "html.parser").get_text()
    assert '<meta name="citation_title" content="A Tiny Book" />' in home

    one = BeautifulSoup((out / "one.html").read_text(encoding="utf-8"), "html.parser")
    box = one.find("section", id="cite-this-chapter")
    assert box is not None and "Chapter 1 of A Tiny Book, version 9.9.9, 2 January 2026." in box.get_text()
    assert "@incollection{cstobook2026one," in box.get_text()
    assert one.find("meta", attrs={"name": "citation_inbook_title"})["content"] == "A Tiny Book"
    # Runs of other scripts carry their language (book_ext.languages); code does not.
    assert [(s.get_text(), s["lang"]) for s in one.select("span[lang]")] == [
        ("Договор о коллективной безопасности", "ru"), ("մայիսի", "hy")]
    end = BeautifulSoup((out / "end.html").read_text(encoding="utf-8"), "html.parser")
    assert "“The end”. In A Tiny Book" in end.find("section", id="cite-this-chapter").get_text()
    assert BeautifulSoup((out / "preface.html").read_text(), "html.parser").find(id="cite-this-chapter") is None

    # Tables outside the numbered chapters carry their part's letter, counting afresh per part.
    numbers = {page: [n.get_text().strip() for n in BeautifulSoup((out / f"{page}.html").read_text(
        encoding="utf-8"), "html.parser").select(".caption-number")] for page in ("preface", "one", "end", "notes")}
    assert numbers == {"preface": ["Table P.1", "Table P.2"], "one": ["Table 1.1"],
                       "end": ["Table C.1"], "notes": ["Table N.1"]}
    assert "Table N.1" in end.get_text() and "Table P.2" in end.get_text()  # {numref} says the same
    # Web tables: body cells named by their column (escaped), identifiers breakable after "_".
    two_page = (out / "two.html").read_text(encoding="utf-8")
    assert '<td data-label="what &lt;b&gt;\u201dit\u201d&lt;/b&gt; says">' in two_page  # the header's text, as text
    assert "snake_<wbr>case_<wbr>value" in two_page and 'href="_static/book-tables.css' in two_page

    downloads = out / "_downloads"
    assert not list(downloads.glob("*.ipynb"))  # no notebooks executed here: see the notebooks root
    with zipfile.ZipFile(downloads / "csto-book-data.zip") as archive:
        assert sorted(archive.namelist()) == ["csto-book-data/CITATION.cff", "csto-book-data/a.csv"]
    for page in out.glob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert text.count('http-equiv="Content-Security-Policy"') == 1, page.name
        assert "thebe" not in text.lower(), page.name
    assert (Path(app.outdir).parent / ".jupyter_cache" / FINGERPRINT_FILE).exists()


@pytest.mark.sphinx("latex", testroot="book")
def test_latex_parts_follow_the_toc(app: Any, warning: Any) -> None:
    app.build()
    assert warning.getvalue() == ""
    tex = (Path(app.outdir) / "tiny.tex").read_text(encoding="utf-8")
    assert "\\frontmatter" in tex and "\\tableofcontents" in tex
    assert tex.index("\\mainmatter") < tex.index("\\part{Chapters}") < tex.index("\\chapter{One}")
    assert "\\part{Conclusion}" not in tex and "\\part{Notes" not in tex  # one page each: no part page
    assert "{Cite this book}" not in tex  # the title page's back carries it; no chapter of its own at the end
    # The back of the title page: the book's citation and licence; the date is the release's.
    assert "\\newcommand{\\sphinxbackoftitlepage}" in tex
    assert "\\textbf{Cite this book as:} The Tiny Project (2026). \\emph{A Tiny Book}, version 9.9.9, " \
           "2 January 2026." in tex
    assert "\\date{2 January 2026}" in tex
    # A document per chapter and for the conclusion, numbered as in the book.
    two = (Path(app.outdir) / "tiny-two.tex").read_text(encoding="utf-8")
    assert "\\mainmatter" in two and "\\setcounter{chapter}{1}" in two and "\\chapter{Two}" in two
    # Its own title page: the chapter's title and metadata, the book under it, its citation on the back.
    assert "\\title{2. Two}" in two and "\\title{2. Two}" not in tex
    front = two[two.index("\\csname bookfront@tiny-two\\endcsname"):]
    assert "pdfsubject={Chapter 2 of A Tiny Book, version 9.9.9}" in front
    assert "\\textbf{Cite this chapter as:} The Tiny Project (2026). “Two”. Chapter 2 of \\emph{A Tiny Book}" in front
    assert "\\ifcsname bookfront@\\jobname\\endcsname" in two
    end = (Path(app.outdir) / "tiny-end.tex").read_text(encoding="utf-8")
    assert "\\setcounter{secnumdepth}{-1}" in end and not (Path(app.outdir) / "tiny-notes.tex").exists()
    assert enter_unnumbered("C") in end and "\\setcounter{table}{0}" in end
    assert tex.index(enter_unnumbered("P")) < tex.index(LEAVE_UNNUMBERED) < tex.index(enter_unnumbered("C")) \
        < tex.index(enter_unnumbered("N")) < tex.index("\\chapter{Notes}")
    # Tables in print: ragged right; a long table's first two and last two rows stay together.
    assert "\\newcolumntype{T}{L}" in tex and "\\raggedright\\arraybackslash}p{" in tex
    long_table = tex[tex.index("\\begin{longtable}"):tex.index("\\end{longtable}")]
    body = long_table[long_table.index("\\sphinxtableatstartofbodyhook"):]
    ends = re.findall(r"^\\\\\n(\\noalign\{\\nobreak\})?", body, re.M)
    assert ends == ["\\noalign{\\nobreak}", "", "", "", "\\noalign{\\nobreak}", ""]
    # Runs of other scripts switch polyglossia's language; the PDF declares its own.
    assert "\\DUrole{language-ru}{Договор о коллективной безопасности}" in tex
    assert "\\DUrole{language-hy}{մայիսի}" in tex and "pdflang=en" in tex
    # Each chapter ends with its citation, in the PDF too.
    assert "Cite this chapter" in tex and "Chapter 1 of \\sphinxstyleemphasis{A Tiny Book}" in tex
    # ... as a closing paragraph, not a section whose heading could stand alone on a page; a
    # chapter's own PDF has its citation on the back of its title page instead.
    assert "\\sphinxstylestrong{Cite this chapter as: }" in tex and "{Cite this chapter}" not in tex
    assert "{Cite this chapter}" not in two and "Cite this chapter as: }" not in two


def test_the_bibtex_wrapper_is_tied_to_the_pinned_release() -> None:
    from importlib.metadata import version

    import pybtex.plugin
    from sphinxcontrib.bibtex.domain import BibtexDomain

    from book_ext.bibliography import BIBTEX_VERSION, register_style, reuse_formatted_citations

    assert version("sphinxcontrib-bibtex") == BIBTEX_VERSION  # requirements.txt pins it
    assert reuse_formatted_citations() is True
    assert getattr(BibtexDomain.env_updated, "book_reuses_citations", False)
    register_style()
    assert pybtex.plugin.find_plugin("pybtex.style.formatting", "book").__name__ == "BookStyle"


def test_a_chapter_pdf_is_written_again_only_when_its_sources_change(make_app: Any, rootdir: Path,
                                                                    tmp_path: Path) -> None:
    """A second LaTeX build assembles an edited chapter again and leaves an unchanged one alone;
    an edit that changes the book's labels, numbers or titles, or the LaTeX settings all documents
    share, has every chapter assembled again."""
    src = tmp_path / "book"
    shutil.copytree(rootdir / "test-book", src)

    def build() -> list[str]:
        app = make_app("latex", srcdir=src)
        app.build()
        build.out = Path(app.outdir)  # type: ignore[attr-defined]
        return [doc[1] for doc in app.config.latex_documents[1:]]

    assert build() == ["tiny-one.tex", "tiny-two.tex", "tiny-end.tex"]
    two = src / "two.md"
    two.write_text(two.read_text(encoding="utf-8") + "\nA new sentence.\n", encoding="utf-8")
    assert build() == ["tiny-two.tex"]
    assert "A new sentence." in (build.out / "tiny-two.tex").read_text(encoding="utf-8")  # type: ignore[attr-defined]
    assert build() == []
    two.write_text(two.read_text(encoding="utf-8").replace("# Two", "# Two, renamed"), encoding="utf-8")
    assert build() == ["tiny-one.tex", "tiny-two.tex", "tiny-end.tex"]  # a title the book's tables hold
    conf = src / "conf.py"  # a change to the shared LaTeX settings (the preamble) reaches every chapter
    conf.write_text(conf.read_text(encoding="utf-8") + "\nlatex_elements = {'preamble': '% new'}\n",
                    encoding="utf-8")
    assert build() == ["tiny-one.tex", "tiny-two.tex", "tiny-end.tex"]
    assert "% new" in (build.out / "tiny-end.tex").read_text(encoding="utf-8")  # type: ignore[attr-defined]
    (build.out / "tiny-end.tex").unlink()  # type: ignore[attr-defined]
    assert build() == ["tiny-end.tex"]  # a missing one is written


def test_the_html_build_writes_the_pages_the_latex_build_read(make_app: Any, rootdir: Path,
                                                              tmp_path: Path) -> None:
    """`make book` reads the pages in the LaTeX build; the HTML build after it reads none and
    still writes a page the LaTeX build read, although that page's source is older than its HTML
    (as when a notebook, the data or a label it shows changed, not its text)."""
    import os

    from book_ext.handoff import PENDING, pending

    src = tmp_path / "book"
    shutil.copytree(rootdir / "test-book", src)
    html = make_app("html", srcdir=src)
    html.build()
    two = src / "two.md"
    before = two.stat()
    two.write_text(two.read_text(encoding="utf-8") + "\nA sentence the LaTeX build read.\n", encoding="utf-8")
    latex = make_app("latex", srcdir=src)
    latex.build()
    assert "two" in pending(latex.doctreedir)
    os.utime(two, ns=(before.st_atime_ns, before.st_mtime_ns))  # only the record says it changed
    again = make_app("html", srcdir=src)
    again.build()
    assert again.env.book_docs_read == 0  # nothing read again
    page = (Path(again.outdir) / "two.html").read_text(encoding="utf-8")
    assert "A sentence the LaTeX build read." in page
    assert not (Path(again.doctreedir) / PENDING).exists()  # written, so the record is cleared


@contextlib.contextmanager
def formatting_watched() -> Iterator[list[str]]:
    """The keys of the bibliography entries the house style formats while the block runs."""
    from book_ext import bibliography

    calls: list[str] = []

    class Watching(dict):  # type: ignore[type-arg]
        def __setitem__(self, key: Any, value: Any) -> None:
            calls.append(key[2])
            super().__setitem__(key, value)

    watched = Watching(bibliography.FORMATTED)
    bibliography.FORMATTED = watched
    try:
        yield calls
    finally:
        bibliography.FORMATTED = dict(watched)


def test_formatted_entries_are_kept_for_the_next_build(make_app: Any, rootdir: Path, tmp_path: Path) -> None:
    from book_ext import bibliography

    src = tmp_path / "book"
    shutil.copytree(rootdir / "test-book", src)
    app = make_app("html", srcdir=src)
    app.build()
    kept = Path(app.doctreedir) / bibliography.FORMATTED_FILE
    assert kept.exists() and bibliography.FORMATTED_USED
    first = {k: v.text.render_as("text") for k, v in bibliography.FORMATTED.items()}
    (src / "one.md").write_text((src / "one.md").read_text(encoding="utf-8") + "\nMore prose.\n", encoding="utf-8")
    app = make_app("html", srcdir=src)
    with formatting_watched() as calls:
        app.build()
    assert calls == [], f"formatted again: {calls}"
    assert {k: v.text.render_as("text") for k, v in bibliography.FORMATTED.items()} == first


def test_entries_formatted_beside_the_reading_are_used_by_the_build(make_app: Any, rootdir: Path,
                                                                    tmp_path: Path) -> None:
    """`make book` formats the bibliography in a process of its own while the pages are read;
    the build then formats no entry itself, and prints what it would have printed."""
    from book_ext import bibliography

    src = tmp_path / "book"
    shutil.copytree(rootdir / "test-book", src)
    reference = make_app("html", srcdir=src)
    reference.build()
    expected = (Path(reference.outdir) / "notes.html").read_text(encoding="utf-8")
    shutil.rmtree(src / "_build")
    app = make_app("html", srcdir=src)  # started first, as in `make book`: it finds nothing kept
    bibliography.FORMATTED.clear()
    bibliography.FORMATTED_USED.clear()
    entries = len(re.findall(r"^@", (src / "refs.bib").read_text(encoding="utf-8"), re.M))
    assert bibliography.preformat([src / "refs.bib"], app.doctreedir) == entries
    assert bibliography.preformat([src / "refs.bib"], app.doctreedir) == 0  # kept since: nothing to do
    bibliography.FORMATTED.clear()
    bibliography.FORMATTED_USED.clear()
    with formatting_watched() as calls:
        app.build()
    assert calls == [], f"formatted by the build: {calls}"
    assert (Path(app.outdir) / "notes.html").read_text(encoding="utf-8") == expected


@pytest.mark.sphinx("html", testroot="book", freshenv=True)
def test_a_no_op_rebuild_does_not_reformat_the_bibliography(app: Any, make_app: Any) -> None:
    from sphinxcontrib.bibtex.domain import BibtexDomain

    wrapper = BibtexDomain.env_updated
    original = wrapper.book_original
    calls: list[str] = []

    def formatting(self: Any) -> Any:
        calls.append("formatted")
        return original(self)

    wrapper.book_original = formatting
    try:
        app.build()
        assert calls == ["formatted"] and app.env.get_domain("cite").citations
        again = make_app("html", srcdir=app.srcdir)
        again.build()
    finally:
        wrapper.book_original = original
    assert again.env.book_docs_read == 0 and calls == ["formatted"]  # not formatted again


def test_a_notebook_served_from_the_cache_is_offered_with_its_outputs(make_app: Any, rootdir: Path,
                                                                      tmp_path: Path) -> None:
    """myst-nb writes a cached page's executed notebook without outputs; the download still has them."""
    import json

    src = tmp_path / "notebooks"
    shutil.copytree(rootdir / "test-notebooks", src)
    settings = {"nb_execution_mode": "cache", "nb_execution_cache_path": str(tmp_path / "cache")}

    def figures() -> int:
        nb = json.loads((Path(app.outdir) / "_downloads" / "one.ipynb").read_text(encoding="utf-8"))
        return sum("image/png" in o.get("data", {}) for c in nb["cells"] for o in c.get("outputs", []))

    app = make_app("html", srcdir=src, confoverrides=settings)
    app.build()
    executed = figures()
    one = src / "one.md"
    one.write_text(one.read_text(encoding="utf-8") + "\nA prose edit.\n", encoding="utf-8")  # read again, not run
    app = make_app("html", srcdir=src, confoverrides=settings)
    app.build()
    written = json.loads((Path(app.outdir).parent / "jupyter_execute" / "one.ipynb").read_text(encoding="utf-8"))
    assert not any(c.get("outputs") for c in written["cells"]), "myst-nb now keeps the outputs: drop the merge"
    assert figures() == executed == 1


@pytest.mark.sphinx("html", testroot="notebooks")
def test_executed_notebooks_are_offered_with_their_outputs_and_plain_markdown(app: Any, warning: Any) -> None:
    import json

    app.build()
    assert warning.getvalue() == ""
    nb = json.loads((Path(app.outdir) / "_downloads" / "one.ipynb").read_text(encoding="utf-8"))
    markdown = "\n".join(c["source"] for c in nb["cells"] if c["cell_type"] == "markdown")
    assert nb["cells"][0]["cell_type"] == "markdown" and "make lab" in nb["cells"][0]["source"]
    assert "“One”, a page of *A Tiny Book*, version 9.9.9" in nb["cells"][0]["source"]
    assert "**Key points**" in markdown and ":::" not in markdown and "(one)=" not in markdown
    assert "The answer is 42, in words not seven." in markdown
    assert "As Tester and Tiny Agency (2020) argue, and others agree (Tester and Tiny Agency 2020; " \
           "Tiny Agency 2021), see Fig. 1.1 and Why." in markdown
    assert "This is version 9.9.9." in markdown
    assert "*Fig. 1.1. A line that rises, as Tiny Agency (2021) expects.*" in markdown
    assert "- Tiny Agency (2021). *A Report*. <https://example.org/report>" in markdown
    assert not re.search(r"\{[a-z:]+\}`", markdown)
    outputs = [o for c in nb["cells"] for o in c.get("outputs", [])]
    assert any("image/png" in o.get("data", {}) for o in outputs), "the figure is not in the notebook"
    page = BeautifulSoup((Path(app.outdir) / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert page.find("a", href="_downloads/csto-book-data.zip") is not None
    # Headings a generated output asks for (book_ext.sections): sections with their labels, in the
    # page's contents, linked by {ref} with their titles; bold headings in the notebook.
    one = BeautifulSoup((Path(app.outdir) / "one.html").read_text(encoding="utf-8"), "html.parser")
    for label, title, text in (("one-part-a", "Part A", "Text of A."), ("one-part-b", "Part B", "Text of B.")):
        section = one.find("section", id=label)
        assert section is not None and title in section.find(["h2", "h3"]).get_text()
        assert text in section.get_text() and section.find_parent("div", class_="cell") is None
    assert one.find("a", href="#one-part-b").get_text() == "Part B"
    shown = "".join("".join(o.get("data", {}).get("text/markdown", "")) for o in outputs)
    assert "**Part A**" in shown and "rubric" not in shown


# --- citing: one source, every format, addresses only where the book has one ------------------

def _cite_files(out: Path, name: str) -> tuple[str, str, list]:
    import json

    cite = out / "_downloads" / "cite"
    return ((cite / f"{name}.bib").read_text(encoding="utf-8"), (cite / f"{name}.ris").read_text(encoding="utf-8"),
            json.loads((cite / f"{name}.json").read_text(encoding="utf-8")))


@pytest.mark.sphinx("html", testroot="book", confoverrides={"book_citable_pages": ["notes"]})
def test_citations_in_every_format_parse_and_keep_the_group_author_whole(app: Any, warning: Any) -> None:
    import rispy
    from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
    from citeproc.source.json import CiteProcJSON

    app.build()
    assert warning.getvalue() == ""
    out = Path(app.outdir)
    one = BeautifulSoup((out / "one.html").read_text(encoding="utf-8"), "html.parser")
    box = one.find("section", id="cite-this-chapter")
    reference = box.find("p", class_="cite-reference").get_text()
    assert reference == "The Tiny Project (2026). “One”. Chapter 1 of A Tiny Book, version 9.9.9, 2 January 2026."
    assert one.find("p", class_="cite-link").find("a")["href"] == "#cite-this-chapter"
    assert box.find("div", class_="highlight").find("pre").get_text().startswith("@incollection{cstobook2026one,")
    # Once each in the reference, the BibTeX and the sentence that says which build this is.
    assert box.get_text().count("9.9.9") == 3 and "This is release 9.9.9." in box.get_text()
    assert one.find("p", class_="byline").get_text() == "The Tiny Project · version 9.9.9 · 2 January 2026"
    contents = [a.get_text() for a in one.select("nav.contents a, div.toctree-wrapper a")] or \
        [t.astext() for t in app.env.tocs["one"].findall(lambda n: n.tagname == "reference")]
    assert "Cite this chapter" in contents, "the cite box is not in the page's contents"
    notes = BeautifulSoup((out / "notes.html").read_text(encoding="utf-8"), "html.parser")
    assert "Cite this page" in notes.find("section", id="cite-this-chapter").get_text()

    for name, kind in [("one", "chapter"), ("end", "chapter"), ("notes", "chapter"), ("book", "book")]:
        bib, ris_text, csl = _cite_files(out, name)
        entries = rispy.loads(ris_text)
        assert len(entries) == 1 and entries[0]["authors"] == ["The Tiny Project"]
        assert entries[0]["type_of_reference"] == ("BOOK" if kind == "book" else "CHAP")
        assert csl[0]["author"] == [{"literal": "The Tiny Project"}] and csl[0]["type"] == kind
        assert bib.startswith("@book{" if kind == "book" else "@incollection{")
    style = CitationStylesStyle("harvard-cite-them-right", validate=False)
    bibliography = CitationStylesBibliography(style, CiteProcJSON(_cite_files(out, "one")[2]), formatter.plain)
    bibliography.register(Citation([CitationItem("cstobook2026one")]))
    rendered = str(bibliography.bibliography()[0])
    assert rendered.startswith("The Tiny Project (2026)") and "Project, T." not in rendered, rendered

    # A local build: no address anywhere a reader would take for one.
    for page in out.glob("*.html"):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        assert soup.find("meta", attrs={"name": "citation_pdf_url"}) is None
        assert soup.find("link", rel="canonical") is None
        assert soup.find("meta", property="og:url") is None
    assert not (out / "sitemap.xml").exists()
    assert "url =" not in _cite_files(out, "one")[0] and "UR  -" not in _cite_files(out, "one")[1]


@pytest.fixture()
def published_root(rootdir: Path, tmp_path: Path) -> Path:
    """The tiny book with a public address, a DOI and a repository in its CITATION.cff."""
    import shutil

    src = tmp_path / "published"
    shutil.copytree(rootdir / "test-book", src)
    cff = src / "CITATION.cff"
    cff.write_text(cff.read_text(encoding="utf-8") + 'url: "https://books.example.org/tiny"\n'
                   'doi: "10.5281/zenodo.1234567"\nrepository-code: "https://git.example.org/tiny"\n',
                   encoding="utf-8")
    return src


def test_with_an_address_every_reference_and_tag_is_absolute(make_app: Any, published_root: Path) -> None:
    app = make_app("html", srcdir=published_root)
    app.build()
    out = Path(app.outdir)
    one = BeautifulSoup((out / "one.html").read_text(encoding="utf-8"), "html.parser")
    assert one.find("link", rel="canonical")["href"] == "https://books.example.org/tiny/one.html"
    assert one.find("meta", attrs={"name": "citation_public_url"})["content"] == \
        "https://books.example.org/tiny/one.html"
    # The DOI is the book's: on the book's page and in its citation, never on a chapter's.
    assert one.find("meta", attrs={"name": "citation_doi"}) is None
    home = BeautifulSoup((out / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert home.find("meta", attrs={"name": "citation_doi"})["content"] == "10.5281/zenodo.1234567"
    assert one.find("meta", property="og:url")["content"] == "https://books.example.org/tiny/one.html"
    reference = one.find("p", class_="cite-reference").get_text()
    assert reference.endswith("2 January 2026. https://books.example.org/tiny/one.html")
    assert "https://git.example.org/tiny/releases" in str(one.find("section", id="cite-this-chapter"))
    bib, ris_text, csl = _cite_files(out, "one")
    assert "url = {https://books.example.org/tiny/one.html}" in bib and "doi =" not in bib
    assert "doi = {10.5281/zenodo.1234567}" in _cite_files(out, "book")[0]
    assert "UR  - https://books.example.org/tiny/one.html" in ris_text
    assert csl[0]["URL"] == "https://books.example.org/tiny/one.html"
    sitemap = (out / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://books.example.org/tiny/one.html</loc>" in sitemap
    assert "https://git.example.org/tiny" in home.find("p", class_="book-licence").get_text()
    for page in out.glob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert 'src="http' not in text and "<script src=\"//" not in text, page.name


def test_the_house_style_names_months_and_says_the_visit_date_once_elsewhere() -> None:
    from pybtex.database import parse_string
    from pybtex.plugin import find_plugin

    from book_ext.bibliography import register_style

    register_style()
    style = find_plugin("pybtex.style.formatting", "book")()
    data = parse_string("@misc{k, author = {{Agency}}, title = {A Report on {CSTO}}, year = {2022}, month = {10}, "
                        "url = {https://example.org/a?b=1&c=2}, urldate = {2026-11-23}, "
                        "note = {Lesser-known site; sole source}}", "bibtex")
    entry = next(iter(style.format_entries(data.entries.values())))
    text = entry.text.render_as("text")
    assert entry.key == "k" and "October 2022" in text and "10 2022" not in text
    assert "visited" not in text and "A Report on CSTO" in text and "sole source" not in text


def test_myst_parser_still_escapes_link_addresses_twice() -> None:
    """The reason for book_ext.links: remove the extension when this fails."""
    from docutils.core import publish_string
    from myst_parser.parsers.docutils_ import Parser

    out = publish_string("[t](https://a.org/?x=1&y=2)", parser=Parser(), writer_name="html5",
                         settings_overrides={"output_encoding": "unicode"})
    assert 'href="https://a.org/?x=1&amp;amp;y=2"' in out


@pytest.mark.sphinx("html", testroot="book")
def test_link_addresses_are_escaped_once(app: Any, warning: Any) -> None:
    app.build()
    page = (Path(app.outdir) / "one.html").read_text(encoding="utf-8")
    assert 'href="https://example.org/r?a=1&amp;b=2"' in page and "amp;amp;" not in page
    # An address shown as text is not smart-quoted ("xn--" stays); the prose around it still is.
    assert ">https://xn--80a.xn--p1ai/a--b</a> \u2013 a dash" in page


def test_glued_values_enter_a_downloaded_notebook_as_literal_text() -> None:
    from book_ext.notebooks import literal_markdown

    assert literal_markdown("<b>Aland</b> *x* [y](z)") == "\\<b\\>Aland\\<\\/b\\> \\*x\\* \\[y\\]\\(z\\)"
    assert literal_markdown("2,030") == "2\\,030"  # renders as 2,030


def test_labels_name_one_work_each_in_one_alphabetical_run() -> None:
    from pybtex.database import parse_string

    from book_ext.bibliography import labels, sort_key

    data = parse_string(
        "@misc{t2, author = {{TASS}}, title = {Second}, year = {2022}}"
        "@misc{t1, author = {{TASS}}, title = {First}, year = {2022}}"
        "@misc{t3, author = {{TASS}}, title = {Other}, year = {2023}}"
        "@misc{w1, author = {{Wikipedia contributors}}, title = {B}, year = {n.d.}}"
        "@misc{w2, author = {{Wikipedia contributors}}, title = {A}, year = {n.d.}}"
        "@misc{p1, author = {Smith, Ann and Jones, Bo}, title = {T}, year = {2020}}"
        "@misc{p2, author = {Smith, Ann and Jones, Bo and Lee, Cy}, title = {T}, year = {2020}}"
        "@misc{e1, author = {{Élan Institute}}, title = {T}, year = {2020}}", "bibtex")
    made = labels(data.entries.values())
    assert made["t1"] == ("TASS", "2022a") and made["t2"] == ("TASS", "2022b") and made["t3"] == ("TASS", "2023")
    assert made["w2"] == ("Wikipedia contributors", "n.d.-a") and made["w1"][1] == "n.d.-b"
    assert made["p1"] == ("Smith and Jones", "2020") and made["p2"] == ("Smith et al.", "2020")
    assert len({made[k] for k in made}) == len(made)
    order = [e.key for e in sorted(data.entries.values(), key=sort_key)]
    assert order == ["e1", "p1", "p2", "t1", "t2", "t3", "w2", "w1"]  # persons and organisations in one run


@pytest.mark.sphinx("html", testroot="book", freshenv=True)
def test_citations_show_the_bibliography_labels(app: Any, warning: Any) -> None:
    app.build(force_all=True)
    one = re.sub(r"<[^>]+>", "", (Path(app.outdir) / "one.html").read_text(encoding="utf-8"))
    assert "Someone (2020) says" in one and "(Agency 2022a; Agency 2022b)" in one  # semicolons between works
    notes = re.sub(r"<[^>]+>", "", (Path(app.outdir) / "notes.html").read_text(encoding="utf-8"))
    found = [notes.index(label) for label in ("[Agency 2022a]", "[Agency 2022b]", "[Someone 2020]")]
    assert found == sorted(found)  # one alphabetical run, by the labels the text shows
    assert "Alpha Report" in notes[found[0]:found[1]] and "Beta Report" in notes[found[1]:found[2]]


def test_the_plaintext_backend_is_found_without_scanning_entry_points() -> None:
    """sphinxcontrib-bibtex asks for it once per citation; a scan costs ~40 ms each time."""
    import pybtex.plugin
    from pybtex.backends.plaintext import Backend

    from book_ext.bibliography import register_style

    register_style()
    assert pybtex.plugin._RUNTIME_PLUGINS["pybtex.backends"]["plaintext"] is Backend
    assert pybtex.plugin.find_plugin("pybtex.backends", "plaintext") is Backend


def test_the_title_page_says_what_date_the_record_is_as_of(tmp_path: Path) -> None:
    from book_ext.pdf_front import back_of_title_page, record_date

    assert record_date(tmp_path) == ""  # a book without a data package says nothing
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "datapackage.json").write_text('{"csto:cutoff": "2026-01-01"}', encoding="utf-8")
    assert record_date(tmp_path) == "1 January 2026"
    import datetime

    meta = {"title": "Book", "authors": ["The Project"], "version": "1.0.0", "date": datetime.date(2026, 11, 23), "url": ""}
    assert "The record this book describes is as of 1 January 2026" in back_of_title_page(meta, "", "1 January 2026")
    assert "as of" not in back_of_title_page(meta, "")


def test_the_kits_wheel_carries_every_data_file_of_helpers() -> None:
    """The notebook kit's wheel holds what an installed helpers reads besides its code: the house
    style and the descriptor's shape (pyproject's package-data)."""
    import io
    import zipfile

    from book_ext.kit import helpers_wheel
    from helpers.paths import REPO_ROOT

    _name, wheel = helpers_wheel(REPO_ROOT)
    names = set(zipfile.ZipFile(io.BytesIO(wheel)).namelist())
    assert {"helpers/house.mplstyle", "helpers/descriptor.schema.json", "helpers/package_schema.py"} <= names
