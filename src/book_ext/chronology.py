"""Sphinx extension: the Chronology's filters in HTML, by theme, kind of event and state.

The kernel side (``helpers.chronology_markdown``) classes each entry by its theme, kind and
states and writes, for HTML only, the list of those classes with their names. A plain script
bundled with the book (``static/book-chronology.js``, no remote code, allowed by the pages'
Content-Security-Policy) turns that list into three menus that show or hide entries, and the
years left empty; it works from a local folder. Without the script, or in print, every event
is listed. The menus' names come from the page, as text: nothing is inserted as markup.
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx

from . import __version__, add_static_folder


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("config-inited", add_static_folder)
    app.add_css_file("book-chronology.css")
    app.add_js_file("book-chronology.js", loading_method="defer")
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
