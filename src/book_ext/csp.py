"""Sphinx extension: a Content-Security-Policy on every HTML page, as defence in depth.

The book ships its own scripts and loads nothing from other hosts. After the HTML
is written, each page gets a ``<meta http-equiv="Content-Security-Policy">`` as
the first thing in its ``<head>``: scripts only from the book's own files plus
the page's own inline scripts, allowed one by one by their SHA-256 hash (the
theme writes a few); no plugins, no ``<base>``, no frames, forms only to the
book itself. A script that data text smuggled into a page would not run.

Inline event-handler attributes (``onclick=``...) cannot be allowed by hash in
every browser; a page with one is reported as a warning (an error under ``-W``).
Styles may be inline (the icon font's script injects them); they cannot run code.
``frame-ancestors`` and reporting need HTTP headers, which a folder of files lacks.
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.util import logging

from . import __version__

logger = logging.getLogger(__name__)

_INLINE = re.compile(r"<script\b(?![^>]*\bsrc\s*=)[^>]*>(.*?)</script>", re.S | re.I)
_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I)
_OLD = re.compile(r'\s*<meta http-equiv="Content-Security-Policy"[^>]*>')
_HEAD = re.compile(r"<head[^>]*>(\s*<meta charset=[^>]*>)?", re.I)


def policy(inline_scripts: list[str]) -> str:
    """The policy for a page with these inline scripts."""
    hashes = sorted({"'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'"
                     for s in inline_scripts})
    return "; ".join([
        "default-src 'self'",
        "script-src 'self' " + " ".join(hashes) if hashes else "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-src 'none'",
    ])


def protect(html: str) -> str:
    """``html`` with its policy as the first element of the head (replacing an older one)."""
    html = _OLD.sub("", html)
    meta = f'\n    <meta http-equiv="Content-Security-Policy" content="{policy(_INLINE.findall(html))}" />'
    head = _HEAD.search(html)
    if head is None:  # a bare page, such as Jupyter Book's redirect: the meta goes first
        return meta.lstrip() + "\n" + html.lstrip()
    return html[: head.end()] + meta + html[head.end():]


def _finished(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    out = Path(app.outdir)
    for page in sorted(out.rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        if _HANDLER.search(_INLINE.sub("", html)):
            logger.warning("%s has an inline event handler, which the page's CSP blocks",
                           page.relative_to(out), type="csp")
        page.write_text(protect(html), encoding="utf-8")


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("build-finished", _finished)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
