"""Sphinx extension: a PDF of each chapter (and of the conclusion), built with the book's PDF.

Each page of the chapter parts (``book_chapter_parts``) becomes a LaTeX document of its own,
``<book target>-<page>.tex`` (so ``csto-book-origins.pdf``), typeset beside the book by
Sphinx's Makefile (``scripts/book.py`` runs it, the book's document first). Its title page
is the chapter's own (``book_ext.pdf_front.chapter_front``: its number and title, the book and
version under them, and on the back its citation, licence and how its numbers relate to the
book's), and so are its PDF metadata (title, subject); the chapter keeps its number, and its
sections, figures and tables keep the numbers they have in the book (chapter 3's first
figure is Fig. 3.1 here too; the conclusion's tables are Table C.1 and C.2 as in the book),
because the chapter counter and the lettered counters are set from the numbers the book's
HTML carries. Cross-references to other pages keep their text (the numbers are Sphinx's, not
LaTeX's). The chapter ends with its "Cite this chapter" section and its own list of sources,
as in the book.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging

from . import __version__
from .citation import citable
from .downloads import chapter_docs, chapter_pdf_name
from .numbering import part_letter
from .pdf_front import CHAPTER_FRONT_DISPATCH, chapter_front
from .pdf_parts import LEAVE_UNNUMBERED, enter_unnumbered
from .toc import chapter_parts

logger = logging.getLogger(__name__)


#: In the LaTeX folder: for each chapter document, what its .tex was last written from.
WRITTEN_FROM = ".book-chapter-sources.json"


def book_tables(app: Sphinx) -> str:
    """A fingerprint of what a chapter's LaTeX takes from the rest of the book: labels and the
    titles they name, section and figure numbers, and page titles; and the LaTeX settings every
    document shares (``latex_elements``: the preamble, fonts, languages). (Citation labels come from
    the bibliography, a change to which has every citing page read again: its doctree changes.)"""
    env = app.env
    std = env.domaindata.get("std", {})
    parts = [
        sorted(std.get("labels", {}).items()), sorted(std.get("anonlabels", {}).items()),
        sorted((d, sorted((k, sorted(v.items())) for k, v in n.items())) for d, n in env.toc_fignumbers.items()),
        sorted((d, sorted(n.items())) for d, n in env.toc_secnumbers.items()),
        sorted((d, t.astext()) for d, t in env.titles.items()),
        sorted((k, str(v)) for k, v in app.config.latex_elements.items()),
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def chapter_source(app: Sphinx, docname: str, tables: str) -> str:
    """What a chapter's .tex is written from: its own doctree (as pickled) and the book's tables."""
    doctree = Path(app.doctreedir) / f"{docname}.doctree"
    own = hashlib.sha256(doctree.read_bytes()).hexdigest() if doctree.exists() else "missing"
    return f"{own}:{tables}"


def _add_documents(app: Sphinx, env: Any) -> None:
    """Append a LaTeX document per chapter to the book's, once the book's is final.

    Jupyter Book rewrites ``latex_documents`` after Sphinx starts, and only while it holds one
    document; the LaTeX builder reads the list when it starts writing, after the pages are read
    and numbered, which is when this runs.
    A chapter whose .tex was written from the same doctree and the same book tables (labels,
    numbers, titles) is left as it is: its LaTeX would be the same, and
    assembling it again costs seconds on every build.
    """
    if app.builder.format != "latex":
        return
    config = app.config
    main = tuple(config.latex_documents[0])
    author, theme = main[3], main[4]
    out = Path(app.outdir)
    stamp = out / WRITTEN_FROM
    try:
        written = json.loads(stamp.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        written = {}
    stamp.unlink(missing_ok=True)  # rewritten when this build succeeds
    docs = chapter_docs(app)
    tex = {doc: chapter_pdf_name(config, doc).replace(".pdf", ".tex") for doc in docs}
    items = {doc: citable(app, doc) for doc in docs}
    fronts = {doc: chapter_front(config.book_metadata, config.book_licence_note, items[doc], Path(tex[doc]).stem)
              for doc in docs}
    app.builder.context["preamble"] += "\n" + "".join(fronts.values()) + CHAPTER_FRONT_DISPATCH
    tables = book_tables(app)
    sources = {doc: chapter_source(app, doc, tables + fronts[doc]) for doc in docs}
    stale = [doc for doc in sources if written.get(doc) != sources[doc] or not (out / tex[doc]).exists()]
    app.book_chapter_sources = sources  # type: ignore[attr-defined]
    titles = {doc: f"{items[doc].number}. {items[doc].title}" if items[doc].number else items[doc].title
              for doc in docs}
    extra = [(doc, tex[doc], titles[doc], author, theme, False) for doc in stale]
    config.latex_documents = [main, *extra]
    if len(stale) < len(sources):
        logger.info("chapter PDFs: %d of %d unchanged, not written again", len(sources) - len(stale), len(sources))


def _choose_documents_when_writing(app: Sphinx) -> None:
    """Choose the chapter documents just before the LaTeX builder reads its list of documents:
    only then are the section and figure numbers of this build assigned (after ``env-updated``,
    which also is not emitted on every build)."""
    if app.builder.format != "latex":
        return
    builder = app.builder
    read_list = builder.init_document_data

    def init_document_data() -> None:
        _add_documents(app, app.env)
        read_list()

    builder.init_document_data = init_document_data  # type: ignore[method-assign]


def _record_sources(app: Sphinx, exception: Exception | None) -> None:
    sources = getattr(app, "book_chapter_sources", None)
    if exception is None and sources is not None and app.builder.format == "latex":
        (Path(app.outdir) / WRITTEN_FROM).write_text(json.dumps(sources, indent=1), encoding="utf-8")


def counters(fignumbers: dict[str, dict[str, tuple[Any, ...]]], number: int | None, letter: str) -> str:
    """The LaTeX that makes a lone chapter number itself, its figures and tables as in the book:
    by ``number`` for a numbered chapter, else behind ``letter`` from where the book's count stands."""
    if number is not None:
        return f"\\mainmatter\n{LEAVE_UNNUMBERED}\\setcounter{{chapter}}{{{number - 1}}}\n"
    latex = f"\\mainmatter\n{enter_unnumbered(letter)}"
    for kind, counter in (("figure", "figure"), ("table", "table")):
        firsts = [n[-1] for n in fignumbers.get(kind, {}).values()]
        if firsts:
            latex += f"\\setcounter{{{counter}}}{{{min(firsts) - 1}}}\n"
    return latex


