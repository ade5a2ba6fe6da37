"""Sphinx extension: the theme's faults that harm readers, mended where the book can reach them.

Each mend is listed in the register of third-party patches (``CONTRIBUTING.md``) with the
test that fails when the upstream fix arrives:

* the sidebar buttons: pydata-sphinx-theme 0.17 and sphinx-book-theme 1.3 bind the menu and
  "Contents" buttons' handlers to the first of two buttons of each kind, which is hidden, so
  the visible ones did nothing below 960 px (``static/book-nav.js`` passes their clicks on);
* the search and colour-mode buttons: their accessible names did not contain their visible
  text (``templates/``, the book's copies of the two components);
* the folded code cells: myst-nb names each toggle "Toggle hidden content" whatever it
  shows, so the name comes from what it says instead ("Show code cell source");
* the Bibliography: docutils marks each entry with the deprecated role ``doc-biblioentry``
  inside a ``list``; the entries become ``listitem`` s;
* no general index page: its only entries are the glossary's terms, which the Glossary
  lists, and its links were too small to tap (``html_use_index`` off).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config

from . import __version__, add_static_folder

#: The book's copies of theme components (Jinja templates), found before the theme's own.
TEMPLATES = Path(__file__).with_name("templates")

#: Text the HTML writers of myst-nb and docutils put in every page body, and its mend.
BODY_MENDS = (
    ('<summary aria-label="Toggle hidden content">', "<summary>"),
    ('role="doc-biblioentry"', 'role="listitem"'),
)


def mend_body(body: str) -> str:
    """The page body with :data:`BODY_MENDS` applied."""
    for old, new in BODY_MENDS:
        body = body.replace(old, new)
    return body


def _templates(app: Sphinx, config: Config) -> None:
    if str(TEMPLATES) not in map(str, config.templates_path):
        config.templates_path = [str(TEMPLATES), *config.templates_path]
    config.html_use_index = False


def _page(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    if "body" in context:
        context["body"] = mend_body(context["body"])


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("config-inited", add_static_folder)
    app.connect("config-inited", _templates)
    app.add_js_file("book-nav.js", loading_method="defer")
    app.connect("html-page-context", _page)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
