"""scripts/book.py: what it says when TeX is missing, and how it summarises failures."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from helpers.paths import REPO_ROOT

spec = importlib.util.spec_from_file_location("book", REPO_ROOT / "scripts" / "book.py")
assert spec and spec.loader
book = importlib.util.module_from_spec(spec)
spec.loader.exec_module(book)


def test_without_tex_the_pdf_step_names_the_packages(monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(book, "missing_tex", lambda: ["xelatex", "latexmk"])
    assert book.build_pdf(REPO_ROOT, None, require=False) == 0
    err = capsys.readouterr().err
    assert "No PDF: this machine lacks xelatex, latexmk. The HTML book is built." in err
    assert book.apt_line() in err
    assert "texlive-xetex" in book.apt_line() and "fonts-freefont-otf" in book.apt_line()
    assert book.build_pdf(REPO_ROOT, None, require=True) == 1


def test_summary_names_notebook_cell_and_error(tmp_path: Path) -> None:
    nb = tmp_path / "chapters" / "x.md"
    nb.parent.mkdir()
    nb.write_text("# X\n\n```{code-cell} ipython3\na = 1\n```\n\n```{code-cell} ipython3\nb = a / 0\n```\n")
    output = (
        f"\x1b[91m{nb}: WARNING: Executing notebook failed: CellExecutionError\n"
        "Traceback ...\nCell In[2], line 1\n----> 1 b = a / 0\n"
        "ZeroDivisionError: division by zero\n [mystnb.exec]\x1b[39;49;00m\n"
        f"{tmp_path}/chapters/y.md:4: WARNING: undefined label: 'nowhere'\n"
    )
    assert book.summarise(output, tmp_path) == [
        "chapters/x.md, code cell 2 (starting at line 7), line 1 of the cell: "
        "ZeroDivisionError: division by zero",
        f"{tmp_path}/chapters/y.md:4: WARNING: undefined label: 'nowhere'",
    ]
