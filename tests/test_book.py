"""The book itself: it builds from scratch with warnings as errors, loads nothing from other
hosts, gives every figure alt text, and its PDF holds every chapter. Faults fail loudly."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup

from helpers.paths import REPO_ROOT

BOOK = [sys.executable, str(REPO_ROOT / "scripts" / "book.py")]
REQUIRE_PDF = os.environ.get("BOOK_REQUIRE_PDF") == "1" or os.environ.get("CI") == "true"
pytestmark = pytest.mark.build


def _run(args: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*BOOK, *args], capture_output=True, text=True, cwd=REPO_ROOT)


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The whole book, built from scratch (fresh execution cache) into a temporary folder."""
    out = tmp_path_factory.mktemp("book")
    run = _run(["all", "--out", str(out)])
    assert run.returncode == 0, f"the book did not build:\n{run.stdout[-4000:]}\n{run.stderr[-4000:]}"
    return out / "_build"


def _pages(built: Path) -> list[Path]:
    return sorted((built / "html").rglob("*.html"))


def _toc_files() -> list[str]:
    toc = yaml.safe_load((REPO_ROOT / "_toc.yml").read_text())
    return [c["file"] for part in toc["parts"] for c in part["chapters"]]


def _title(docname: str) -> str:
    for line in (REPO_ROOT / f"{docname}.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    raise AssertionError(f"{docname}.md has no title")


def test_every_chapter_page_is_built(built: Path) -> None:
    for doc in _toc_files():
        assert (built / "html" / f"{doc}.html").exists(), doc


# Elements that make a browser fetch something, and the attribute holding the address.
LOADS = {
    "script": "src", "img": "src", "iframe": "src", "source": "src", "video": "src",
    "audio": "src", "embed": "src", "object": "data", "track": "src", "input": "src",
}
LINK_RELS = {"stylesheet", "preload", "prefetch", "modulepreload", "preconnect", "dns-prefetch",
             "icon", "manifest", "apple-touch-icon"}
REMOTE = re.compile(r"^(https?:)?//", re.I)
CSS_REMOTE = re.compile(r"(url\(\s*['\"]?|@import\s+['\"]?)(https?:)?//", re.I)


def test_html_loads_nothing_from_other_hosts(built: Path) -> None:
    found: list[str] = []
    for page in _pages(built):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for tag, attr in LOADS.items():
            for el in soup.find_all(tag):
                for value in (el.get(attr), el.get("srcset")):
                    if value and REMOTE.match(value.strip()):
                        found.append(f"{page.name}: <{tag} {attr}={value}>")
        for el in soup.find_all("link"):
            rels = set(el.get("rel") or [])
            if rels & LINK_RELS and REMOTE.match(el.get("href", "")):
                found.append(f"{page.name}: <link rel={rels} href={el['href']}>")
        for el in soup.find_all(style=True):
            if CSS_REMOTE.search(el["style"]):
                found.append(f"{page.name}: inline style {el['style']}")
        for el in soup.find_all("style"):
            if CSS_REMOTE.search(el.get_text()):
                found.append(f"{page.name}: <style> loads a remote resource")
    for css in (built / "html").rglob("*.css"):
        if CSS_REMOTE.search(css.read_text(encoding="utf-8", errors="replace")):
            found.append(f"{css.name}: url() or @import of a remote resource")
    assert not found, "\n".join(found)


def test_no_analytics_or_launch_buttons(built: Path) -> None:
    for page in _pages(built):
        text = page.read_text(encoding="utf-8")
        for marker in ("googletagmanager", "google-analytics", "plausible", "launch-buttons",
                       "binder", "colab", "thebe-launch-button", "hypothes.is", "utteranc"):
            assert marker not in text.lower(), f"{page.name} mentions {marker}"


def test_every_figure_has_alt_text_and_a_caption(built: Path) -> None:
    figures = 0
    for page in _pages(built):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for img in soup.select("article img, main img"):
            assert (img.get("alt") or "").strip(), f"{page.name}: image {img.get('src')} has no alt text"
            assert (built / "html" / page.parent.relative_to(built / "html") / img["src"]).exists()
        for fig in soup.select("main figure"):
            figures += 1
            assert fig.find("figcaption"), f"{page.name}: a figure has no caption"
    assert figures >= 1


def test_bibliography_prints_titles_as_written(built: Path) -> None:
    text = (built / "html" / "chapters" / "bibliography.html").read_text(encoding="utf-8")
    assert "A Lifeless, Shambling ‘Alliance’" in text  # no sentence-casing of titles
    assert "CSTO: In Search of Raisons d" in text


@pytest.fixture(scope="session")
def pdf_text(built: Path) -> str:
    """The text of the built PDF (pdftotext); skipped without TeX unless the PDF is required."""
    pdf = built / "latex" / "csto-book.pdf"
    if not pdf.exists():
        if REQUIRE_PDF:
            pytest.fail("the PDF was not built, and BOOK_REQUIRE_PDF or CI requires it")
        pytest.skip("no TeX on this machine: the PDF is not built (see README)")
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def test_pdf_has_every_chapter_and_cyrillic(pdf_text: str) -> None:
    text = pdf_text
    typographic = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-"})
    flat = " ".join(text.split()).translate(typographic)
    for doc in _toc_files():
        title = _title(doc).translate(typographic)
        assert title in flat, f"the PDF lacks the chapter '{title}'"
    assert "ОДКБ" in flat, "Cyrillic text did not survive into the PDF"
    cff = yaml.safe_load((REPO_ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert f"Cite this book as: {cff['authors'][0]['name']} ({str(cff['date-released'])[:4]})" in flat
    assert "Creative Commons Attribution 4.0" in flat, "the licence is not in the PDF"
    for number, doc in enumerate(_chapters(), start=1):
        assert f'"{_title(doc)}". Chapter {number} of' in flat, f"the PDF lacks chapter {number}'s citation"


def test_each_chapter_has_its_own_pdf_numbered_as_in_the_book(built: Path, pdf_text: str) -> None:
    """One PDF per chapter and for the conclusion: its own title page and metadata (the chapter's
    title, the book and version under it, its citation on the back), the chapter's number, its
    figure and table numbers, its sources and its citation; linked from the chapter page."""
    from pypdf import PdfReader

    typographic = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})
    toc = yaml.safe_load((REPO_ROOT / "_toc.yml").read_text())
    conclusion = [c["file"] for p in toc["parts"] if p.get("caption") == "Conclusion" for c in p["chapters"]]
    for number, doc in [*enumerate(_chapters(), start=1), *((None, d) for d in conclusion)]:
        name = f"csto-book-{Path(doc).name}.pdf"
        pdf = built / "html" / "_downloads" / name
        assert pdf.exists(), name
        text = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                                       check=True).stdout.split()).translate(typographic)
        title = _title(doc).translate(typographic)
        heading = f"{number}. {title}" if number else title
        assert text.startswith(f"{heading} A chapter of The Collective Security Treaty Organization: "
                               "An Executable Analysis, version "), (name, text[:200])
        assert "Cite this chapter as:" in text[:2000] and "its pages are numbered from 1" in text[:2000], name
        info = PdfReader(pdf).metadata
        assert (info["/Title"].translate(typographic), info["/Subject"].split(" of ")[0]) == (
            heading, f"Chapter {number}" if number else "A chapter"), name
        assert "Sources and further reading" in text and "Cite this chapter" in text
        if number:
            assert f"Chapter {number} of" in text and f"Fig. {number}.1" in text, name
        assert not re.search(r"\b(?:tab|fig)-[a-z0-9-]+\b", text), f"{name} prints a raw label"
        page = (built / "html" / f"{doc}.html").read_text(encoding="utf-8")
        assert f'href="../_downloads/{name}"' in page, f"{doc} does not link its PDF"


