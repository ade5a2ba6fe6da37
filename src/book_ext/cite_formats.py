"""How to cite the book or one of its pages, in every format, from one source.

The source is ``book_metadata`` (read once from ``CITATION.cff`` by :mod:`book_ext.metadata`)
and the page's title and chapter number. From a :class:`Citable` come the author–date
reference shown in the cite box, and BibTeX, RIS and CSL-JSON, which the build writes to
``_downloads/cite/`` for each citable page and for the book. The author is a group: RIS
gives it without a comma and CSL-JSON as a ``literal`` name, the forms in which reference
managers keep an organization whole instead of splitting it into given and family names.
The version is the build's ``label`` (:mod:`book_ext.release_record`); a page's citation
carries a DOI only where the page has one of its own (today none does: the book's DOI is the
book's).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from .metadata import long_date

#: The download folder of the citation files, under the HTML build's ``_downloads``.
CITE_DIR = "cite"
BOOK_NAME = "book"


@dataclass(frozen=True)
class Citable:
    """The book, or one of its pages: what a citation of it needs beyond the book's metadata."""

    name: str                 # file stem of its citation downloads ("origins", or "book")
    title: str                # the page's title, or the book's
    number: int | None = None  # the chapter number, for pages of the numbered part
    page_url: str = ""        # its absolute address, where the book's address is set
    pdf_url: str = ""         # the absolute address of its PDF, where set

    @property
    def is_book(self) -> bool:
        return self.name == BOOK_NAME


def page_address(meta: dict[str, Any], docname: str) -> str:
    """The absolute address of a page, or "" when the book's address is not set."""
    return f"{meta['url'].rstrip('/')}/{docname}.html" if meta.get("url") else ""


def absolute(meta: dict[str, Any], path: str) -> str:
    """The absolute address of a file of the built site, or "" when the book's address is not set."""
    return f"{meta['url'].rstrip('/')}/{path.lstrip('/')}" if meta.get("url") else ""


def bibtex_key(meta: dict[str, Any], item: Citable) -> str:
    return f"cstobook{meta['date'].year}{'' if item.is_book else item.name.replace('-', '')}"


def publisher(meta: dict[str, Any]) -> str:
    """The book's publisher: its authors, who publish it themselves."""
    return "; ".join(meta["authors"])


def label(meta: dict[str, Any]) -> str:
    """The version as citations name it: the release, or the development build after it."""
    return str(meta.get("label") or meta["version"])


def reference(meta: dict[str, Any], item: Citable) -> str:
    """The author–date reference as plain text, with the book's title between asterisks."""
    authors = "; ".join(meta["authors"])
    tail = f", version {label(meta)}, {long_date(meta['date'])}."
    if meta.get("doi") and item.is_book:
        tail += f" https://doi.org/{meta['doi']}"
    elif item.page_url or meta.get("url"):
        tail += f" {item.page_url or meta['url']}"
    if item.is_book:
        return f"{authors} ({meta['date'].year}). *{meta['title']}*{tail}"
    place = f"Chapter {item.number} of" if item.number else "In"
    return f"{authors} ({meta['date'].year}). “{item.title}”. {place} *{meta['title']}*{tail}"


def _protected(text: str) -> str:
    """A BibTeX value in double braces: styles print it as written (no lowercased title words)."""
    return "{{" + text + "}}"


def bibtex(meta: dict[str, Any], item: Citable) -> str:
    """A BibTeX entry: ``@book`` for the book, ``@incollection`` for a page.

    Every field a standard style needs is there (``publisher`` too), titles are brace-protected,
    the group author is one name, and the version is named once, in ``note`` (``edition`` would
    print "version 0.2.0 edition").
    """
    fields = [("author", " and ".join("{{" + a + "}}" for a in meta["authors"]))]
    if item.is_book:
        fields.append(("title", _protected(meta["title"])))
    else:
        fields += [("title", _protected(item.title)), ("booktitle", _protected(meta["title"]))]
        if item.number:
            fields.append(("chapter", "{" + str(item.number) + "}"))
    fields += [("publisher", "{" + publisher(meta) + "}"), ("year", "{" + str(meta["date"].year) + "}"),
               ("month", meta["date"].strftime("%b").lower()), ("note", "{Version " + label(meta) + "}")]
    if meta.get("doi") and item.is_book:
        fields.append(("doi", "{" + meta["doi"] + "}"))
    if item.page_url or meta.get("url"):
        fields.append(("url", "{" + (item.page_url or meta["url"]) + "}"))
    body = ",\n".join(f"  {name} = {value}" for name, value in fields)
    kind = "book" if item.is_book else "incollection"
    return f"@{kind}{{{bibtex_key(meta, item)},\n{body}\n}}\n"


def ris(meta: dict[str, Any], item: Citable) -> str:
    """An RIS record (``BOOK`` or ``CHAP``); each author on an ``AU`` line without a comma (a group).

    The chapter number alone in ``SE`` (a reader's style adds the word "chapter"), the version once,
    in ``ET``."""
    date: dt.date = meta["date"]
    lines = [("TY", "BOOK" if item.is_book else "CHAP")]
    lines += [("AU", a) for a in meta["authors"]]
    if item.is_book:
        lines.append(("TI", meta["title"]))
    else:
        lines += [("TI", item.title), ("T2", meta["title"])]
        if item.number:
            lines.append(("SE", str(item.number)))
    lines += [("ET", label(meta)), ("PB", publisher(meta)), ("PY", str(date.year)),
              ("DA", date.strftime("%Y/%m/%d"))]
    if meta.get("doi") and item.is_book:
        lines.append(("DO", meta["doi"]))
    if item.page_url or meta.get("url"):
        lines.append(("UR", item.page_url or meta["url"]))
    if item.pdf_url:
        lines.append(("L1", item.pdf_url))
    lines.append(("ER", ""))
    return "".join(f"{tag}  - {value}\n" for tag, value in lines)


def csl_json(meta: dict[str, Any], item: Citable) -> list[dict[str, Any]]:
    """A CSL-JSON item list (``book`` or ``chapter``), authors as ``literal`` names, the version once
    (``version``; an ``edition`` beside it would print twice). No ``publisher``: the authors publish
    the book, and APA omits a publisher who is the author."""
    date: dt.date = meta["date"]
    record: dict[str, Any] = {
        "id": bibtex_key(meta, item),
        "type": "book" if item.is_book else "chapter",
        "author": [{"literal": a} for a in meta["authors"]],
        "issued": {"date-parts": [[date.year, date.month, date.day]]},
        "version": label(meta),
    }
    if item.is_book:
        record["title"] = meta["title"]
    else:
        record |= {"title": item.title, "container-title": meta["title"]}
        if item.number:
            record["chapter-number"] = str(item.number)
    if meta.get("doi") and item.is_book:
        record["DOI"] = meta["doi"]
    if item.page_url or meta.get("url"):
        record["URL"] = item.page_url or meta["url"]
    return [record]


def files(meta: dict[str, Any], item: Citable) -> dict[str, str]:
    """The citation downloads of one citable item: file name to text."""
    return {f"{item.name}.bib": bibtex(meta, item), f"{item.name}.ris": ris(meta, item),
            f"{item.name}.json": json.dumps(csl_json(meta, item), indent=2, ensure_ascii=False) + "\n"}
