"""A Sphinx extension for citing and re-running the book, from one source of metadata.

* ``CITATION.cff`` is the one place for the book's title, authors, version and date:
  this extension reads it and sets the version, year and title used on the pages
  (the ``version``, ``year`` and ``book_title`` substitutions and Sphinx's ``release``).
* Every chapter page (the toc's "Chapters" part) ends with "Cite this chapter": an
  author–date reference and a BibTeX entry, with the chapter's number as in the toc.
* Every page carries Highwire Press ``citation_*`` meta tags (the chapter's for a
  chapter, the book's for the front page), which reference managers read.
* Downloads (HTML only): each executable page as a ``.ipynb`` notebook, the data
  package as one zip archive, and a link to the PDF when TeX is present.
"""

from __future__ import annotations

import datetime as dt
import html
import shutil
import zipfile
from pathlib import Path
from typing import Any

import yaml
from docutils import nodes
from sphinx.application import Sphinx

DOWNLOADS = "_downloads"
DATA_ZIP = "csto-book-data.zip"
PDF_NAME = "csto-book.pdf"


def book_metadata(srcdir: Path) -> dict[str, Any]:
    """Title, authors, version, date and address of the book, from ``CITATION.cff``."""
    path = srcdir / "CITATION.cff"
    if not path.exists():
        raise FileNotFoundError(f"{path}: the book's title, version and date are read from this file")
    cff = yaml.safe_load(path.read_text(encoding="utf-8"))
    released = cff["date-released"]
    date = released if isinstance(released, dt.date) else dt.date.fromisoformat(str(released))
    authors = [a.get("name") or f"{a.get('given-names', '')} {a.get('family-names', '')}".strip()
               for a in cff["authors"]]
    return {"title": cff["title"], "authors": authors, "version": str(cff["version"]),
            "date": date, "url": cff.get("url", "")}


#: Parts whose pages are citable chapters; only the "Chapters" part is numbered.
CITABLE_PARTS = ("Chapters", "Conclusion")


def chapter_numbers(toc: dict[str, Any]) -> dict[str, int | None]:
    """Each citable page: its chapter number in the "Chapters" part (1, 2, ...), or None."""
    out: dict[str, int | None] = {}
    number = 0
    for part in toc.get("parts", []):
        if part.get("caption") not in CITABLE_PARTS:
            continue
        for c in part["chapters"]:
            if part.get("caption") == "Chapters":
                number += 1
                out[c["file"]] = number
            else:
                out[c["file"]] = None
    return out


def _long(date: dt.date) -> str:
    return f"{date.day} {date:%B %Y}"


def reference(meta: dict[str, Any], chapter_title: str, number: int | None) -> str:
    """The author–date reference of one chapter, as plain text with the book title in *...*."""
    authors = "; ".join(meta["authors"])
    where = f" {meta['url']}" if meta["url"] else ""
    place = f"Chapter {number} of" if number else "In"
    return (f"{authors} ({meta['date'].year}). “{chapter_title}”. {place} *{meta['title']}*, "
            f"version {meta['version']}, {_long(meta['date'])}.{where}")


def bibtex(meta: dict[str, Any], docname: str, chapter_title: str, number: int | None) -> str:
    """A BibTeX ``@incollection`` entry for one chapter."""
    key = f"cstobook{meta['date'].year}{docname.split('/')[-1].replace('-', '')}"
    authors = " and ".join("{" + a + "}" for a in meta["authors"])
    fields = [
        ("author", authors), ("title", chapter_title), ("booktitle", meta["title"]),
        *([("chapter", str(number))] if number else []), ("edition", f"version {meta['version']}"),
        ("year", str(meta["date"].year)), ("month", meta["date"].strftime("%b").lower()),
        ("note", f"Version {meta['version']}, {_long(meta['date'])}"),
    ]
    if meta["url"]:
        fields.append(("url", meta["url"].rstrip("/") + f"/{docname}.html"))
    body = ",\n".join(f"  {name} = {{{value}}}" if name != "month" else f"  {name} = {value}"
                      for name, value in fields)
    return f"@incollection{{{key},\n{body}\n}}"


