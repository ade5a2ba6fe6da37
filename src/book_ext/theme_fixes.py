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
  lists, and its links were too small to tap (``html_use_index`` off);
* the site's front door: sphinx-external-toc writes ``index.html`` as a bare refresh tag (no
  language, no title, no link for a browser that does not follow it); the book writes a
  small page of its own first (:func:`front_door`), which sphinx-external-toc then leaves.
"""

from __future__ import annotations

import html
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


def front_door(target: str, title: str) -> str:
    """The site's ``index.html``: a page in English, titled, that sends the reader to ``target``."""
    target, title = html.escape(target, quote=True), html.escape(title)
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8" />\n<title>{title}</title>\n'
            f'<meta http-equiv="Refresh" content="0; url={target}" />\n</head>\n<body>\n'
            f'<p><a href="{target}">{title}</a></p>\n</body>\n</html>\n')


def _front_door(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.name != "html" or app.config.root_doc == "index":
        return
    index = Path(app.outdir) / "index.html"
    index.write_text(front_door(f"{app.config.root_doc}.html", app.config.project), encoding="utf-8")


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
    app.connect("build-finished", _front_door, priority=400)  # before sphinx-external-toc and the CSP
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
