"""Sphinx extension: ``CITATION.cff`` is the one place for the book's title, authors, version and date.

It is read once, when the configuration is ready, into ``book_metadata`` (a config
value other extensions read: title, authors, version, release date, and the optional
``url`` (the book's public address), ``doi``, ``repository-code`` and ``license``), the MyST
substitutions ``book_title``, ``version``, ``year`` and ``release_date``, Sphinx's
``version``, ``release`` and ``today`` (the date printed in the PDF: the release date, not
the build date), and, where the address is set, ``html_baseurl`` (canonical links).

``book_metadata`` also says what the build is (:mod:`book_ext.release_record`): ``label``, the
version as every page and citation names it ("0.2.0", or "0.2.0, with changes since:
development build of commit abc1234" when the sources are not the recorded release's),
``locator`` (the release or development build and its commit) and ``is_release``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml
from sphinx.application import Sphinx
from sphinx.errors import ConfigError

from . import __version__
from .release_record import release_state


def long_date(date: dt.date) -> str:
    """A date as the book writes it in prose: 6 January 2022."""
    return f"{date.day} {date:%B %Y}"


def read_citation_file(srcdir: Path) -> dict[str, Any]:
    """Title, authors, version, date and address of the book, from ``CITATION.cff``."""
    path = srcdir / "CITATION.cff"
    if not path.exists():
        raise ConfigError(f"{path}: the book's title, version and date are read from this file")
    cff = yaml.safe_load(path.read_text(encoding="utf-8"))
    released = cff["date-released"]
    date = released if isinstance(released, dt.date) else dt.date.fromisoformat(str(released))
    authors = [a.get("name") or f"{a.get('given-names', '')} {a.get('family-names', '')}".strip()
               for a in cff["authors"]]
    return {"title": cff["title"], "authors": authors, "version": str(cff["version"]),
            "date": date, "url": str(cff.get("url", "") or ""), "doi": str(cff.get("doi", "") or ""),
            "repository": str(cff.get("repository-code", "") or ""), "license": str(cff.get("license", "") or "")}


def build_metadata(srcdir: Path) -> dict[str, Any]:
    """:func:`read_citation_file`, with what the build is: ``label``, ``locator``, ``is_release``, ``commit``."""
    meta = read_citation_file(srcdir)
    state = release_state(srcdir, meta["version"])
    return meta | {"label": state.label, "locator": state.locator, "is_release": state.is_release,
                   "commit": state.commit}


def _config_inited(app: Sphinx, config: Any) -> None:
    meta = build_metadata(Path(app.srcdir))
    config.book_metadata = meta
    config.myst_substitutions = {
        **(config.myst_substitutions or {}),
        "version": meta["label"], "year": str(meta["date"].year), "book_title": meta["title"],
        "release_date": long_date(meta["date"]),
    }
    config.version = meta["version"]
    config.release = meta["label"]
    # The PDF's date is the release's, never the build's: the same release builds the same book.
    config.today = long_date(meta["date"])
    if meta["url"]:
        config.html_baseurl = meta["url"].rstrip("/") + "/"


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("book_metadata", {}, "")
    app.connect("config-inited", _config_inited)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
