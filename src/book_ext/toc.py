"""The book's parts, from the table of contents Sphinx already holds (sphinx-external-toc)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sphinx.application import Sphinx


@dataclass(frozen=True)
class Part:
    """One part of the book: its caption, whether the toc numbers it, and its documents."""

    caption: str
    numbered: bool
    docnames: tuple[str, ...]


def parts_of(site_map: Any) -> list[Part]:
    """The parts of a sphinx-external-toc site map, in order (empty without one)."""
    if site_map is None:
        return []
    return [Part(tree.caption or "", bool(tree.numbered), tuple(tree.files()))
            for tree in site_map.root.subtrees]


def parts(app: Sphinx) -> list[Part]:
    """The book's parts, from the environment (or, before it exists, the configuration)."""
    env = getattr(app, "env", None)
    site_map = getattr(env, "external_site_map", None) or getattr(app.config, "external_site_map", None)
    return parts_of(site_map)