# --- Faults fail the build, and the message says where -------------------------------------

NOTEBOOK_HEAD = """---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---
# Broken

Some prose.

```{code-cell} ipython3
x = 1
```
"""

FAULTS = {
    "failing cell": (
        NOTEBOOK_HEAD + "\n```{code-cell} ipython3\n1 / 0\n```\n",
        "chapters/broken.md, code cell 2 (starting at line 19), line 1 of the cell: "
        "ZeroDivisionError: division by zero",
    ),
    "unknown citation key": (
        "# Broken\n\nAs shown {cite:p}`nobody1999`.\n",
        "broken.md:3: WARNING: could not find bibtex key",
    ),
    "broken cross-reference": (
        "# Broken\n\nSee {ref}`no-such-label`.\n",
        "broken.md:3: WARNING: undefined label: 'no-such-label'",
    ),
    "a parameters cell left at another cut-off": (
        NOTEBOOK_HEAD.replace("```{code-cell} ipython3\nx = 1\n```",
                              "```{code-cell} ipython3\n:tags: [parameters]\n\ncutoff = \"2012-01-01\"\n```"),
        "broken.md:18: ERROR: the parameters cell sets 'cutoff = \"2012-01-01\"'; the book is built with "
        "'cutoff = None'",
    ),
    "missing image": (
        "# Broken\n\n```{figure} missing.png\n:alt: nothing\n\nA caption.\n```\n",
        "broken.md:3: WARNING: image file not readable: chapters/missing.png",
    ),
}


def _small_book(book: Path, page: str) -> Path:
    """A one-chapter book with the real configuration and build-side extensions."""
    (book / "chapters").mkdir(parents=True)
    for name in ("_config.yml", "references.bib", "CITATION.cff"):
        shutil.copy(REPO_ROOT / name, book / name)
    shutil.copytree(REPO_ROOT / "src" / "book_ext", book / "src" / "book_ext",
                    ignore=shutil.ignore_patterns("__pycache__"))
    (book / "_toc.yml").write_text(
        "format: jb-book\nroot: chapters/index\nparts:\n  - caption: Front matter\n"
        "    chapters:\n      - file: chapters/broken\n"
    )
    (book / "chapters" / "index.md").write_text("# Home\n")
    (book / "chapters" / "broken.md").write_text(page)
    return book


@pytest.mark.parametrize("fault", FAULTS)
def test_fault_fails_the_build_and_says_where(tmp_path: Path, fault: str) -> None:
    page, expected = FAULTS[fault]
    book = _small_book(tmp_path / "book", page)
    run = _run(["html", "--source", str(book)])
    assert run.returncode != 0, f"{fault} did not fail the build"
    assert "The book did not build. What went wrong, and where:" in run.stderr
    assert expected in run.stderr, run.stderr[-3000:]


TEX = pytest.mark.skipif(not shutil.which("xelatex") and not REQUIRE_PDF, reason="the PDF needs TeX")


@TEX
def test_with_the_pdf_a_failing_cell_is_still_reported_where_it_is(tmp_path: Path) -> None:
    """`make book` reads the pages in its LaTeX build: a failing notebook is reported from there."""
    page, expected = FAULTS["failing cell"]
    run = _run(["all", "--source", str(_small_book(tmp_path / "book", page))])
    assert run.returncode != 0
    assert expected in run.stderr, run.stderr[-3000:]


@TEX
def test_a_tex_error_names_the_document_and_its_line(tmp_path: Path) -> None:
    book = _small_book(tmp_path / "book", "# Broken\n\nProse.\n\n```{raw} latex\n\\undefinedbybook\n```\n")
    run = _run(["all", "--source", str(book)])
    assert run.returncode != 0
    assert "The PDF did not build. What went wrong, and where:" in run.stderr, run.stderr[-3000:]
    where = re.search(r"^  - (\S+\.tex), line (\d+): Undefined control sequence\.$", run.stderr, re.M)
    assert where, run.stderr[-3000:]
    line = Path(where.group(1)).read_text(encoding="utf-8").splitlines()[int(where.group(2)) - 1]
    assert "\\undefinedbybook" in line
    assert (book / "_build" / "html" / "chapters" / "broken.html").exists()  # the HTML is built all the same


def executed_count(output: str) -> int:
    """Notebooks a build executed: by the parallel pre-execution step or by myst-nb itself."""
    return output.count("Executing notebook using") + len(re.findall(r"^\[execute\] \S+: [0-9.]+ s$", output, re.M))


def test_a_no_op_book_build_executes_writes_and_typesets_nothing_and_an_edit_executes_one(tmp_path: Path) -> None:
    """`make book` twice: the second run executes no notebook and runs neither Sphinx nor LaTeX;
    a code edit to one of two chapters executes that chapter only."""
    book = _small_book(tmp_path / "book", NOTEBOOK_HEAD)
    # Different code: jupyter-cache keys on code alone, so a copy would be served from the first.
    (book / "chapters" / "second.md").write_text(
        NOTEBOOK_HEAD.replace("# Broken", "# Second").replace("x = 1", "x = 3"))
    toc = book / "_toc.yml"
    toc.write_text(toc.read_text() + "      - file: chapters/second\n")
    target = "all" if shutil.which("xelatex") else "html"
    first = _run([target, "--source", str(book)])
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    assert executed_count(first.stdout) == 2
    again = _run([target, "--source", str(book)])
    assert again.returncode == 0 and executed_count(again.stdout) == 0
    assert "HTML: up to date" in again.stdout and "Running Sphinx" not in again.stdout
    assert "latexmk" not in again.stdout.lower() and "xelatex" not in again.stdout.lower()
    if target == "all":
        assert "PDF: up to date" in again.stdout
    second = book / "chapters" / "second.md"
    second.write_text(second.read_text().replace("x = 3", "x = 2"))
    edited = _run([target, "--source", str(book)])
    assert edited.returncode == 0 and executed_count(edited.stdout) == 1


