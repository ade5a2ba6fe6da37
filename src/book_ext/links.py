"""Sphinx extension: external links point where they are written.

myst-parser (pinned 3.0.1) stores a link's address HTML-escaped (``&`` as ``&amp;``) in the
document tree, and the HTML writer escapes it again, so an address with a query string
(``?module=news&action=view``) is published as ``&amp;amp;`` and leads nowhere; the PDF
gets ``&amp;`` too. This transform unescapes the addresses of external links once, after
parsing, so that every writer escapes them exactly once. It is tied to the pinned
myst-parser release: ``tests/test_book_ext.py`` checks the double escaping still happens
without it (so the transform is removed when myst-parser fixes it).

A link whose text is a web address also keeps that text as written: Sphinx's smart quotes
would turn a punycode host's ``xn--`` into ``xn–`` (an en dash), a different address.
"""

from __future__ import annotations

import html
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform

from . import __version__


class UnescapeLinkAddresses(SphinxTransform):
    """``&amp;`` (and other entities) in an external link's address back to the characters."""

    default_priority = 100

    def apply(self, **kwargs: Any) -> None:
        for node in self.document.findall(nodes.reference):
            uri = node.get("refuri", "")
            if "&" in uri and "://" in uri:
                node["refuri"] = html.unescape(uri)
            if node.astext().startswith(("http://", "https://")):
                node["support_smartquotes"] = False  # an address shown as text stays as written


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_transform(UnescapeLinkAddresses)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