def _config_inited(app: Sphinx, config: Any) -> None:
    meta = book_metadata(Path(app.srcdir))
    config.myst_substitutions = {
        **(config.myst_substitutions or {}),
        "version": meta["version"], "year": str(meta["date"].year), "book_title": meta["title"],
        "release_date": _long(meta["date"]),
    }
    config.release = config.version = meta["version"]


def _toc(app: Sphinx) -> dict[str, Any]:
    return yaml.safe_load((Path(app.srcdir) / "_toc.yml").read_text(encoding="utf-8"))


def _executable(app: Sphinx, docname: str) -> bool:
    path = Path(app.srcdir) / f"{docname}.md"
    return path.exists() and "kernelspec:" in path.read_text(encoding="utf-8")[:2000]


def _add_cite_box(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    if app.builder.format != "html":
        return
    numbers = chapter_numbers(_toc(app))
    if docname not in numbers:
        return
    meta = book_metadata(Path(app.srcdir))
    title = app.env.titles[docname].astext()
    number = numbers[docname]
    text = html.escape(reference(meta, title, number)).replace(f"*{html.escape(meta['title'])}*",
                                                               f"<em>{html.escape(meta['title'])}</em>")
    links = [f'<a href="../{DOWNLOADS}/{Path(docname).name}.ipynb" download>this chapter as a '
             f"notebook (.ipynb)</a>",
             f'<a href="../{DOWNLOADS}/{DATA_ZIP}" download>the data package (.zip)</a>']
    if shutil.which("xelatex"):
        links.append(f'<a href="../{DOWNLOADS}/{PDF_NAME}">the whole book (PDF)</a>')
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
    meta = book_metadata(Path(app.srcdir))
    numbers = chapter_numbers(_toc(app))
    root = app.config.root_doc
    depth = pagename.count("/")
    up = "../" * depth
    tags = {"citation_publication_date": meta["date"].strftime("%Y/%m/%d"),
            "citation_publisher": "; ".join(meta["authors"])}
    if pagename in numbers:
        tags |= {"citation_title": app.env.titles[pagename].astext(),
                 "citation_inbook_title": meta["title"], "citation_book_title": meta["title"]}
    elif pagename in (root, "index"):
        tags |= {"citation_title": meta["title"]}
    else:
        return
    pieces = [f'<meta name="{k}" content="{html.escape(v)}" />' for k, v in tags.items()]
    pieces += [f'<meta name="citation_author" content="{html.escape(a)}" />' for a in meta["authors"]]
    if shutil.which("xelatex"):
        pieces.append(f'<meta name="citation_pdf_url" content="{up}{DOWNLOADS}/{PDF_NAME}" />')
    context["metatags"] = context.get("metatags", "") + "\n".join(pieces) + "\n"


def _downloads(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    import jupytext

    out = Path(app.outdir) / DOWNLOADS
    out.mkdir(parents=True, exist_ok=True)
    for docname in sorted(app.env.found_docs):
        if _executable(app, docname):
            notebook = jupytext.read(Path(app.srcdir) / f"{docname}.md")
            jupytext.write(notebook, out / f"{Path(docname).name}.ipynb")
    data = Path(app.srcdir) / "data"
    with zipfile.ZipFile(out / DATA_ZIP, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(data.glob("*")):
            if path.is_file():
                archive.write(path, f"csto-book-data/{path.name}")
        for extra in ("references.bib", "CITATION.cff", "LICENSE.md"):
            if (Path(app.srcdir) / extra).exists():
                archive.write(Path(app.srcdir) / extra, f"csto-book-data/{extra}")


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("config-inited", _config_inited)
    app.connect("doctree-resolved", _add_cite_box)
    app.connect("html-page-context", _meta_tags)
    app.connect("build-finished", _downloads)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
