"""Every executable page runs top to bottom outside the book build, as a reader would run it.

The notebook is converted from its MyST source (as offered for download) and executed
with nbclient in a fresh folder, with the same kernel as the book.
"""

from __future__ import annotations

from pathlib import Path

import jupytext
import nbformat
import pandas as pd
import pytest
import yaml
from bs4 import BeautifulSoup
from nbclient import NotebookClient

from helpers.facts import CHAPTER_FACTS
from helpers.formatting import long_date
from helpers.paths import REPO_ROOT

TOC = yaml.safe_load((REPO_ROOT / "_toc.yml").read_text())
PAGES = [c["file"] for part in TOC["parts"] for c in part["chapters"]
         if "kernelspec:" in (REPO_ROOT / f"{c['file']}.md").read_text(encoding="utf-8")[:2000]]
pytestmark = pytest.mark.build


@pytest.mark.parametrize("page", PAGES)
def test_notebook_runs_outside_the_book(page: str, tmp_path: Path) -> None:
    nb = jupytext.read(REPO_ROOT / f"{page}.md")
    NotebookClient(nb, timeout=300, kernel_name="csto-book",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    assert all(not (o.get("output_type") == "error") for c in nb.cells for o in c.get("outputs", []))


def _with_cutoff(page: str, cutoff: str):
    """The page as a notebook with ``cutoff`` injected after its parameters cell, as papermill does."""
    nb = jupytext.read(REPO_ROOT / f"{page}.md")
    at = next(i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", []))
    nb.cells.insert(at + 1, nbformat.v4.new_code_cell(f"cutoff = {cutoff!r}",
                                                      metadata={"tags": ["injected-parameters"]}))
    return nb


def _glued(nb) -> dict[str, str]:
    """Each glued name and the plain-text form of its value, from the executed notebook."""
    return {o["metadata"]["scrapbook"]["name"]: next(v for k, v in o["data"].items() if k.endswith("text/plain"))
            for c in nb.cells for o in c.get("outputs", [])
            if o.get("output_type") == "display_data" and "scrapbook" in o.get("metadata", {})}


@pytest.mark.parametrize("cutoff", ["2010-01-01", "2020-01-01"])
@pytest.mark.parametrize("page", [f"chapters/{name}" for name in CHAPTER_FACTS])
def test_chapter_reruns_with_another_cutoff(page: str, cutoff: str, tmp_path: Path) -> None:
    """A chapter re-run with an earlier cut-off runs top to bottom, and its numbers follow the date."""
    nb = _with_cutoff(page, cutoff)
    NotebookClient(nb, timeout=300, kernel_name="csto-book",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors, f"{page} at cut-off {cutoff}: {errors[0]['ename']}: {errors[0]['evalue']}"
    expected = CHAPTER_FACTS[page.split("/")[1]](cutoff)
    assert _glued(nb) == {name: repr(value) for name, value in expected.items()}
    assert expected != CHAPTER_FACTS[page.split("/")[1]](), f"{page}: no number changed with the cut-off"
    text = "".join(o.get("data", {}).get("text/markdown", "") for c in nb.cells for o in c.get("outputs", []))
    assert f"run with the cut-off date {long_date(pd.Timestamp(cutoff))}" in text, "the chapter does not say so"


def test_make_run_executes_a_chapter_with_another_cutoff() -> None:
    """`make run` (papermill) injects the parameter after the tagged cell and runs the chapter."""
    import subprocess

    out = REPO_ROOT / "_build" / "runs" / "conclusion-2020-01-01.ipynb"
    out.unlink(missing_ok=True)
    run = subprocess.run(["make", "--no-print-directory", "run", "CHAPTER=conclusion", "CUTOFF=2020-01-01"],
                         cwd=REPO_ROOT, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    nb = nbformat.read(out, as_version=4)
    tags = [c.metadata.get("tags", []) for c in nb.cells if c.cell_type == "code"]
    assert tags[0] == ["parameters", "remove-cell"] and tags[1] == ["injected-parameters"]
    assert 'cutoff = "2020-01-01"' in nb.cells[2].source
    text = "".join(o.get("data", {}).get("text/markdown", "") for c in nb.cells for o in c.get("outputs", []))
    assert "run with the cut-off date 1 January 2020" in text
    assert "The numbers this chapter's text quotes" in text  # each fact at both dates
    page = BeautifulSoup(out.with_suffix(".html").read_text(encoding="utf-8"), "html.parser")
    words = page.get_text(" ", strip=True)
    assert "{glue" not in words and "{cite" not in words and "{term}" not in words and "Key points" in words
    assert not page.find("script") and not page.select("link[href^=http], img[src^=http]")
    assert "file is not specified with any extension" not in run.stderr


@pytest.mark.parametrize(("chapter", "cutoff", "says"), [
    ("failures", "2012", "cut-off '2012' is not accepted; give an ISO date, YYYY-MM-DD, from 1991-12-08"),
    ("failures", "yesterday", "cut-off 'yesterday' is not accepted"),
    ("failures", "2030-01-01", "cut-off 2030-01-01 is outside the data"),
    ("failures", "1980-01-01", "cut-off 1980-01-01 is outside the data"),
    ("failures", "2010-02-30", "cut-off '2010-02-30' is not a calendar date"),
    ("nope", "2010-01-01", "no chapter 'nope' takes a cut-off; the chapters are: after-2022, capabilities, conclusion,"),
])
def test_make_run_refuses_bad_parameters_in_one_line_and_leaves_nothing(chapter: str, cutoff: str,
                                                                        says: str) -> None:
    import subprocess

    runs = REPO_ROOT / "_build" / "runs"
    before = sorted(runs.iterdir()) if runs.exists() else []
    run = subprocess.run(["make", "--no-print-directory", "run", f"CHAPTER={chapter}", f"CUTOFF={cutoff}"],
                         cwd=REPO_ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode != 0
    ours = [line for line in run.stderr.splitlines() if line.startswith("make run:")]
    assert len(ours) == 1 and says in ours[0], run.stderr
    assert "Traceback" not in run.stderr and "Kernel" not in run.stderr  # refused before any kernel started
    assert (sorted(runs.iterdir()) if runs.exists() else []) == before
