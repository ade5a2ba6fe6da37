"""Sphinx extension: what the printed book leaves out, and what it says instead.

* Code cells' inputs: the web edition keeps them (folded); the PDFs print the outputs
  only, so that a printed page is argument, figures and tables.
* The per-chapter lists of sources (``helpers.sources_list``, in a cell tagged
  ``chapter-sources``): the whole-book PDF closes with the full Bibliography, so
  each chapter says where its works are listed instead of repeating them. A chapter's own
  PDF keeps its list, since it has no Bibliography, and says that it gives each work in full.
* The front page's "Cite this book": the back of the PDF's title page carries the book's
  citation (``book_ext.pdf_front``); left in, it would print as a chapter of its own after the
  appendices, between the Bibliography's heading and its entries.
* A chapter's "Cite this chapter" section: in the book's PDF it prints as one paragraph at the
  chapter's end ("Cite this chapter as: ..."), not as a section whose heading could stand alone
  on a page; a chapter's own PDF carries its citation on the back of its title page instead.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx

from . import __version__

#: The class myst-nb gives the cell that lists a chapter's sources (its tag ``chapter-sources``).
SOURCES_CLASS = "tag_chapter-sources"
#: A chapter's own PDF has no Bibliography: its list gives each work in full.
CHAPTER_PDF_LEAD = ("The works this chapter cites, each with where it appeared and the address at which it was "
                    "read; the book's Bibliography lists every work the book cites.")
POINTER = ("The works this chapter cites are listed, with their full details, in the Bibliography at the end "
           "of the book.")


def _print_edition(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    if app.builder.format != "latex":
        return
    for node in list(doctree.findall(nodes.container)):
        if "cell_input" in node["classes"]:
            node.parent.remove(node)
    if docname != app.config.root_doc:
        _cite_in_print(doctree, chapter_pdf=True)
        for node in doctree.findall(nodes.container):
            lead = node.next_node(nodes.paragraph) if SOURCES_CLASS in node["classes"] else None
            if lead is not None and lead.astext().startswith("The works this chapter cites"):
                lead.replace_self(nodes.paragraph(CHAPTER_PDF_LEAD, CHAPTER_PDF_LEAD))
        return
    for node in list(doctree.findall(nodes.container)):
        if SOURCES_CLASS in node["classes"]:
            node.replace_self(nodes.paragraph(POINTER, POINTER))
    # The LaTeX builder marks each section of an included page with the page's name; the root
    # page's own sections carry none.
    for section in list(doctree.findall(nodes.section)):
        if "cite-this-chapter" in section["classes"] and section.get("docname", docname) == docname:
            section.parent.remove(section)
    _cite_in_print(doctree, chapter_pdf=False)


def _cite_in_print(doctree: nodes.document, chapter_pdf: bool) -> None:
    """Each page's cite section as a closing paragraph (the book), or gone (a chapter's own PDF)."""
    for section in list(doctree.findall(nodes.section)):
        if "cite-this-chapter" not in section["classes"]:
            continue
        reference = section.next_node(nodes.paragraph)
        if chapter_pdf or reference is None:
            section.parent.remove(section)
            continue
        lead = section[0].astext() + " as: "
        paragraph = nodes.paragraph(classes=["cite-in-print"])
        paragraph += nodes.strong(lead, lead)
        paragraph += reference.children
        section.replace_self(paragraph)


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("doctree-resolved", _print_edition)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