def test_editing_the_build_side_re_executes_no_notebook_and_editing_helpers_does(tmp_path: Path) -> None:
    book = _small_book(tmp_path / "book", NOTEBOOK_HEAD)
    (book / "src" / "helpers").mkdir()
    (book / "src" / "helpers" / "facts.py").write_text("X = 1\n")

    def executed(target: str = "html") -> int:
        run = _run([target, "--source", str(book)])
        assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
        executed.stdout = run.stdout  # type: ignore[attr-defined]
        return executed_count(run.stdout)

    assert executed() == 1
    assert executed() == 0 and "HTML: up to date" in executed.stdout  # type: ignore[attr-defined]
    citation = book / "src" / "book_ext" / "citation.py"
    citation.write_text(citation.read_text() + "\n# an edit to the cite box's code\n")
    assert executed() == 0
    # The edit reaches the book although no page changed: Sphinx starts from a fresh environment,
    # reads every page again and writes it.
    assert "extensions changed; every page is read and written again" in executed.stdout  # type: ignore[attr-defined]
    assert "[new config]" in executed.stdout  # type: ignore[attr-defined]
    assert executed() == 0 and "HTML: up to date" in executed.stdout  # type: ignore[attr-defined]
    (book / "src" / "helpers" / "facts.py").write_text("X = 2\n")
    assert executed() == 1


def test_a_data_fault_stops_the_build_before_any_notebook_runs(tmp_path: Path) -> None:
    book = tmp_path / "book"
    shutil.copytree(REPO_ROOT / "data", book / "data")
    shutil.copy(REPO_ROOT / "references.bib", book / "references.bib")
    events = book / "data" / "events.csv"
    lines = events.read_text(encoding="utf-8").splitlines()
    events.write_text("\n".join([*lines, lines[1]]) + "\n", encoding="utf-8")  # a repeated event
    run = _run(["html", "--source", str(book)])
    assert run.returncode == 1
    assert "The book was not built: the data package has" in run.stderr
    assert f"events.csv, row {len(lines) + 1}, column event_id: duplicate value" in run.stderr
    assert "Traceback" not in run.stderr and "Executing" not in run.stdout


# --- Citing and downloading -----------------------------------------------------------------

def _chapters() -> list[str]:
    toc = yaml.safe_load((REPO_ROOT / "_toc.yml").read_text())
    return [c["file"] for part in toc["parts"] if part.get("numbered") for c in part["chapters"]]


def test_every_chapter_page_carries_citation_meta_tags_and_a_cite_box(built: Path) -> None:
    cff = yaml.safe_load((REPO_ROOT / "CITATION.cff").read_text())
    toc = yaml.safe_load((REPO_ROOT / "_toc.yml").read_text())
    conclusion = [c["file"] for p in toc["parts"] if p.get("caption") == "Conclusion" for c in p["chapters"]]
    for number, doc in [*enumerate(_chapters(), start=1), *((None, d) for d in conclusion)]:
        soup = BeautifulSoup((built / "html" / f"{doc}.html").read_text(encoding="utf-8"), "html.parser")
        tags = {m["name"]: m["content"] for m in soup.find_all("meta") if m.get("name", "").startswith("citation_")}
        typographic = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})
        assert tags["citation_title"].translate(typographic) == _title(doc), doc
        assert tags["citation_inbook_title"] == cff["title"]
        assert tags["citation_author"] == cff["authors"][0]["name"]
        assert tags["citation_publication_date"] == str(cff["date-released"]).replace("-", "/")
        box = soup.select_one("section.cite-this-chapter")
        assert box is not None, doc
        if number:
            assert f"Chapter {number} of" in box.get_text() and f"chapter = {{{number}}}" in box.get_text()
        else:
            assert "chapter = " not in box.get_text()
        assert f"version {cff['version']}" in box.get_text()
        byline = soup.find("p", class_="byline").get_text()
        assert byline.startswith(f"{cff['authors'][0]['name']} · version {cff['version']}"), (doc, byline)
    front = BeautifulSoup((built / "html" / "chapters" / "index.html").read_text(encoding="utf-8"),
                          "html.parser")
    assert front.find("meta", attrs={"name": "citation_title"})["content"] == cff["title"]


def _executable_pages() -> list[str]:
    return [doc for doc in _toc_files()
            if "kernelspec:" in (REPO_ROOT / f"{doc}.md").read_text(encoding="utf-8")[:2000]]


def test_every_executable_page_offers_its_notebook_and_the_data(built: Path) -> None:
    import json
    import zipfile

    downloads = built / "html" / "_downloads"
    for doc in _executable_pages():
        page = (built / "html" / f"{doc}.html").read_text(encoding="utf-8")
        assert f'href="../_downloads/{Path(doc).name}.ipynb"' in page, f"{doc} does not offer its notebook"
        nb = json.loads((downloads / f"{Path(doc).name}.ipynb").read_text(encoding="utf-8"))
        assert nb["metadata"]["kernelspec"]["name"] == "csto-book"
        assert any(c["cell_type"] == "code" for c in nb["cells"])
    for doc, up in [("chapters/data-and-methods", "../"), ("chapters/index", "../")]:
        page = (built / "html" / f"{doc}.html").read_text(encoding="utf-8")
        assert f'href="{up}_downloads/csto-book-data.zip"' in page, f"{doc} does not link the data package"
    names = zipfile.ZipFile(downloads / "csto-book-data.zip").namelist()
    assert "csto-book-data/datapackage.json" in names and "csto-book-data/references.bib" in names


