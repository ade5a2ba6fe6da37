"""Sphinx extension: a sitemap and OpenGraph tags, only for a book with a public address.

When ``CITATION.cff`` gives the book's ``url``, the maintained extensions sphinx-sitemap
(``sitemap.xml``) and sphinxext-opengraph (``og:`` meta tags, without generated social
cards) are loaded and pointed at it. For a local build (no address) neither is loaded, so
no page claims an address it does not have. Both only write files and tags: the pages still
load nothing from other hosts.
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx
from sphinx.util import logging

from . import __version__

logger = logging.getLogger(__name__)


def _published(app: Sphinx, config: Any) -> None:
    url = config.book_metadata.get("url", "")
    if not url:
        return
    base = url.rstrip("/") + "/"
    app.setup_extension("sphinx_sitemap")
    app.setup_extension("sphinxext.opengraph")
    config.sitemap_url_scheme = "{link}"
    config.ogp_site_url = base
    config.ogp_site_name = config.book_metadata["title"]
    config.ogp_social_cards = {"enable": False}
    config.ogp_enable_meta_description = True
    logger.info("book_ext.site: sitemap and OpenGraph tags for %s", base)


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("book_ext.metadata")
    app.connect("config-inited", _published, priority=600)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
