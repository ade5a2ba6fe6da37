"""Sphinx extension: the back of the PDF's title page carries the book's citation and licence.

A chapter's own PDF (:mod:`book_ext.chapter_pdfs`) has a title page of its own instead
(:func:`chapter_front`): the chapter's title, "A chapter of <book>, version ...", and on its
back the chapter's citation, the licence and where its numbers come from; its PDF metadata
name the chapter, with the book as subject.

Sphinx's title page calls ``\\sphinxbackoftitlepage`` when it is defined; this extension
defines it from ``book_metadata`` (``CITATION.cff``) and ``book_licence_note``: how to cite
the book (the same reference as the web edition's "Cite this book"), its licence, and,
where set, its address and its repository. The title page's date is the release date
(:mod:`book_ext.metadata` sets ``today``), so a release always prints the same front matter.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

from . import __version__
from .cite_formats import BOOK_NAME, Citable, label, reference
from .pdf_parts import latex_escape


def record_date(confdir: str | Path) -> str:
    """The data's cut-off as the title page prints it ("1 January 2026"), or "" without a data package."""
    path = Path(confdir) / "data" / "datapackage.json"
    try:
        day = dt.date.fromisoformat(json.loads(path.read_text(encoding="utf-8"))["csto:cutoff"])
    except (OSError, ValueError, KeyError, TypeError):
        return ""
    return f"{day.day} {day:%B} {day.year}"


def back_of_title_page(meta: dict[str, Any], licence: str, as_of: str = "") -> str:
    """The LaTeX of the title page's back: citation, licence, addresses, and the date the record is as of."""
    ref = latex_escape(reference(meta, Citable(BOOK_NAME, meta["title"], None, meta.get("url", ""))))
    title = latex_escape(meta["title"])
    ref = ref.replace(f"*{title}*", f"\\emph{{{title}}}")
    lines = [f"\\noindent\\textbf{{Cite this book as:}} {ref}\\par\\medskip"]
    if as_of:
        lines.append(f"\\noindent The record this book describes is as of {latex_escape(as_of)}, "
                     "the cut-off date of its data.\\par\\medskip")
    if licence:
        lines.append(f"\\noindent {latex_escape(licence)}\\par\\medskip")
    if meta.get("repository"):
        lines.append(f"\\noindent Code and data: \\url{{{meta['repository']}}}\\par\\medskip")
    lines.append("\\noindent Each chapter ends with its own citation.\\par")
    body = "\n".join(lines)
    return ("\\newcommand{\\sphinxbackoftitlepage}{%\n\\thispagestyle{empty}\\vspace*{\\fill}\n"
            f"{{\\small\n{body}\n}}\n}}\n")


def chapter_front(meta: dict[str, Any], licence: str, item: Citable, jobname: str) -> str:
    """LaTeX for the preamble that, in the document ``jobname`` only, makes the title page the
    chapter's: the line under the title, the PDF's subject and the back of the title page."""
    book = latex_escape(meta["title"])
    ref = latex_escape(reference(meta, item)).replace(f"*{book}*", f"\\emph{{{book}}}")
    which = f"chapter {item.number}" if item.number else f"the chapter \\emph{{{latex_escape(item.title)}}}"
    lines = [f"\\noindent\\textbf{{Cite this chapter as:}} {ref}\\par\\medskip"]
    if licence:
        lines.append(f"\\noindent {latex_escape(licence)}\\par\\medskip")
    lines.append(
        f"\\noindent This PDF holds {which} of \\emph{{{book}}}, version {latex_escape(label(meta))}, "
        "on its own. Its sections, figures and tables carry the book's numbers; its pages are numbered "
        "from 1, so a page number here is not the page of the book's PDF. The whole book, its other "
        "chapters, the notebooks and the data are published with it"
        + (f" at \\url{{{meta['url']}}}" if meta.get("url") else "") + ".\\par")
    subject = latex_escape(f"{'Chapter ' + str(item.number) if item.number else 'A chapter'} of {meta['title']}, "
                           f"version {label(meta)}")
    body = "\n".join(lines)
    name = f"bookfront@{jobname}"
    return (f"\\expandafter\\def\\csname {name}\\endcsname{{%\n"
            f"\\hypersetup{{pdfsubject={{{subject}}}}}%\n"
            f"\\AtBeginDocument{{\\renewcommand{{\\releasename}}{{A chapter of \\emph{{{book}}}, version}}}}%\n"
            "\\renewcommand{\\sphinxbackoftitlepage}{%\n\\thispagestyle{empty}\\vspace*{\\fill}\n"
            f"{{\\small\n{body}\n}}\n}}}}\n")


#: After the chapters' definitions: the document whose job name has one takes it.
CHAPTER_FRONT_DISPATCH = "\\ifcsname bookfront@\\jobname\\endcsname\\csname bookfront@\\jobname\\endcsname\\fi\n"


def _preamble(app: Sphinx, config: Any) -> None:
    extra = back_of_title_page(config.book_metadata, config.book_licence_note, record_date(app.confdir))
    elements = dict(config.latex_elements)
    elements["preamble"] = elements.get("preamble", "") + "\n" + extra
    config.latex_elements = elements


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("book_ext.metadata")
    app.setup_extension("book_ext.citation")  # defines book_licence_note
    app.connect("config-inited", _preamble, priority=600)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