def test_the_data_package_works_without_the_book(built: Path, tmp_path: Path) -> None:
    """The worked example's pandas snippet and Frictionless check run on the downloaded zip alone."""
    import zipfile

    import helpers

    zipfile.ZipFile(built / "html" / "_downloads" / "csto-book-data.zip").extractall(tmp_path)
    page = (REPO_ROOT / "chapters" / "your-question.md").read_text(encoding="utf-8")
    snippet = re.search(r"```python\n(.*?)```", page, re.S).group(1)
    scope: dict = {}
    cwd = os.getcwd()
    try:
        os.chdir(tmp_path)
        exec(compile(snippet, "your-question.md", "exec"), scope)
    finally:
        os.chdir(cwd)
    assert scope["both"] == set(helpers.members_of_both("CSTO", "SCO", "2024-07-04")["iso3"])
    frictionless = Path(sys.executable).with_name("frictionless")
    run = subprocess.run([str(frictionless), "validate", "csto-book-data/datapackage.json"], cwd=tmp_path,
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stdout[-3000:]


@pytest.mark.parametrize("doc", _executable_pages())
def test_each_downloaded_notebook_reads_plainly_and_runs_as_downloaded(built: Path, doc: str,
                                                                      tmp_path: Path) -> None:
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(built / "html" / "_downloads" / f"{Path(doc).name}.ipynb", as_version=4)
    outputs = [o for c in nb.cells for o in c.get("outputs", [])]
    assert outputs, f"{doc}: the download has no outputs"
    markdown = "\n".join([c.source for c in nb.cells if c.cell_type == "markdown"]
                         + [o["data"]["text/markdown"] for o in outputs if "text/markdown" in o.get("data", {})])
    raw = re.findall(r"\{[a-z]+(?::[a-z]+)?\}`[^`]*`", markdown)
    assert not raw, f"{doc}: MyST roles left in the download: {raw[:5]}"
    assert "{{" not in markdown and ":::" not in markdown
    assert "make lab" in nb.cells[0].source
    (tmp_path / "nb.ipynb").write_text(nbformat.writes(nb), encoding="utf-8")
    NotebookClient(nb, timeout=300, kernel_name="csto-book", resources={"metadata": {"path": str(tmp_path)}}).execute()
    assert not [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]


# --- Appendices -----------------------------------------------------------------------------

def test_chronology_has_one_entry_per_event_and_reconciliation_one_per_point(built: Path) -> None:
    from helpers import load_table

    chron = (built / "html" / "chapters" / "chronology.html").read_text(encoding="utf-8")
    ids = re.findall(r'id="event-([^"]+)"', chron)
    assert sorted(ids) == sorted(load_table("events")["event_id"])
    rec = (built / "html" / "chapters" / "reconciliation.html").read_text(encoding="utf-8")
    assert sorted(re.findall(r'id="claim-([^"]+)"', rec)) == sorted(set(load_table("claims")["claim_id"]))


def test_glossary_terms_are_defined_and_linked_from_every_chapter(built: Path) -> None:
    glossary = (REPO_ROOT / "chapters" / "glossary.md").read_text(encoding="utf-8")
    defined = set(re.findall(r"^([A-Za-z][^\n]*)\n  \S", glossary.split("```{glossary}")[1], re.M))
    for doc in _chapters():
        text = (REPO_ROOT / f"{doc}.md").read_text(encoding="utf-8")
        used = {m.split(" <")[-1].rstrip(">") for m in re.findall(r"\{term\}`([^`]+)`", text)}
        assert used, f"{doc} links no glossary term"
        assert used <= defined, used - defined
        page = (built / "html" / f"{doc}.html").read_text(encoding="utf-8")
        assert 'href="glossary.html#term-' in page


def test_figure_and_table_numbers_are_the_same_in_html_and_pdf(built: Path, pdf_text: str) -> None:
    html_numbers = []
    config = yaml.safe_load((REPO_ROOT / "_config.yml").read_text(encoding="utf-8"))
    letters = config["sphinx"]["config"]["book_part_letters"]
    toc = yaml.safe_load((REPO_ROOT / "_toc.yml").read_text(encoding="utf-8"))
    for part in toc["parts"]:
        for chapter in part["chapters"]:
            page = (built / "html" / f"{chapter['file']}.html").read_text(encoding="utf-8")
            numbers = [n.strip() for n in re.findall(r'<span class="caption-number">([^<]*)</span>', page)]
            html_numbers += numbers
            # Outside the numbered chapters a number carries its part's letter: no appendix "Fig. 5"
            # beside chapter 5's "Fig. 5.1".
            for number in numbers:
                assert part.get("numbered") or re.fullmatch(rf"(Fig\.|Table) {letters[part['caption']]}\.\d+",
                                                            number), (chapter["file"], number)
    pdf_numbers = re.findall(r"^((?:Fig\.|Table) [0-9A-Z.]+):", pdf_text, re.M)
    assert sorted(html_numbers) == sorted(pdf_numbers)


# --- Tables in a real browser (Playwright driving the Debian Chromium) ------------------------

TABLE_WIDTHS = """() => [...document.querySelectorAll('main table')].map(t => {
  const box = t.closest('.pst-scrollable-table-container') || t.parentElement;
  const caption = t.querySelector('caption');
  return {table: caption ? caption.innerText.slice(0, 60) : t.innerText.slice(0, 60),
          width: t.scrollWidth, room: box.clientWidth,
          labelled: [...t.querySelectorAll('tbody td')].every(td => td.hasAttribute('data-label'))
                    || !t.querySelector('thead')};
})"""


@contextlib.contextmanager
def _chromium() -> Iterator[Any]:
    """The Debian Chromium, headless, driven by Playwright (no browser download), closed after use."""
    if CHROMIUM is None:
        if REQUIRE_BROWSER:
            pytest.fail("Chromium is required (BOOK_REQUIRE_BROWSER=1) but was not found")
        pytest.skip("no Chromium on this machine")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run"])
        try:
            yield browser
        finally:
            browser.close()


def test_no_web_table_is_wider_than_its_column_on_a_desktop_or_a_phone(built: Path) -> None:
    """Every table of every page fits its column at 1280 px and at 390 px (as cards), in Chromium."""
    wide: list[str] = []
    tables = 0
    with _chromium() as browser:
        for width in (1280, 390):
            page = browser.new_page(viewport={"width": width, "height": 900})
            for doc in _toc_files():
                page.goto((built / "html" / f"{doc}.html").as_uri())
                for table in page.evaluate(TABLE_WIDTHS):
                    tables += 1
                    assert table["labelled"], f"{doc}: a table's cells lack their column names"
                    if table["width"] > table["room"] + 1:
                        wide.append(f"{width} px, {doc}: {table['table']!r} is {table['width']} px "
                                    f"in {table['room']} px")
            page.close()
    assert tables >= 60, f"only {tables} tables measured"
    assert not wide, "\n".join(wide)


def test_the_chronology_filters_by_theme_kind_and_state_in_a_browser(built: Path) -> None:
    """The bundled script turns the filter words into menus; choosing a state shows its events only,
    and years left empty are hidden; "Show all" brings every event back. From a local folder."""
    sys.path.insert(0, str(REPO_ROOT / "src"))
    import helpers

    events = helpers.chronology()
    armenia = int(events["states"].map(lambda s: "ARM" in s).sum())
    armenian_votes = int((events["states"].map(lambda s: "ARM" in s) & (events["kind"] == "vote")).sum())
    with_armenia = events.groupby(events["date"].dt.year)["states"].apply(lambda years: any("ARM" in s for s in years))
    year_without = int(with_armenia[~with_armenia].index[0])
    visible = "() => [...document.querySelectorAll('div.chron-entry')].filter(e => e.offsetParent !== null).length"
    with _chromium() as browser:
        for width in (1280, 390):
            page = browser.new_page(viewport={"width": width, "height": 900})
            page.goto((built / "html" / "chapters" / "chronology.html").as_uri())
            form = page.locator("form.chron-controls")
            assert form.is_visible()
            assert page.evaluate(visible) == len(events)
            assert form.locator("output").inner_text() == f"All {len(events)} events shown"
            page.select_option("select[name=state]", label="Armenia")
            assert page.evaluate(visible) == armenia > 0
            assert form.locator("output").inner_text() == f"{armenia} of {len(events)} events shown"
            assert page.locator(f"section#chronology-{year_without}").is_hidden()  # no Armenian event then
            assert page.locator(f"section#chronology-{year_without} h2").is_hidden()
            page.select_option("select[name=kind]", label="vote")
            assert page.evaluate(visible) == armenian_votes
            page.click("form.chron-controls button[type=reset]")
            page.wait_for_function(f"() => ({visible})() === {len(events)}")
            page.close()


# --- Content-Security-Policy, in a real browser ------------------------------------------------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
REQUIRE_BROWSER = os.environ.get("BOOK_REQUIRE_BROWSER") == "1"


def _browse(url: str, profile: Path) -> tuple[BeautifulSoup, list[str]]:
    """The page's DOM after its scripts ran, and the console's CSP complaints."""
    run = subprocess.run(
        [str(CHROMIUM), "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0", "--virtual-time-budget=6000",
         "--dump-dom", url],
        capture_output=True, text=True, timeout=180,
    )
    complaints = [line for line in run.stderr.splitlines() if "CONSOLE" in line and "Content Security Policy" in line]
    return BeautifulSoup(run.stdout, "html.parser"), complaints


def test_the_policy_blocks_nothing_the_book_ships(built: Path, tmp_path: Path) -> None:
    if CHROMIUM is None:
        if REQUIRE_BROWSER:
            pytest.fail("a browser is required (BOOK_REQUIRE_BROWSER=1) but chromium is missing")
        pytest.skip("no chromium on this machine: the CSP is checked in a browser where one is installed")
    html = built / "html"
    for page in _pages(built):
        assert 'http-equiv="Content-Security-Policy"' in page.read_text(encoding="utf-8"), page
    # The theme's scripts ran: its files set the colour theme and draw the icons, and the copy
    # buttons are added to the code shown (folded code uses <details>, which needs no script).
    for name in ("chapters/origins.html", "chapters/data-and-methods.html", "chapters/chronology.html"):
        dom, complaints = _browse((html / name).as_uri(), tmp_path / "profile")
        assert complaints == [], f"{name}: {complaints}"
        assert dom.html is not None and dom.html.get("data-theme") in ("light", "dark"), name
        assert "fontawesome-i2svg-complete" in dom.html.get("class", []), name
        assert len(dom.select("button.copybtn")) == len(dom.select("div.highlight")), name
        assert dom.select("nav.bd-docs-nav a.reference"), name  # the navigation is there
    dom, _ = _browse((html / "chapters" / "origins.html").as_uri(), tmp_path / "profile")
    assert dom.select_one("section#cite-this-chapter div.highlight button.copybtn"), "the BibTeX has no copy button"
    # Search runs in the browser from the book's own index.
    dom, complaints = _browse((html / "search.html").as_uri() + "?q=Tokayev", tmp_path / "profile")
    assert complaints == []
    assert len(dom.select("ul.search li")) >= 3
    # The colour-theme toggle works: a probe (a file of the book's own, as a script must be) clicks it.
    site = tmp_path / "html"
    shutil.copytree(html, site)
    (site / "_static" / "probe.js").write_text(PROBE, encoding="utf-8")
    page = site / "chapters" / "origins.html"
    page.write_text(page.read_text(encoding="utf-8").replace(
        "</body>", '<script src="../_static/probe.js"></script></body>'), encoding="utf-8")
    dom, complaints = _browse(page.as_uri(), tmp_path / "profile")
    assert complaints == []
    assert dom.body is not None and dom.body.get("data-probe") == "light -> dark"


PROBE = """window.addEventListener("load", () => setTimeout(() => {
  const before = document.documentElement.dataset.theme;
  document.querySelector(".theme-switch-button").click();
  document.body.setAttribute("data-probe", before + " -> " + document.documentElement.dataset.theme);
}, 300));
"""


def test_no_table_shows_markup_as_literal_text(built: Path) -> None:
    """Data text is escaped in tables; a table that meant markup in a cell would show it raw."""
    found = []
    for page in _pages(built):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for cell in soup.select("table td, table th"):
            text = cell.get_text()
            if re.search(r"`|\{[a-z]+:?[a-z]*\}|\*\*|\]\(", text):
                found.append(f"{page.name}: {text[:80]!r}")
    assert found == []


# --- Publishing: the site folder, the release archive, the Pages workflow ----------------------

def _release(args: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(REPO_ROOT / "scripts" / "release.py"), *args],
                          capture_output=True, text=True, cwd=REPO_ROOT)


