"""Sphinx extension: give the PDF the book's parts, as the table of contents declares them.

Sphinx's LaTeX writer knows nothing of Jupyter Book's parts. When the whole book
has been assembled into one document for LaTeX, this extension inserts, before
the first file of each part:

* the part captioned ``book_front_matter_caption``: nothing but its numbering (the
  table of contents opens ``\\frontmatter``, so roman page numbers run on from it);
* any other part: ``\\mainmatter`` (once) and ``\\part{...}``, except an unnumbered part of
  one page (the conclusion), which stands as a chapter: a part page over a single chapter of
  the same name says nothing;
* numbering as the toc says: parts with ``numbered: true`` get chapter and section
  numbers and figures numbered by chapter (2.1); the others no chapter numbers, and
  figures and tables numbered afresh behind the part's letter (Fig. I.1, Table A.3), as
  ``book_ext.numbering`` numbers them in the HTML edition, so the two editions agree.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx

from . import __version__
from .numbering import part_letter
from .toc import Part, parts

_LATEX_SPECIAL = (("\\", r"\textbackslash{}"), ("&", r"\&"), ("%", r"\%"), ("#", r"\#"),
                  ("_", r"\_"), ("{", r"\{"), ("}", r"\}"), ("$", r"\$"))


def latex_escape(text: str) -> str:
    """``text`` as literal LaTeX (for a part's caption)."""
    for char, repl in _LATEX_SPECIAL:
        text = text.replace(char, repl)
    return text


def enter_unnumbered(letter: str) -> str:
    """Entering a part the toc does not number: no chapter or section numbers, and figures
    and tables numbered 1, 2, ... behind the part's letter (hyperref's anchors too, so that
    Fig. I.1 and Fig. A.1 are different destinations)."""
    latex = "\\setcounter{secnumdepth}{-1}\n"
    for counter in ("figure", "table"):
        latex += (f"\\counterwithout{{{counter}}}{{chapter}}\\setcounter{{{counter}}}{{0}}"
                  f"\\renewcommand{{\\the{counter}}}{{{letter}.\\arabic{{{counter}}}}}"
                  f"\\renewcommand{{\\theH{counter}}}{{{letter}.\\arabic{{{counter}}}}}\n")
    return latex


#: Entering a part the toc numbers: chapter and section numbers, figures numbered by chapter.
LEAVE_UNNUMBERED = (
    "\\counterwithin{figure}{chapter}\\counterwithin{table}{chapter}\n"
    "\\setcounter{secnumdepth}{1}\n"
)
#: Replaces Sphinx's table of contents, which switches to arabic page numbers after it.
TABLE_OF_CONTENTS = (
    "\\frontmatter\n\\renewcommand{\\contentsname}{Contents}\n"
    "\\begingroup\\setlength{\\parskip}{0pt}\\tableofcontents\\endgroup\n"
)


def part_markers(book_parts: list[Part], front: str, letters: dict[str, str]) -> dict[str, str]:
    """Map the first docname of each part to the LaTeX that must open it.

    Parts with ``numbered: true`` in the toc get numbered chapters and sections and
    figures numbered by chapter (1.1, 1.2); all other parts are unnumbered, each with
    its figures and tables numbered behind its letter, matching the HTML edition.
    """
    markers: dict[str, str] = {}
    in_main = False
    numbered_now = False
    for part in book_parts:
        if not part.docnames:
            continue
        latex = ""
        if part.caption != front and not in_main:
            latex += "\\mainmatter\n"
            in_main = True
        if part.numbered and not numbered_now:
            latex += LEAVE_UNNUMBERED
        elif not part.numbered:
            latex += enter_unnumbered(part_letter(part, letters))
        numbered_now = part.numbered
        if part.caption != front and (part.numbered or len(part.docnames) > 1):
            latex += f"\\part{{{latex_escape(part.caption)}}}\n"
        markers[part.docnames[0]] = latex
    return markers


def _insert_parts(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    if app.builder.format != "latex":
        return
    markers = part_markers(parts(app), app.config.book_front_matter_caption, app.config.book_part_letters)
    for start in list(doctree.findall(addnodes.start_of_file)):
        latex = markers.get(start["docname"])
        if latex:
            start.parent.insert(start.parent.index(start), nodes.raw("", latex, format="latex"))


def _front_matter_toc(app: Sphinx, config: Any) -> None:
    config.latex_elements = {**config.latex_elements, "tableofcontents": TABLE_OF_CONTENTS}


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("book_ext.numbering")  # book_part_letters, and the HTML's numbers
    app.add_config_value("book_front_matter_caption", "Front matter", "env")
    app.connect("config-inited", _front_matter_toc)
    app.connect("doctree-resolved", _insert_parts)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
