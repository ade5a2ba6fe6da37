"""Read the citation keys and locators of ``references.bib`` (no full BibTeX parse needed)."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from .paths import bib_path

_ENTRY = re.compile(r"^\s*@(\w+)\s*[{(]\s*([^,\s]+)\s*,", re.MULTILINE)
_NOT_ENTRIES = {"comment", "string", "preamble"}
_LOCATOR = re.compile(r"(?:^|[,{\s])(url|pages)\s*=", re.IGNORECASE)


def _entries(text: str) -> dict[str, str]:
    """Map each citation key to the text of its entry."""
    matches = [m for m in _ENTRY.finditer(text) if m.group(1).lower() not in _NOT_ENTRIES]
    out: dict[str, str] = {}
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        out[m.group(2)] = text[m.start() : end]
    return out


@lru_cache(maxsize=8)
def _cached(path: str, mtime: float) -> dict[str, str]:
    return _entries(Path(path).read_text(encoding="utf-8"))


def bib_entries(path: str | Path | None = None) -> dict[str, str]:
    """Return ``{key: entry text}`` for every entry in the bibliography."""
    p = bib_path(path)
    return _cached(str(p), p.stat().st_mtime)


def bib_keys(path: str | Path | None = None) -> frozenset[str]:
    """Return the set of citation keys defined in the bibliography."""
    return frozenset(bib_entries(path))


def keys_without_locator(path: str | Path | None = None) -> list[str]:
    """Return the keys whose entry has neither a ``url`` nor a ``pages`` field."""
    return sorted(k for k, text in bib_entries(path).items() if not _LOCATOR.search(text))