def test_site_folder_and_release_archive(built: Path) -> None:
    import zipfile

    out = built.parent
    # An earlier build's figure and download, which no page of this build links, must not ship.
    planted = [built / "html" / "_images" / "stale-figure-from-2012.png", built / "html" / "_downloads" / "stale.ipynb"]
    for path in planted:
        path.write_bytes(b"stale")
    try:
        run = _release(["site", "--out", str(out)])
    finally:
        for path in planted:
            path.unlink()
    assert run.returncode == 0, run.stderr
    site = out / "_build" / "site"
    assert not (site / "_images" / "stale-figure-from-2012.png").exists() and not (site / "_downloads" / "stale.ipynb").exists()
    assert "left out _images/stale-figure-from-2012.png" in run.stdout
    assert (site / ".nojekyll").exists() and (site / "index.html").exists()
    for name in ["origins.ipynb", "csto-book-data.zip", "cite/book.ris", "cite/origins.json"]:
        assert (site / "_downloads" / name).exists(), name
    shipped = {p.name for p in (site / "_images").iterdir()}
    linked = {Path(img["src"]).name for page in (built / "html" / "chapters").glob("*.html")
              for img in BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select("img[src*=_images]")}
    assert linked and linked <= shipped
    run = _release(["archive", "--out", str(out), "--allow-dirty"])
    assert run.returncode == 0, run.stderr
    cff = yaml.safe_load((REPO_ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    name = f"csto-book-{cff['version']}"
    archive = zipfile.ZipFile(out / "_build" / "release" / f"{name}.zip")
    names = set(archive.namelist())
    for member in ["CITATION.txt", "site/index.html", "csto-book-data.zip", "notebooks/origins.ipynb",
                   "source/data/datapackage.json", "source/src/helpers/__init__.py", "source/requirements.txt",
                   "source/chapters/origins.md", "source/Makefile"]:
        assert f"{name}/{member}" in names, member
    if REQUIRE_PDF or shutil.which("xelatex"):
        assert f"{name}/csto-book.pdf" in names
    citation = archive.read(f"{name}/CITATION.txt").decode()
    assert f"version {cff['version']}" in citation and "note = {Version " in citation and "edition" not in citation
    assert "(commit " in citation  # the archive names the commit it was made from


def test_release_check_names_each_place_the_version_disagrees(tmp_path: Path) -> None:
    sys.path.insert(0, str(REPO_ROOT / "scripts"))
    import release

    for name in ["CITATION.cff", "pyproject.toml", "CHANGELOG.md"]:
        shutil.copy(REPO_ROOT / name, tmp_path / name)
    assert release.version_faults(tmp_path) == []
    toml = (tmp_path / "pyproject.toml").read_text(encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text(re.sub(r'^version = ".*"$', 'version = "9.9.9"', toml, flags=re.M),
                                             encoding="utf-8")
    log = (tmp_path / "CHANGELOG.md").read_text(encoding="utf-8")
    (tmp_path / "CHANGELOG.md").write_text(re.sub(r"^## \d+\.\d+\.\d+ – ", "## 0.0.9 – ", log, count=1, flags=re.M),
                                           encoding="utf-8")
    faults = release.version_faults(tmp_path)
    assert any(f.startswith("pyproject.toml: version 9.9.9") for f in faults)
    assert any(f.startswith("CHANGELOG.md: newest entry 0.0.9") for f in faults)


def test_the_pages_workflow_publishes_what_make_site_writes() -> None:
    flow = yaml.safe_load((REPO_ROOT / ".github" / "workflows" / "pages.yml").read_text(encoding="utf-8"))
    build = flow["jobs"]["build"]
    runs = " ".join(step.get("run", "") for step in build["steps"])
    assert "make site" in runs and ".ci/apt-packages.txt" in runs
    upload = next(s for s in build["steps"] if str(s.get("uses", "")).startswith("actions/upload-pages-artifact"))
    assert upload["with"]["path"] == "_build/site"
    setup = next(s for s in build["steps"] if str(s.get("uses", "")).startswith("actions/setup-python"))
    assert setup["with"]["python-version"] == "3.11"
    assert flow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}


def test_external_links_lead_where_the_bibliography_says(built: Path) -> None:
    """Every address with a query string is published as written (no double-escaped &amp;)."""
    from helpers.bib import bib_entries

    urls = {f["url"] for f in bib_entries().values() if f.get("url")}
    linked = set()
    for page in _pages(built):
        for a in BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select('a[href^="http"]'):
            assert "&amp;" not in a["href"], f"{page.name}: {a['href']}"
            if "&" in a["href"]:
                linked.add(a["href"])
    assert linked and linked <= urls, sorted(linked - urls)[:5]


# --- The reader's apparatus ------------------------------------------------------------------

def test_the_print_edition_has_no_code_and_lists_sources_once(built: Path, pdf_text: str) -> None:
    assert "fig = plotting" not in pdf_text and "import helpers" not in pdf_text, "code cells are in print"
    assert "An Executable Analysis, Release" not in pdf_text, "the running heads repeat the title and release"
    pages = subprocess.run(["pdftotext", "-layout", str(built / "latex" / "csto-book.pdf"), "-"],
                           capture_output=True, text=True, check=True).stdout.split("\f")[:-1]
    start = next(i for i, p in enumerate(pages) if re.search(r"^\s*BIBLIOGRAPHY\s*$", p, re.M)
                 and "CONTENTS" not in p)
    share = (len(pages) - start) / len(pages)
    # One list, at the end: the chapters' own source lists stay out of print. Printed twice, the
    # list would fill well over a third of the book; printed once it grows with the sourced data
    # (every vote, exercise and body has its sources), about a quarter since the second edition.
    assert share <= 0.30, f"reference lists fill {share:.0%} of the PDF's {len(pages)} pages"
    assert "The works this chapter cites are listed, with their full details, in the Bibliography" in pdf_text
    assert "visited on" not in pdf_text
    for log_file in sorted((built / "latex").glob("*.log")):  # the book's and each chapter's
        log = log_file.read_text(encoding="utf-8", errors="replace")
        over = [(float(w), int(line)) for w, line in
                re.findall(r"Overfull \\hbox \(([0-9.]+)pt too wide\) in paragraph at lines (\d+)", log)]
        assert not [w for w, _ in over if w > 10], f"{log_file.name}: lines overrun the margin (tex lines " \
            f"{[line for w, line in over if w > 10]})"


def test_bibliography_entries_read_as_text(built: Path) -> None:
    text = BeautifulSoup((built / "html" / "chapters" / "bibliography.html").read_text(encoding="utf-8"),
                         "html.parser").select_one("main").get_text(" ")
    for raw in ["\\$", "``", "''", "{\\", "~", "visited on", "xn–"]:
        assert raw not in text, f"the Bibliography shows {raw!r}"
    assert not re.search(r"\b(?:[1-9]|1[0-2]) (?:19|20)\d\d\b", text), "a month is printed as a number"
    assert "October 2022" in text


def test_one_search_box_and_plain_glued_numbers(built: Path) -> None:
    page = BeautifulSoup((built / "html" / "chapters" / "origins.html").read_text(encoding="utf-8"), "html.parser")
    assert not page.select(".bd-sidebar-primary .search-button-field"), "the sidebar repeats the header's search"
    assert page.select("header .search-button-field")
    css = (built / "html" / "_static" / "book.css").read_text(encoding="utf-8")
    assert "span.pasted-text {\n  font-weight: inherit;" in css


def test_the_pdfs_have_no_blank_pages(built: Path, pdf_text: str) -> None:
    for pdf in [built / "latex" / "csto-book.pdf", *sorted((built / "latex").glob("csto-book-*.pdf"))]:
        pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                               check=True).stdout.split("\f")[:-1]
        blank = [i + 1 for i, page in enumerate(pages) if len(page.split()) <= 3]
        assert not blank, f"{pdf.name}: blank pages {blank}"


def _bibliography_labels(built: Path) -> dict[str, str]:
    """The Bibliography's entries in order: anchor id -> the label it prints ("TASS 2022a")."""
    page = BeautifulSoup((built / "html" / "chapters" / "bibliography.html").read_text(encoding="utf-8"),
                         "html.parser")
    return {div["id"]: div.select_one("span.label").get_text("").strip("[]")
            for div in page.select("div.citation")}


def test_every_citation_names_one_work_by_the_label_the_bibliography_prints(built: Path) -> None:
    labels = _bibliography_labels(built)
    assert len(set(labels.values())) == len(labels), "two works share a label"
    order = list(labels)
    for page in (built / "html" / "chapters").glob("*.html"):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for cite in soup.select("span.bibtex-citation"):
            text = cite.get_text("")
            for link in cite.select("a[href*='bibliography.html#']"):
                label = labels[link["href"].split("#")[1]]
                shown = link.get_text("")
                assert shown == label or label == f"{cite.get_text('').rsplit(' (', 1)[0]} {shown}", (page.name, text)
            bare = text  # the citation without its labels (an organisation's name may hold a comma)
            for link in cite.select("a[href*='bibliography.html#']"):
                label = labels[link["href"].split("#")[1]]
                bare = bare.replace(label, "").replace(label.rsplit(" ", 1)[0], "")
            assert "," not in bare, f"{page.name}: {text!r} (works are separated by semicolons)"
        sources = soup.select_one("div.tag_chapter-sources")
        if sources:  # a chapter's list of works runs in the Bibliography's order
            ids = [a["href"].split("#")[1] for a in sources.select("a[href*='bibliography.html#']")
                   if a["href"].split("#")[1] in labels]
            assert ids == sorted(ids, key=order.index), page.name
    tex = (built / "latex" / "csto-book.tex").read_text(encoding="utf-8")
    printed = re.findall(r"\\bibitem\[([^\]]+)\]", tex)
    assert len(printed) == len(labels) and len(set(printed)) == len(printed)


def test_chapters_link_the_events_they_discuss_to_the_chronology(built: Path) -> None:
    chronology = (built / "html" / "chapters" / "chronology.html").read_text(encoding="utf-8")
    years = BeautifulSoup(chronology, "html.parser").select("section.book-section")
    assert len(years) >= 30 and all(s.get("id", "").startswith("chronology-") for s in years)
    for doc in [*_chapters(), "chapters/intro", "chapters/conclusion"]:
        page = BeautifulSoup((built / "html" / f"{doc}.html").read_text(encoding="utf-8"), "html.parser")
        targets = [a["href"].split("#")[1] for a in page.select("a[href*='chronology.html#event-']")]
        assert len(targets) >= 5, f"{doc} links {len(targets)} events to the Chronology"
        assert all(f'id="{t}"' in chronology for t in targets), doc


# --- Every reader, every device: navigation, WCAG 2.2 AA, language, figures on a phone -------

def _doc_pages(built: Path) -> list[Path]:
    return [p for p in _pages(built) if "_static" not in p.parts and "_sources" not in p.parts]


@pytest.mark.parametrize("width", [390, 800])
def test_the_navigation_opens_by_tap_and_by_keyboard_below_the_desktop_width(built: Path, width: int) -> None:
    """The menu and "Contents" buttons open their dialogs on a phone and a small tablet (the themes'
    fault mended by book_ext.theme_fixes), by a tap and by Enter, and a link in the menu leads on."""
    with _chromium() as browser:
        context = browser.new_context(viewport={"width": width, "height": 900}, has_touch=True)
        page = context.new_page()
        page.goto((built / "html" / "chapters" / "intro.html").as_uri())
        menu = page.locator(".primary-toggle:visible")
        assert menu.count() == 1
        menu.tap()
        page.wait_for_function("document.getElementById('pst-primary-sidebar-modal').open")
        page.keyboard.press("Escape")
        page.wait_for_function("!document.getElementById('pst-primary-sidebar-modal').open")
        menu.focus()
        page.keyboard.press("Enter")
        page.wait_for_function("document.getElementById('pst-primary-sidebar-modal').open")
        page.locator("#pst-primary-sidebar-modal a.reference", has_text="Failures").first.click()
        page.wait_for_url("**/chapters/failures.html")
        contents = page.locator(".secondary-toggle:visible")
        assert contents.count() == 1
        contents.focus()
        page.keyboard.press("Enter")
        page.wait_for_function("document.getElementById('pst-secondary-sidebar-modal').open")
        assert page.locator("#pst-secondary-sidebar-modal nav.page-toc a").count() >= 3
        context.close()


#: axe-core's rules for WCAG 2.0, 2.1 and 2.2 at levels A and AA, and its experimental rules with
#: those tags, which axe leaves off unless asked (label-content-name-mismatch among them).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_EXPERIMENTAL = ["css-orientation-lock", "label-content-name-mismatch", "p-as-heading",
                    "table-fake-caption", "td-has-header"]


