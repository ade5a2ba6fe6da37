"""Sphinx extension: the files a reader downloads from the HTML book.

After an HTML build, ``_downloads/`` holds the data package as one zip archive (the
CSV files and descriptor, the bibliography, ``CITATION.cff`` and the licence); the
executed notebooks beside it are :mod:`book_ext.notebooks`' work.
The PDF's name is taken from the LaTeX target in ``_config.yml``, its one place.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

from . import __version__
from .toc import chapter_parts

DOWNLOADS = "_downloads"
DATA_ZIP = "csto-book-data.zip"


def pdf_name(config: Any) -> str:
    """The PDF's file name: the first LaTeX document's target, with ``.pdf``."""
    documents = getattr(config, "latex_documents", None) or [("", "book.tex")]
    return Path(documents[0][1]).with_suffix(".pdf").name


def notebook_name(docname: str) -> str:
    """The download name of an executable page."""
    return f"{Path(docname).name}.ipynb"


def is_executable(srcdir: Path, docname: str) -> bool:
    """True for a MyST Markdown notebook (a page with a kernelspec)."""
    path = srcdir / f"{docname}.md"
    return path.exists() and "kernelspec:" in path.read_text(encoding="utf-8")[:2000]


def _write_downloads(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    srcdir = Path(app.srcdir)
    out = Path(app.outdir) / DOWNLOADS
    out.mkdir(parents=True, exist_ok=True)
    data = srcdir / "data"
    with zipfile.ZipFile(out / DATA_ZIP, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(data.glob("*")):
            if path.is_file():
                archive.write(path, f"csto-book-data/{path.name}")
        for extra in ("references.bib", "CITATION.cff", "LICENSE.md"):
            if (srcdir / extra).exists():
                archive.write(srcdir / extra, f"csto-book-data/{extra}")


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("build-finished", _write_downloads)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}


def chapter_pdf_name(config: Any, docname: str) -> str:
    """The file name of one chapter's PDF: the book's target with the page's name appended."""
    documents = getattr(config, "latex_documents", None) or [("", "book.tex")]
    return f"{Path(documents[0][1]).stem}-{Path(docname).name}.pdf"


def chapter_docs(app: Sphinx) -> list[str]:
    """The pages that get a PDF of their own, in book order."""
    return [d for p in chapter_parts(app) for d in p.docnames]