def _number_the_chapter(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    if app.builder.format != "latex" or docname not in chapter_docs(app):
        return
    numbered = [d for p in chapter_parts(app) if p.numbered for d in p.docnames]
    number = numbered.index(docname) + 1 if docname in numbered else None
    part = next(p for p in chapter_parts(app) if docname in p.docnames)
    letter = part_letter(part, app.config.book_part_letters)
    latex = counters(app.env.toc_fignumbers.get(docname, {}), number, letter)
    # Sphinx's LaTeX writer takes a document's first title for the document's own title and
    # drops it; the book's title is the document's here, so an empty first title is given to
    # be dropped, and the chapter's heading stays a \chapter.
    dropped = nodes.section(ids=["chapter-pdf-document-title"])
    dropped += nodes.title("", "", nodes.Text(app.config.book_metadata["title"]))
    doctree.insert(0, dropped)
    doctree.insert(0, nodes.raw("", latex, format="latex"))


class DistantReferences(SphinxPostTransform):
    """In a chapter's own PDF, a reference to another page keeps the book's words for it.

    Sphinx cannot link to a page outside the LaTeX document and would print the label
    ("data-and-methods", "tab-codebook-events"); this gives, unlinked, the words the book
    prints: a section's title in quotation marks, a figure's or table's number, or the
    reference's own words as plain prose (a phrase that links to the Chronology on the web).
    """

    default_priority = 5  # before Sphinx's ReferencesResolver (10)
    builders = ("latex",)

    def run(self, **kwargs: Any) -> None:
        std = self.env.get_domain("std")
        included = set(getattr(self.app.builder, "docnames", ()) or ())
        for node in list(self.document.findall(addnodes.pending_xref)):
            if node.get("refdomain") != "std" or node.get("reftype") not in ("ref", "numref"):
                continue
            target = node["reftarget"].lower()
            docname, labelid = std.anonlabels.get(target, (None, None))
            if docname is None or not included or docname in included:
                continue
            text = node.astext() if node.get("refexplicit") else None
            if node["reftype"] == "ref" and text is None:
                text = f"“{std.labels.get(target, (None, None, target))[2]}”"
            elif node["reftype"] == "numref":
                text = self._number(docname, labelid, text) or node.astext()
            node.replace_self(nodes.Text(text))

    def _number(self, docname: str, labelid: str, title: str | None) -> str | None:
        for figtype, numbers in self.env.toc_fignumbers.get(docname, {}).items():
            if labelid in numbers:
                number = ".".join(str(n) for n in numbers[labelid])
                if title and ("%s" in title or "{number}" in title):
                    return title.replace("%s", number).replace("{number}", number)
                return self.config.numfig_format.get(figtype, "%s") % number
        return None


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("book_ext.toc")  # book_chapter_parts
    app.setup_extension("book_ext.numbering")  # book_part_letters
    app.setup_extension("book_ext.metadata")  # the book's title, given to the dropped first title
    app.setup_extension("book_ext.pdf_front")  # book_licence_note, for the chapters' title pages
    app.add_post_transform(DistantReferences)
    app.connect("builder-inited", _choose_documents_when_writing)
    app.connect("build-finished", _record_sources)
    app.connect("doctree-resolved", _number_the_chapter)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