def test_no_page_violates_wcag_2_2_aa_on_a_phone_or_a_desktop_in_either_colour_scheme(built: Path) -> None:
    """axe-core (pinned, from axe-playwright-python; a test asset only) on every page at 1280 and
    390 px, in the light and the dark colour scheme: no violation."""
    from axe_playwright_python.base import AXE_SCRIPT

    options = {"runOnly": {"type": "tag", "values": AXE_TAGS},
               "rules": {rule: {"enabled": True} for rule in AXE_EXPERIMENTAL}}
    found: list[str] = []
    pages = [p for p in _doc_pages(built) if 'http-equiv="Refresh"' not in p.read_text(encoding="utf-8")]
    front = (built / "html" / "index.html").read_text(encoding="utf-8")  # the front door only redirects
    assert '<html lang="en">' in front and "<title>" in front and 'http-equiv="Refresh"' in front
    with _chromium() as browser:
        for scheme in ("light", "dark"):
            for width in (1280, 390):
                # Reduced motion: the theme's buttons fade their colours in (.15 s) once the colour scheme
                # is applied, and axe must measure the colours a reader sees, not a frame of the fade.
                context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme,
                                              reduced_motion="reduce")
                page = context.new_page()
                for path in pages:
                    page.goto(path.as_uri(), wait_until="load")
                    page.wait_for_function(f"document.documentElement.dataset.theme === '{scheme}'")
                    page.evaluate(AXE_SCRIPT)
                    result = page.evaluate("options => axe.run(document, options)", options)
                    for violation in result["violations"]:
                        targets = ", ".join(str(n["target"]) for n in violation["nodes"][:3])
                        found.append(f"{scheme}, {width} px, {path.relative_to(built / 'html')}: "
                                     f"{violation['id']} ({len(violation['nodes'])}): {targets}")
                context.close()
    assert len(pages) >= 15
    assert not found, "\n".join(found)


