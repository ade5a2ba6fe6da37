"""Every chapter in the toc's Chapters part meets the chapter standard of CONTRIBUTING.md."""

from __future__ import annotations

import re
from pathlib import Path

import jupytext
import pytest
import yaml

from helpers import SOURCE_TEXTS, cited_keys
from helpers.bib import bib_keys
from helpers.facts import CHAPTER_FACTS
from helpers.paths import REPO_ROOT

TOC = yaml.safe_load((REPO_ROOT / "_toc.yml").read_text())
CHAPTERS = [
    c["file"].split("/")[-1]
    for part in TOC["parts"] if part.get("numbered")
    for c in part["chapters"]
]
SEEDS = list(SOURCE_TEXTS)


def _text(chapter: str) -> str:
    return (REPO_ROOT / "chapters" / f"{chapter}.md").read_text(encoding="utf-8")


def _prose(chapter: str) -> str:
    """The chapter without front matter, code cells, directives' options and roles' targets."""
    text = re.sub(r"\A---.*?\n---\n", "", _text(chapter), flags=re.S)
    text = re.sub(r"```\{code-cell\}.*?```", "", text, flags=re.S)
    text = re.sub(r"\{[a-z:]+\}`[^`]*`", "X", text)
    return text


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_opens_with_key_points(chapter: str) -> None:
    text = _text(chapter)
    box = re.search(r":::\{admonition\} Key points\n:class: tip\n(.*?):::", text, re.S)
    assert box, f"{chapter}: no Key points box"
    points = [line for line in box.group(1).splitlines() if line.startswith("- ")]
    assert 3 <= len(points) <= 5, f"{chapter}: {len(points)} key points"
    assert "KEY POINT" not in text and "\nPROSE\n" not in text


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_length_of_the_argument(chapter: str) -> None:
    words = len(re.findall(r"[A-Za-z][A-Za-z'’-]*", _prose(chapter)))
    assert 2000 <= words <= 4200, f"{chapter}: {words} words"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_three_numbered_figures_or_tables_with_alt_text(chapter: str) -> None:
    text = _text(chapter)
    figures = re.findall(r"name: (fig-[a-z0-9-]+)", text)
    tables = re.findall(r'"(tab-[a-z0-9-]+)"', text)
    assert len(figures) + len(tables) >= 3
    for cell in re.findall(r"```\{code-cell\}.*?```", text, re.S):
        if "figure:" in cell:
            assert "caption:" in cell and "alt:" in cell, f"{chapter}: a figure lacks caption or alt"
    for label in figures + tables:
        assert f"{{numref}}`{label}`" in text, f"{chapter}: {label} is never referred to"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_numbers_are_glued_and_sources_cited(chapter: str) -> None:
    text = _text(chapter)
    assert "{glue:text}`" in text
    keys = cited_keys(chapter)
    assert set(keys) <= bib_keys(), set(keys) - bib_keys()
    assert sum(k in keys for k in SEEDS) >= 4, f"{chapter}: engages too few of the five texts"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_ends_with_sources_and_data(chapter: str) -> None:
    text = _text(chapter)
    assert f':tags: [remove-input, chapter-sources]\n\nhelpers.sources_list("{chapter}")' in text
    assert "## Sources and further reading" in text and "## Data used" in text
    assert text.index("## Sources and further reading") > text.index(":::{admonition} Key points")


def test_no_chapter_cell_defines_a_function() -> None:
    """A question a chapter asks of the data is a named, tested function in src/helpers."""
    found = []
    for page in sorted((REPO_ROOT / "chapters").glob("*.md")):
        for cell in re.findall(r"```\{code-cell\}.*?```", page.read_text(encoding="utf-8"), re.S):
            found += [f"{page.name}: {m}" for m in re.findall(r"^\s*(?:async\s+)?(?:def|class)\s+\w+", cell, re.M)]
    assert found == []


