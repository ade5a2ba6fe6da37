"""Sphinx extension: the back of the PDF's title page carries the book's citation and licence.

Sphinx's title page calls ``\\sphinxbackoftitlepage`` when it is defined; this extension
defines it from ``book_metadata`` (``CITATION.cff``) and ``book_licence_note``: how to cite
the book (the same reference as the web edition's "Cite this book"), its licence, and,
where set, its address and its repository. The title page's date is the release date
(:mod:`book_ext.metadata` sets ``today``), so a release always prints the same front matter.
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx

from . import __version__
from .cite_formats import Citable, BOOK_NAME, reference
from .pdf_parts import latex_escape


def back_of_title_page(meta: dict[str, Any], licence: str) -> str:
    """The LaTeX of the title page's back: citation, licence, addresses."""
    ref = latex_escape(reference(meta, Citable(BOOK_NAME, meta["title"], None, meta.get("url", ""))))
    title = latex_escape(meta["title"])
    ref = ref.replace(f"*{title}*", f"\\emph{{{title}}}")
    lines = [f"\\noindent\\textbf{{Cite this book as:}} {ref}\\par\\medskip"]
    if licence:
        lines.append(f"\\noindent {latex_escape(licence)}\\par\\medskip")
    if meta.get("repository"):
        lines.append(f"\\noindent Code and data: \\url{{{meta['repository']}}}\\par\\medskip")
    lines.append("\\noindent Each chapter ends with its own citation.\\par")
    body = "\n".join(lines)
    return ("\\newcommand{\\sphinxbackoftitlepage}{%\n\\thispagestyle{empty}\\vspace*{\\fill}\n"
            f"{{\\small\n{body}\n}}\n}}\n")


def _preamble(app: Sphinx, config: Any) -> None:
    extra = back_of_title_page(config.book_metadata, config.book_licence_note)
    elements = dict(config.latex_elements)
    elements["preamble"] = elements.get("preamble", "") + "\n" + extra
    config.latex_elements = elements


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("book_ext.metadata")
    app.setup_extension("book_ext.citation")  # defines book_licence_note
    app.connect("config-inited", _preamble, priority=600)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
