"""Sphinx extension: how to cite a page or the book, on the page and in its meta tags.

* Every page of the "Chapters" and "Conclusion" parts, and the pages listed in
  ``book_citable_pages`` (the data and reconciliation appendices), ends with a
  "Cite this chapter" section (in the page's contents, with a "Cite" link under the title):
  the author–date reference, a BibTeX entry with a copy button, the same citation as
  BibTeX, RIS and CSL-JSON files, and the page's downloads. The front page ends with
  "Cite this book", the licence and, where set, the repository's address.
* Those pages carry Highwire Press ``citation_*`` meta tags, which reference managers
  read; ``citation_pdf_url`` only where the book's address makes it absolute.
* After an HTML build, ``_downloads/cite/`` holds the citation files (see
  :mod:`book_ext.cite_formats`, the single source of every form of the citation).
"""

from __future__ import annotations

import html
import shutil
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx

from . import __version__, add_static_folder
from .cite_formats import BOOK_NAME, CITE_DIR, Citable, absolute, bibtex, files, label, page_address, reference
from .downloads import DATA_ZIP, DOWNLOADS, chapter_docs, chapter_pdf_name, notebook_name, pdf_name
from .kit import KIT_ZIP
from .metadata import long_date
from .toc import CHAPTER_PARTS, Part, chapter_parts, parts


def chapter_numbers(book_parts: list[Part], chapters: tuple[str, ...] = CHAPTER_PARTS,
                    extra: tuple[str, ...] = ()) -> dict[str, int | None]:
    """Each citable page: its chapter number (1, 2, ...) if its part is a numbered chapter part, or None."""
    out: dict[str, int | None] = {}
    number = 0
    for part in book_parts:
        for docname in part.docnames:
            if part.caption in chapters and part.numbered:
                number += 1
                out[docname] = number
            elif part.caption in chapters or docname in extra:
                out[docname] = None
    return out


def citable_pages(app: Sphinx) -> dict[str, int | None]:
    return chapter_numbers(parts(app), tuple(app.config.book_chapter_parts), tuple(app.config.book_citable_pages))


def _has_pdf() -> bool:
    return shutil.which("xelatex") is not None


def pdf_of(app: Sphinx, docname: str | None) -> str:
    """The file name of the PDF that holds a page: its own, or else the whole book's."""
    if docname is not None and docname in chapter_docs(app):
        return chapter_pdf_name(app.config, docname)
    return pdf_name(app.config)


def citable(app: Sphinx, docname: str | None, title: str | None = None) -> Citable:
    """The book (``docname`` None) or one citable page, as :mod:`book_ext.cite_formats` takes it."""
    meta = app.config.book_metadata
    pdf = absolute(meta, f"{DOWNLOADS}/{pdf_of(app, docname)}") if _has_pdf() else ""
    if docname is None:
        return Citable(BOOK_NAME, meta["title"], None, meta.get("url", ""), pdf)
    title = title if title is not None else app.env.titles[docname].astext()
    return Citable(Path(docname).name, title, citable_pages(app).get(docname), page_address(meta, docname), pdf)


def _reference_nodes(meta: dict[str, Any], item: Citable) -> nodes.paragraph:
    """The reference as a paragraph, the book's title in italics (read in HTML and in the PDF)."""
    before, _, after = reference(meta, item).partition(f"*{meta['title']}*")
    para = nodes.paragraph(classes=["cite-reference"])
    para += [nodes.Text(before), nodes.emphasis(meta["title"], meta["title"]), nodes.Text(after)]
    return para


def _where_versions_live(meta: dict[str, Any]) -> str:
    """Which build this is (release or development build, and commit), and where the releases are."""
    here = f"This is {html.escape(str(meta.get('locator') or 'release ' + meta['version']))}."
    if meta.get("repository"):
        repo = html.escape(meta["repository"].rstrip("/"))
        return f'{here} Every release: <a href="{repo}/releases">{repo}/releases</a>.'
    return (f"{here} Each release is an archive of its own, listed in <code>CHANGELOG.md</code> and "
            "recorded in <code>release.json</code> among the book's sources.")


def byline(meta: dict[str, Any]) -> nodes.paragraph:
    """The authors, the version and the date, under a citable page's title (web and print)."""
    text = f"{'; '.join(meta['authors'])} · version {label(meta)} · {long_date(meta['date'])}"
    return nodes.paragraph(text, text, classes=["byline"])


def _box(app: Sphinx, docname: str, item: Citable, heading: str, extra_links: list[str]) -> nodes.section:
    """The citation section: its heading and reference in every format; BibTeX and files on the web."""
    meta = app.config.book_metadata
    up = "../" * docname.count("/")
    cite = f"{up}{DOWNLOADS}/{CITE_DIR}/{item.name}"
    formats = " · ".join(f'<a href="{cite}.{ext}" download>{label}</a>'
                         for ext, label in [("bib", "BibTeX"), ("ris", "RIS"), ("json", "CSL-JSON")])
    body = (
        f'<div class="highlight-bibtex notranslate"><div class="highlight"><pre>'
        f"{html.escape(bibtex(meta, item))}</pre></div></div>"
        f"<p>The same reference as a file: {formats}. {_where_versions_live(meta)}</p>"
    )
    if extra_links:
        body += f"<p>Download: {' · '.join(extra_links)}.</p>"
    section = nodes.section(ids=["cite-this-chapter"], names=["cite-this-chapter"], classes=["cite-this-chapter"])
    section += nodes.title(heading, heading)
    section += _reference_nodes(meta, item)
    section += nodes.raw("", body, format="html")
    return section


