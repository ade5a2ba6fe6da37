"""Sphinx extension: each figure's alt text travels into the PDF.

The web edition gives every figure alt text; the PDF, typeset by xelatex, cannot be tagged:
TeX Live 2022's tagging code (tagpdf 0.98a with ``\\DocumentMetadata{testphase=phase-II}``)
gives a xelatex document one /Document element and one /P for all its headings, paragraphs
and figures, has no later phase, and its graphicx takes no ``alt`` key. So each figure is
wrapped in a marked-content span carrying the alt text as ``/Alt`` (the accsupp package,
``method=pdfstringdef``, in Unicode), which PDF readers with assistive technology read in
place of the image, and the figure keeps its printed caption.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx

from . import __version__
from .pdf_parts import latex_escape

PREAMBLE = "\n% Figures' alt text as /Alt of a marked-content span (book_ext.print_alt).\n\\usepackage{accsupp}\n"


def alt_wrapping(alt: str) -> tuple[str, str]:
    """The LaTeX before and after an image whose alt text is ``alt``."""
    text = latex_escape(" ".join(alt.split()))
    return f"\\BeginAccSupp{{method=pdfstringdef,Alt={{{text}}}}}", "\\EndAccSupp{}"


def _wrap(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    if app.builder.format != "latex":
        return
    for image in list(doctree.findall(nodes.image)):
        alt = image.get("alt", "").strip()
        if not alt:
            continue
        before, after = alt_wrapping(alt)
        parent, at = image.parent, image.parent.index(image)
        parent.insert(at + 1, nodes.raw("", after, format="latex"))
        parent.insert(at, nodes.raw("", before, format="latex"))


def _preamble(app: Sphinx, config: Any) -> None:
    elements = dict(config.latex_elements)
    elements["preamble"] = elements.get("preamble", "") + PREAMBLE
    config.latex_elements = elements


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("config-inited", _preamble, priority=600)
    app.connect("doctree-resolved", _wrap)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
