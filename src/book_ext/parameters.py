"""Sphinx extension: the book is built at the data's own cut-off, whatever a notebook's last run set.

Each chapter's first code cell, tagged ``parameters``, sets ``cutoff = None``; the page that
answers a reader's own question sets its example question (``book_parameters`` in the book's
configuration lists each page's lines, the default being ``cutoff = None``). A reader who tries
another date in JupyterLab, in the book's own files rather than in the reader copies of ``make
lab``, could leave that cell changed, and the book would then be built, and published, as of
that date. The build refuses such a page, naming the file and the line.
"""

from __future__ import annotations

import re
from typing import Any

from sphinx.application import Sphinx
from sphinx.util import logging

from . import __version__

logger = logging.getLogger(__name__)

#: A MyST code cell whose options tag it ``parameters``, and its body.
_CELL = re.compile(r"^```\{code-cell\}[^\n]*\n((?::[^\n]*\n)+|---\n.*?\n---\n)(.*?)^```", re.M | re.S)
#: The setting every chapter is built with, unless ``book_parameters`` names the page.
DEFAULT = "cutoff = None"


def parameter_faults(text: str, allowed: list[str] | tuple[str, ...] = (DEFAULT,)) -> list[tuple[int, str]]:
    """``(line, assignment)`` for each line of a ``parameters`` cell that is not one of ``allowed``
    (comments and blank lines aside; lines counted from 1 in ``text``)."""
    faults = []
    for cell in _CELL.finditer(text):
        if "parameters" not in cell.group(1):
            continue
        first = text.count("\n", 0, cell.start(2)) + 1
        for offset, line in enumerate(cell.group(2).splitlines()):
            code = line.split("#", 1)[0].strip()
            if code and code not in allowed:
                faults.append((first + offset, code))
    return faults


def _check(app: Sphinx, docname: str, source: list[str]) -> None:
    docname = app.env.docname  # the page being read; Sphinx's logger turns it into the file's path
    allowed = app.config.book_parameters.get(docname, [DEFAULT])
    for line, code in parameter_faults(source[0], allowed):
        logger.error("the parameters cell sets %r; the book is built with %s (a run at another cut-off "
                     "belongs in make lab's reader copies or make run, not in the book's file)",
                     code, " and ".join(repr(a) for a in allowed), location=(docname, line), type="parameters")


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("book_parameters", {}, "env", types=[dict])
    app.connect("source-read", _check)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