def _licence_html(app: Sphinx) -> str:
    meta = app.config.book_metadata
    text = html.escape(app.config.book_licence_note)
    if meta.get("repository"):
        repo = html.escape(meta["repository"])
        text += f' The code and data behind every chapter: <a href="{repo}">{repo}</a>.'
    return f'<p class="book-licence">{text}</p>'


def _kit_link(up: str) -> str:
    return (f'<a href="{up}{DOWNLOADS}/{KIT_ZIP}" download>the notebook kit (.zip): every chapter\'s '
            "notebook with the data, the helpers and the pinned packages, to run them without the repository</a>")


def _add_cite_box(app: Sphinx, doctree: nodes.document) -> None:
    """Add the box when the page is read, so that it is in the page's contents (and the PDF)."""
    docname = app.env.docname
    top = next(iter(doctree.findall(nodes.section)), None)
    if top is None or not isinstance(top[0], nodes.title):
        return
    title = top[0].astext()
    up = "../" * docname.count("/")
    if docname == app.config.root_doc:
        links = [f'<a href="{up}{DOWNLOADS}/{DATA_ZIP}" download>the data package (.zip): the CSV tables, '
                 "their Frictionless descriptor and the bibliography</a>", _kit_link(up)]
        if _has_pdf():
            links.append(f'<a href="{up}{DOWNLOADS}/{pdf_name(app.config)}">the whole book (PDF)</a>')
        box = _box(app, docname, citable(app, None), "Cite this book", links)
        box += nodes.raw("", _licence_html(app), format="html")
    elif docname in citable_pages(app):
        links = [f'<a href="{up}{DOWNLOADS}/{notebook_name(docname)}" download>this page as a '
                 f"notebook with its outputs (.ipynb)</a>", _kit_link(up),
                 f'<a href="{up}{DOWNLOADS}/{DATA_ZIP}" download>the data package (.zip)</a>']
        if _has_pdf():
            if pdf_of(app, docname) != pdf_name(app.config):
                links.insert(0, f'<a href="{up}{DOWNLOADS}/{pdf_of(app, docname)}">this chapter as a PDF</a>')
            links.append(f'<a href="{up}{DOWNLOADS}/{pdf_name(app.config)}">the whole book (PDF)</a>')
        chapter = docname in {d for p in chapter_parts(app) for d in p.docnames}
        box = _box(app, docname, citable(app, docname, title), "Cite this chapter" if chapter else "Cite this page",
                   links)
    else:
        return
    app.env.note_dependency(str(Path(app.srcdir) / "CITATION.cff"))
    top.append(box)
    top.insert(1, nodes.raw("", f'<p class="cite-link"><a href="#cite-this-chapter">{box[0].astext()} ↓</a></p>',
                            format="html"))
    top.insert(1, byline(app.config.book_metadata))


def _meta_tags(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
               doctree: Any) -> None:
    meta = app.config.book_metadata
    if pagename in citable_pages(app):
        item = citable(app, pagename)
        tags = [("citation_title", item.title), ("citation_inbook_title", meta["title"]),
                ("citation_book_title", meta["title"])]
    elif pagename in (app.config.root_doc, "index"):
        item = citable(app, None)
        tags = [("citation_title", meta["title"])]
    else:
        return
    tags += [("citation_author", a) for a in meta["authors"]]
    tags += [("citation_publication_date", meta["date"].strftime("%Y/%m/%d")),
             ("citation_publisher", "; ".join(meta["authors"]))]
    if meta.get("doi") and item.is_book:  # a page has no DOI of its own; the book's is the book's
        tags.append(("citation_doi", meta["doi"]))
    if item.page_url:
        tags.append(("citation_public_url", item.page_url))
    if item.pdf_url:
        tags.append(("citation_pdf_url", item.pdf_url))
    pieces = [f'<meta name="{k}" content="{html.escape(v)}" />' for k, v in tags]
    context["metatags"] = context.get("metatags", "") + "\n".join(pieces) + "\n"


def _write_citations(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    out = Path(app.outdir) / DOWNLOADS / CITE_DIR
    out.mkdir(parents=True, exist_ok=True)
    meta = app.config.book_metadata
    for docname in [None, *citable_pages(app)]:
        for name, text in files(meta, citable(app, docname)).items():
            (out / name).write_text(text, encoding="utf-8")


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("book_ext.toc")  # book_chapter_parts
    app.setup_extension("book_ext.metadata")
    app.add_config_value("book_citable_pages", [], "env")
    app.add_config_value("book_licence_note", "", "html")
    app.connect("config-inited", add_static_folder)
    app.add_css_file("book.css")
    app.connect("doctree-read", _add_cite_box, priority=400)
    app.connect("html-page-context", _meta_tags)
    app.connect("build-finished", _write_citations)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
