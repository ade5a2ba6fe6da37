"""Sphinx extension: on the web, a chapter's list of sources is short and not a second Bibliography.

``helpers.sources_list`` writes each work the chapter cites in one line: the citation the
text uses, the title, where it appeared and its address. The chapter's own PDF, which has no
Bibliography, prints all of that. On a web page the citation links to the work's full entry
in the Bibliography one click away, so each line keeps the citation and the title only
(about a third of the words, and half the height on a phone). The book's PDF replaces the
list with a pointer to its Bibliography (``book_ext.print_edition``).

The Bibliography page itself opens, on the web, with a row of letters, each a link to the
first entry whose label starts with it (:func:`jump_bar`): 701 entries are a long scroll on a
phone.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx

from . import __version__
from .print_edition import SOURCES_CLASS


def shorten(container: nodes.container) -> int:
    """Cut each line of a sources list after its title (its first emphasis); return how many."""
    cut = 0
    for item in container.findall(nodes.list_item):
        paragraph = item.next_node(nodes.paragraph)
        title = paragraph.next_node(nodes.emphasis) if paragraph is not None else None
        if title is None or title.parent is not paragraph:
            continue
        after = paragraph.children[paragraph.index(title) + 1:]
        if after:
            for node in after:
                paragraph.remove(node)
            paragraph.append(nodes.Text("."))
            cut += 1
    return cut


def _initial(label: str) -> str:
    first = label.strip()[:1].upper()
    return first if first.isalpha() else "0–9"


def jump_bar(doctree: nodes.document) -> nodes.paragraph | None:
    """A paragraph of links, one per initial, to the first citation under it; put before the
    first citation. ``None`` when the page lists no citations."""
    citations = list(doctree.findall(nodes.citation))
    if not citations:
        return None
    bar = nodes.paragraph(classes=["bib-jump"])
    bar += nodes.Text("Jump to entries by the first letter of their label: ")
    seen: list[str] = []
    for citation in citations:
        label = citation.next_node(nodes.label)
        initial = _initial(label.astext().strip("[]") if label is not None else "")
        if initial in seen or not citation["ids"]:
            continue
        if seen:
            bar += nodes.Text(" ")
        seen.append(initial)
        bar += nodes.reference(initial, initial, refid=citation["ids"][0])
    first = citations[0]
    holder = first.parent
    while holder.parent is not None and not isinstance(holder.parent, (nodes.section, nodes.document)):
        holder = holder.parent
    holder.parent.insert(holder.parent.index(holder), bar)
    return bar


def _web(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    if app.builder.format != "html":
        return
    jump_bar(doctree)  # only the Bibliography lists citations
    for container in doctree.findall(nodes.container):
        if SOURCES_CLASS in container["classes"]:
            shorten(container)


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("doctree-resolved", _web)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
