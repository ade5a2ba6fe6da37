"""The book's parts, from the table of contents Sphinx already holds (sphinx-external-toc).

Loaded as an extension by those that need it, for one setting: ``book_chapter_parts``, the
captions of the parts whose pages are the book's chapters (cited as chapters, each with a
PDF of its own); the chapters of a part the toc numbers are numbered 1, 2, ...
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sphinx.application import Sphinx

from . import __version__

#: The parts of a book whose pages are chapters, unless ``book_chapter_parts`` says otherwise.
CHAPTER_PARTS = ("Chapters", "Conclusion")


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


def chapter_parts(app: Sphinx) -> list[Part]:
    """The parts whose pages are the book's chapters (``book_chapter_parts``), in order."""
    captions = tuple(getattr(app.config, "book_chapter_parts", CHAPTER_PARTS))
    return [p for p in parts(app) if p.caption in captions]


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("book_chapter_parts", list(CHAPTER_PARTS), "env")
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
