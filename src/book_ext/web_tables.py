"""Sphinx extension: web tables a reader can read at any width.

* Each body cell of a table with a header row carries its column's name (``data-label``), so
  that on a phone the stylesheet (``static/book-tables.css``) can show every row as a card, each
  value under its column's name, instead of a table that hides columns behind a scroll.
* Identifiers in cells (``request_to``, ``conflict_between_members``) may break after their
  underscores (a ``<wbr>``), and the stylesheet lets addresses and code break anywhere and
  sets tables a little smaller than the text, so no column is pushed out of the text column
  at desktop widths.

The names are the header's text, escaped as any attribute value is: data text stays text.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.writers.html5 import HTML5Translator

from . import __version__, add_static_folder


def column_names(tgroup: nodes.tgroup) -> list[str]:
    """The header row's text for each column of ``tgroup`` (spanned columns repeat the name)."""
    head = next(iter(tgroup.findall(nodes.thead)), None)
    if head is None or not len(head):
        return []
    names: list[str] = []
    for entry in head[0].children:
        names += [" ".join(entry.astext().split())] * (1 + entry.get("morecols", 0))
    return names


class BookHTMLTranslator(HTML5Translator):
    """Sphinx's HTML translator, with each body cell labelled by its column's name."""

    _book_cell_label: str | None = None
    _book_cells_open = 0

    def visit_entry(self, node: nodes.entry) -> None:
        row = node.parent
        if isinstance(row.parent, nodes.tbody):
            names = column_names(row.parent.parent)
            if row.column < len(names) and names[row.column]:
                self._book_cell_label = names[row.column]
        try:
            super().visit_entry(node)
        finally:
            self._book_cell_label = None
        self._book_cells_open += 1

    def depart_entry(self, node: nodes.entry) -> None:
        self._book_cells_open -= 1
        super().depart_entry(node)

    def visit_Text(self, node: nodes.Text) -> None:
        start = len(self.body)
        super().visit_Text(node)
        if self._book_cells_open:  # the text is escaped by now: "_" is a character, not markup
            self.body[start:] = [part.replace("_", "_<wbr>") for part in self.body[start:]]

    def starttag(self, node: nodes.Element, tagname: str, suffix: str = "\n", empty: bool = False,
                 **attributes: Any) -> str:
        if self._book_cell_label is not None and tagname in ("td", "th"):
            attributes["data-label"] = self._book_cell_label
        return super().starttag(node, tagname, suffix, empty, **attributes)


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("config-inited", add_static_folder)
    app.add_css_file("book-tables.css")
    # Set before the builder starts, so that the theme (pydata-sphinx-theme) mixes its own
    # changes into this translator instead of replacing it.
    app.set_translator("html", BookHTMLTranslator)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
