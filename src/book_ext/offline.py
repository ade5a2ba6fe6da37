"""Sphinx extension: no page names a remote live-code service.

Jupyter Book adds the Thebe (live code) scripts, styles and a configuration naming a
Binder repository to every page, even with launch buttons off. This removes them.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx

from . import __version__


def _is_thebe(asset: Any) -> bool:
    name = str(getattr(asset, "filename", None) or asset or "")
    attrs = getattr(asset, "attributes", {}) or {}
    return "thebe" in name or attrs.get("type") == "text/x-thebe-config"


def _drop_thebe(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
                doctree: Any) -> None:
    """Remove live-code (Thebe) scripts and styles: the book launches nothing remote."""
    for key in ("script_files", "css_files"):
        if key in context:
            context[key] = [a for a in context[key] if not _is_thebe(a)]


def _drop_thebe_config(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Remove the raw Thebe configuration (a Binder repository) appended to each page."""
    for raw in list(doctree.findall(nodes.raw)):
        text = raw.astext()
        if "text/x-thebe-config" in text or text.startswith("<script>kernelName ="):
            raw.parent.remove(raw)


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("html-page-context", _drop_thebe, priority=900)
    app.connect("doctree-resolved", _drop_thebe_config, priority=900)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