@pytest.mark.parametrize("page", list(CHAPTER_FACTS))
def test_opens_with_a_parameters_cell_and_a_short_facts_cell(page: str) -> None:
    """A parameters cell (papermill's tag) sets the cut-off, kept in the notebook but not on the page (the
    Key points come first in HTML and PDF); the next cell only computes and glues."""
    nb = jupytext.read(REPO_ROOT / "chapters" / f"{page}.md")
    code = [c for c in nb.cells if c.cell_type == "code"]
    params, first = code[0], code[1]
    assert params.metadata.get("tags") == ["parameters", "remove-cell"], \
        f"{page}: the first code cell is not the parameters cell, removed from the page"
    assert re.search(r"^cutoff = None$", params.source, re.M) and len(params.source.splitlines()) <= 5
    assert len(first.source.splitlines()) <= 15, f"{page}: the first cell has {len(first.source.splitlines())} lines"
    fn = CHAPTER_FACTS[page].__name__
    assert f"facts.{fn}(cutoff)" in first.source and "helpers.set_cutoff(cutoff)" in first.source
    assert first.source.rstrip().endswith(f'helpers.cutoff_notice("{page}")')
    assert sum("glue(" in c.source for c in code) == 1, f"{page}: glue is called outside the facts cell"


def _figures(page: str) -> dict[str, str]:
    """Each named figure of a page: the plotting function its cell calls."""
    text = (REPO_ROOT / "chapters" / f"{page}.md").read_text(encoding="utf-8")
    out = {}
    for cell in re.findall(r"```\{code-cell\}.*?```", text, re.S):
        name = re.search(r"^\s*name: (fig-[a-z0-9-]+)", cell, re.M)
        call = re.search(r"plotting\.(\w+_figure)\(", cell)
        if name and call:
            out[name.group(1)] = call.group(1)
    return out


def test_each_introduction_figure_is_the_chart_its_caption_names() -> None:
    """The introduction's figures repeat chapter figures; each caption names the one it repeats."""
    text = (REPO_ROOT / "chapters" / "intro.md").read_text(encoding="utf-8")
    chapter_figures = {k: v for page in CHAPTERS for k, v in _figures(page).items()}
    intro = _figures("intro")
    for cell in re.findall(r"```\{code-cell\}.*?```", text, re.S):
        name = re.search(r"^\s*name: (fig-[a-z0-9-]+)", cell, re.M)
        if not name:
            continue
        caption = cell[cell.index("caption:"):cell.index("name:")]
        target = re.search(r"\{numref\}`(fig-[a-z0-9-]+)`", caption)
        assert target, f"{name.group(1)}: the caption does not say which chapter figure it repeats"
        assert chapter_figures[target.group(1)] == intro[name.group(1)], \
            f"{name.group(1)} draws {intro[name.group(1)]}, its caption names {target.group(1)}"


def test_parameters_cells_are_checked_against_the_books_defaults() -> None:
    """book_ext.parameters: a parameters cell left at another cut-off is named by file line."""
    from book_ext.parameters import DEFAULT, parameter_faults

    page = ("# A page\n\n```{code-cell} ipython3\n:tags: [parameters, remove-cell]\n\n# a comment\n"
            "cutoff = None\n```\n\n```{code-cell} ipython3\ncutoff = 3\n```\n")
    assert parameter_faults(page) == []  # only the tagged cell is the parameters cell
    changed = page.replace("cutoff = None", 'cutoff = "2012-01-01"')
    assert parameter_faults(changed) == [(7, 'cutoff = "2012-01-01"')]
    yaml_options = page.replace(":tags: [parameters, remove-cell]\n", "---\ntags: [parameters]\n---\n")
    assert parameter_faults(yaml_options.replace("cutoff = None", "cutoff = 1")) == [(9, "cutoff = 1")]
    for path in sorted((REPO_ROOT / "chapters").glob("*.md")):
        if path.stem != "your-question":
            assert parameter_faults(path.read_text(encoding="utf-8"), (DEFAULT,)) == [], path.name


@pytest.mark.parametrize("path", sorted((REPO_ROOT / "chapters").glob("*.md")), ids=lambda p: p.stem)
def test_a_notebook_chapter_saved_without_an_edit_is_unchanged(path: Path) -> None:
    """Each chapter that opens as a notebook is in jupytext's own form, so that JupyterLab's
    autosave of an unedited chapter rewrites nothing (tests/test_lab.py saves one for real)."""
    text = path.read_text(encoding="utf-8")
    if not text.startswith("---\njupytext:"):
        pytest.skip("not a notebook")
    assert jupytext.writes(jupytext.reads(text, fmt="md:myst"), fmt="md:myst") == text
