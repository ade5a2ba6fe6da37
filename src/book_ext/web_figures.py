"""Sphinx extension: figures readable on a phone.

Every figure is drawn 6.3 inches wide, the PDF's text block, with text of at least 8 pt
(``helpers.plotting.legibility_faults``), which is 12 px at its own width on screen. Shrunk
into a phone's column (about 360 px) that text would be 6 px tall. On a narrow screen the
book keeps each figure at least 540 px wide, so that its smallest text stays above 9 px, and
lets it scroll sideways (``book.css``); under each figure a link says that a tap opens it at
full size (``static/book-figures.js``; the image itself links there without the script).
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx

from . import __version__, add_static_folder


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("config-inited", add_static_folder)
    app.add_js_file("book-figures.js", loading_method="defer")
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
