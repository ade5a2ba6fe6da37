"""Every executable page runs top to bottom outside the book build, as a reader would run it.

The notebook is converted from its MyST source (as offered for download) and executed
with nbclient in a fresh folder, with the same kernel as the book.
"""

from __future__ import annotations

from pathlib import Path

import jupytext
import pytest
import yaml
from nbclient import NotebookClient

from helpers.paths import REPO_ROOT

TOC = yaml.safe_load((REPO_ROOT / "_toc.yml").read_text())
PAGES = [c["file"] for part in TOC["parts"] for c in part["chapters"]
         if "kernelspec:" in (REPO_ROOT / f"{c['file']}.md").read_text(encoding="utf-8")[:2000]]
pytestmark = pytest.mark.build


@pytest.mark.parametrize("page", PAGES)
def test_notebook_runs_outside_the_book(page: str, tmp_path: Path) -> None:
    nb = jupytext.read(REPO_ROOT / f"{page}.md")
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    assert all(not (o.get("output_type") == "error") for c in nb.cells for o in c.get("outputs", []))
