"""Sphinx extension: tables in print, set ragged right at their widths, with no stranded rows.

* Every column Sphinx sets at a width (``\\X``, ``\\Y``, from a table's ``:widths:``) or lets
  tabulary size (``T``) is ragged right: justified narrow cells open wide gaps between words
  and push long words into the margin.
* A table that breaks across pages (a longtable) keeps its first two body rows together and
  its last two, so no page starts or ends with a lone row; a table of four rows or fewer is
  not broken at all. A ``\\noalign{\\nobreak}`` after the row's end forbids the break (the
  starred ``\\\\*`` that longtable documents for this does not hold in Sphinx's tables: a
  five-row table still broke after its first row).
* The codebook's tables (labels ``tab-codebook-*``, one row per field with long descriptions)
  are set in footnote size: in body size their tall rows left pages half empty where a row
  would not fit at the foot of a page.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.writers.latex import CR, LaTeXTranslator

from . import __version__

#: Sphinx's column types (sphinxlatextables.sty), redefined with ``\raggedright``.
RAGGED_COLUMNS = r"""
% Table cells ragged right (book_ext.print_tables): Sphinx's width columns \X and \Y, and
% tabulary's T, which Sphinx makes justified (J).
\makeatletter
\newcolumntype{\X}[2]{>{\raggedright\arraybackslash}p{\dimexpr
      (\linewidth-\spx@arrayrulewidth)*#1/#2-\tw@\tabcolsep-\spx@arrayrulewidth\relax}}
\newcolumntype{\Y}[1]{>{\raggedright\arraybackslash}p{\dimexpr
      #1\dimexpr\linewidth-\spx@arrayrulewidth\relax-\tw@\tabcolsep-\spx@arrayrulewidth\relax}}
\newcolumntype{T}{L}
\makeatother
"""


#: After a row's end: no page break here.
NO_BREAK = r"\noalign{\nobreak}" + CR


def unbreakable_after(row: int, rows: int) -> bool:
    """Whether a page may not break after body row ``row`` (from 0) of ``rows``."""
    if rows <= 4:
        return row < rows - 1
    return row == 0 or row == rows - 2


class BookLaTeXTranslator(LaTeXTranslator):
    """Sphinx's LaTeX translator, with longtable rows that keep their neighbours."""

    def depart_row(self, node: nodes.row) -> None:
        mark = len(self.body)
        super().depart_row(node)
        body = node.parent
        if (self.table is None or not self.table.is_longtable() or not isinstance(body, nodes.tbody)
                or not unbreakable_after(body.index(node), len(body))):
            return
        if self.body[mark] != r"\\" + CR:
            raise RuntimeError("Sphinx's LaTeX writer no longer ends a table row as print_tables expects")
        self.body[mark] = r"\\" + CR + NO_BREAK


#: The labels of the tables set small in print.
SMALL_TABLES = "tab-codebook-"


def _small_tables(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    if app.builder.format != "latex":
        return
    for table in list(doctree.findall(nodes.table)):
        if any(name.startswith(SMALL_TABLES) for name in table.get("names", []) + table.get("ids", [])):
            parent, at = table.parent, table.parent.index(table)
            parent.insert(at + 1, nodes.raw("", "\\endgroup\n", format="latex"))
            parent.insert(at, nodes.raw("", "\\begingroup\\footnotesize\n", format="latex"))


def _preamble(app: Sphinx, config: Any) -> None:
    elements = dict(config.latex_elements)
    elements["preamble"] = elements.get("preamble", "") + RAGGED_COLUMNS
    config.latex_elements = elements


def setup(app: Sphinx) -> dict[str, Any]:
    app.set_translator("latex", BookLaTeXTranslator)
    app.connect("config-inited", _preamble, priority=600)
    app.connect("doctree-resolved", _small_tables)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