def test_captions_read_in_the_dark_colour_scheme(built: Path) -> None:
    """Figure and table captions use the theme's text colour: at least 4.5:1 on the dark background."""
    probe = """() => [...document.querySelectorAll('figcaption .caption-text, table caption .caption-text')]
      .map(e => [getComputedStyle(e).color, getComputedStyle(document.body).backgroundColor])"""
    from helpers.plotting import contrast

    def rgb(css: str) -> tuple[float, ...]:
        return tuple(int(x) / 255 for x in re.findall(r"\d+", css)[:3])

    with _chromium() as browser:
        context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="dark")
        page = context.new_page()
        page.goto((built / "html" / "chapters" / "failures.html").as_uri())
        pairs = page.evaluate(probe)
        context.close()
    assert pairs and all(contrast(rgb(fg), rgb(bg)) >= 4.5 for fg, bg in pairs), pairs


def test_every_run_of_another_script_carries_its_language(built: Path) -> None:
    """Cyrillic, Armenian and Georgian text in the pages' content (data text and the Bibliography
    included) sits inside an element with a lang attribute; code and link addresses aside."""
    from book_ext.languages import RUN

    unmarked: list[str] = []
    marked: dict[str, int] = {}
    for page in _doc_pages(built):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        main = soup.find("main") or soup
        for text in main.find_all(string=RUN):
            if text.find_parent(["code", "pre", "script", "style"]) or text.strip().startswith("http"):
                continue
            holder = text.find_parent(attrs={"lang": True})
            if holder is None or holder.name == "html":
                unmarked.append(f"{page.name}: {text.strip()[:60]!r}")
            else:
                marked[holder["lang"]] = marked.get(holder["lang"], 0) + 1
    assert not unmarked, "\n".join(unmarked[:20])
    assert marked.get("ru", 0) >= 50, marked


