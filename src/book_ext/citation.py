"""Sphinx extension: how to cite a chapter, on every chapter page and in its meta tags.

* Every page of the "Chapters" and "Conclusion" parts ends with "Cite this chapter":
  an author–date reference and a BibTeX entry, with the chapter's number as in the toc,
  and the downloads of the page (see :mod:`book_ext.downloads`).
* Every such page, and the front page, carries Highwire Press ``citation_*`` meta
  tags, which reference managers read.

The book's metadata comes from :mod:`book_ext.metadata` (``CITATION.cff``).
"""

from __future__ import annotations

import html
import shutil
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx

from . import __version__
from .downloads import DATA_ZIP, DOWNLOADS, notebook_name, pdf_name
from .metadata import long_date
from .toc import Part, parts

#: Parts whose pages are citable chapters; only the "Chapters" part is numbered.
CITABLE_PARTS = ("Chapters", "Conclusion")


def chapter_numbers(book_parts: list[Part]) -> dict[str, int | None]:
    """Each citable page: its chapter number in the "Chapters" part (1, 2, ...), or None."""
    out: dict[str, int | None] = {}
    number = 0
    for part in book_parts:
        if part.caption not in CITABLE_PARTS:
            continue
        for docname in part.docnames:
            if part.caption == "Chapters":
                number += 1
                out[docname] = number
            else:
                out[docname] = None
    return out


def reference(meta: dict[str, Any], chapter_title: str, number: int | None) -> str:
    """The author–date reference of one chapter, as plain text with the book title in *...*."""
    authors = "; ".join(meta["authors"])
    where = f" {meta['url']}" if meta["url"] else ""
    place = f"Chapter {number} of" if number else "In"
    return (f"{authors} ({meta['date'].year}). “{chapter_title}”. {place} *{meta['title']}*, "
            f"version {meta['version']}, {long_date(meta['date'])}.{where}")


def bibtex(meta: dict[str, Any], docname: str, chapter_title: str, number: int | None) -> str:
    """A BibTeX ``@incollection`` entry for one chapter."""
    key = f"cstobook{meta['date'].year}{docname.split('/')[-1].replace('-', '')}"
    authors = " and ".join("{" + a + "}" for a in meta["authors"])
    fields = [
        ("author", authors), ("title", chapter_title), ("booktitle", meta["title"]),
        *([("chapter", str(number))] if number else []), ("edition", f"version {meta['version']}"),
        ("year", str(meta["date"].year)), ("month", meta["date"].strftime("%b").lower()),
        ("note", f"Version {meta['version']}, {long_date(meta['date'])}"),
    ]
    if meta["url"]:
        fields.append(("url", meta["url"].rstrip("/") + f"/{docname}.html"))
    body = ",\n".join(f"  {name} = {{{value}}}" if name != "month" else f"  {name} = {value}"
                      for name, value in fields)
    return f"@incollection{{{key},\n{body}\n}}"


def _add_cite_box(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    if app.builder.format != "html":
        return
    numbers = chapter_numbers(parts(app))
    if docname not in numbers:
        return
    meta = app.config.book_metadata
    title = app.env.titles[docname].astext()
    number = numbers[docname]
    text = html.escape(reference(meta, title, number)).replace(f"*{html.escape(meta['title'])}*",
                                                               f"<em>{html.escape(meta['title'])}</em>")
    links = [f'<a href="../{DOWNLOADS}/{notebook_name(docname)}" download>this chapter as a '
             f"notebook with its outputs (.ipynb)</a>",
             f'<a href="../{DOWNLOADS}/{DATA_ZIP}" download>the data package (.zip)</a>']
    if shutil.which("xelatex"):
        links.append(f'<a href="../{DOWNLOADS}/{pdf_name(app.config)}">the whole book (PDF)</a>')
    box = (
        '<section class="cite-this-chapter" id="cite-this-chapter">'
        "<h2>Cite this chapter</h2>"
        f"<p>{text}</p>"
        f"<pre>{html.escape(bibtex(meta, docname, title, number))}</pre>"
        f"<p>Download: {' · '.join(links)}. The notebook runs as it is inside a copy of the "
        "book's repository (see the Introduction).</p>"
        "</section>"
    )
    doctree.append(nodes.raw("", box, format="html"))


def _meta_tags(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
               doctree: Any) -> None:
    meta = app.config.book_metadata
    numbers = chapter_numbers(parts(app))
    up = "../" * pagename.count("/")
    tags = {"citation_publication_date": meta["date"].strftime("%Y/%m/%d"),
            "citation_publisher": "; ".join(meta["authors"])}
    if pagename in numbers:
        tags |= {"citation_title": app.env.titles[pagename].astext(),
                 "citation_inbook_title": meta["title"], "citation_book_title": meta["title"]}
    elif pagename in (app.config.root_doc, "index"):
        tags |= {"citation_title": meta["title"]}
    else:
        return
    pieces = [f'<meta name="{k}" content="{html.escape(v)}" />' for k, v in tags.items()]
    pieces += [f'<meta name="citation_author" content="{html.escape(a)}" />' for a in meta["authors"]]
    if shutil.which("xelatex"):
        pieces.append(f'<meta name="citation_pdf_url" content="{up}{DOWNLOADS}/{pdf_name(app.config)}" />')
    context["metatags"] = context.get("metatags", "") + "\n".join(pieces) + "\n"


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("book_ext.metadata")
    app.connect("doctree-resolved", _add_cite_box)
    app.connect("html-page-context", _meta_tags)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