def test_figures_keep_readable_text_on_a_phone_and_offer_the_full_size(built: Path) -> None:
    """At 390 px every figure is shown wide enough that its smallest text (8 pt at the figure's own
    width, helpers.plotting) is at least 9 CSS px, and a visible link opens it at full size."""
    from helpers.plotting import MIN_PRINT_PT

    smallest_at_own_width = MIN_PRINT_PT / 72 * 110  # px, at the house style's figure dpi
    probe = """() => [...document.querySelectorAll('figure img')].map(i => ({
      src: i.getAttribute('src'), shown: i.getBoundingClientRect().width, own: i.naturalWidth / 2,
      link: i.closest('figure').querySelector('a.figure-full-size')?.textContent || ''}))"""
    figures = 0
    with _chromium() as browser:
        page = browser.new_page(viewport={"width": 390, "height": 900})
        for doc in _toc_files():
            page.goto((built / "html" / f"{doc}.html").as_uri())
            for fig in page.evaluate(probe):
                figures += 1
                assert smallest_at_own_width * fig["shown"] / fig["own"] >= 9, (doc, fig)
                assert re.fullmatch(r"Open Fig\. [A-Z0-9]+\.\d+ at full size", fig["link"]), (doc, fig)
            assert page.evaluate("document.documentElement.scrollWidth") <= 390, doc  # the page itself fits
        page.close()
    assert figures >= 15


def test_each_pdf_declares_its_language(built: Path, pdf_text: str) -> None:
    from pypdf import PdfReader

    pdfs = sorted((built / "latex").glob("csto-book*.pdf"))
    assert len(pdfs) >= 7
    for pdf in pdfs:
        assert PdfReader(pdf).trailer["/Root"].get("/Lang") == "en", pdf.name


def _pdf_alt_texts(pdf: Path) -> list[str]:
    """The /Alt of every marked-content span in a PDF's pages (book_ext.print_alt)."""
    from pypdf import PdfReader
    from pypdf.generic import ContentStream

    reader, found = PdfReader(pdf), []
    for page in reader.pages:
        contents = page.get_contents()
        if contents is None:
            continue
        for operands, operator in ContentStream(contents, reader).operations:
            if operator == b"BDC" and len(operands) > 1 and hasattr(operands[1], "get") and operands[1].get("/Alt"):
                found.append(" ".join(str(operands[1]["/Alt"]).split()))
    return found


def test_every_figure_carries_its_alt_text_into_the_pdf(built: Path, pdf_text: str) -> None:
    """xelatex cannot tag the PDF (see book_ext.print_alt); each figure's web alt text is its /Alt."""
    web = set()
    for doc in _toc_files():
        soup = BeautifulSoup((built / "html" / f"{doc}.html").read_text(encoding="utf-8"), "html.parser")
        web |= {" ".join(img["alt"].split()) for img in soup.select("main figure img")}
    in_pdf = _pdf_alt_texts(built / "latex" / "csto-book.pdf")
    assert len(web) >= 15 and set(in_pdf) == web, (len(web), len(in_pdf), web ^ set(in_pdf))


KIT_RUNNER = """import json, sys
from pathlib import Path
import nbformat
from nbclient import NotebookClient
folder, out = Path(sys.argv[1]), {}
for path in sorted(folder.glob("*.ipynb")):
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(folder)}}).execute()
    out[path.name] = {
        "errors": [o.get("ename", "") + ": " + o.get("evalue", "") for c in nb.cells for o in c.get("outputs", [])
                   if o.get("output_type") == "error"],
        "pngs": [o["data"]["image/png"] for c in nb.cells for o in c.get("outputs", []) if "image/png" in o.get("data", {})]}
json.dump(out, open(sys.argv[2], "w"))
"""


def test_the_notebook_kit_runs_every_notebook_outside_the_repository(built: Path, tmp_path: Path) -> None:
    """A reader with only the book's pages: one download (linked from the landing page and every
    chapter), three commands as its README gives them (a fresh venv, pip, then the notebooks), and
    every notebook runs on the plain python3 kernel with no error and draws the book's figures."""
    import zipfile

    kit = built / "html" / "_downloads" / "csto-book-notebooks.zip"
    for page in ("chapters/index.html", "chapters/failures.html", "chapters/kazakhstan-2022.html"):
        assert 'csto-book-notebooks.zip" download>the notebook kit' in (built / "html" / page).read_text(), page
    with zipfile.ZipFile(kit) as archive:
        archive.extractall(tmp_path)
    root = tmp_path / "csto-book-notebooks"
    readme = (root / "README.md").read_text(encoding="utf-8")
    commands = readme.split("```bash\n", 1)[1].split("```", 1)[0].strip().splitlines()
    assert commands == ["python3.11 -m venv .venv", ".venv/bin/python -m pip install -r requirements.txt",
                        ".venv/bin/jupyter lab notebooks"]
    python = shutil.which("python3.11") or sys.executable
    env = {k: v for k, v in os.environ.items() if k not in ("CSTO_BOOK_DATA", "CSTO_BOOK_BIB", "PYTHONPATH",
                                                             "VIRTUAL_ENV")}
    for command in (f"{python} -m venv .venv", commands[1]):
        run = subprocess.run(command.split(), cwd=root, capture_output=True, text=True, env=env, timeout=900)
        assert run.returncode == 0, f"{command}: {run.stdout[-2000:]}{run.stderr[-2000:]}"
    assert (root / ".venv" / "bin" / "jupyter").exists()  # the third command's program
    (tmp_path / "runner.py").write_text(KIT_RUNNER, encoding="utf-8")
    run = subprocess.run([str(root / ".venv" / "bin" / "python"), str(tmp_path / "runner.py"), "notebooks",
                          str(tmp_path / "result.json")], cwd=root, capture_output=True, text=True, env=env,
                         timeout=1200)
    assert run.returncode == 0, run.stderr[-3000:]
    import json

    result = json.loads((tmp_path / "result.json").read_text())
    book_pages = sorted(p.name for p in (built / "html" / "_downloads").glob("*.ipynb"))
    assert sorted(result) == book_pages
    figures = 0
    for name, ran in result.items():
        assert ran["errors"] == [], f"{name}: {ran['errors']}"
        book = json.loads((built / "html" / "_downloads" / name).read_text(encoding="utf-8"))
        drawn = ["".join(o["data"]["image/png"]).strip() for c in book["cells"] for o in c.get("outputs", [])
                 if "image/png" in o.get("data", {})]
        assert ["".join(p).strip() for p in ran["pngs"]] == drawn, f"{name}: a figure differs from the book's"
        figures += len(drawn)
    assert figures >= 15
