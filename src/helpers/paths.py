"""Where the book's data package and bibliography live."""

from __future__ import annotations

import os
from pathlib import Path

#: The repository root (``src/helpers/paths.py`` -> two levels up from ``src``).
REPO_ROOT = Path(__file__).resolve().parents[2]

#: Environment variable that points the helpers at another data folder (tests use it).
DATA_ENV = "CSTO_BOOK_DATA"
#: Environment variable that points the helpers at another BibTeX file.
BIB_ENV = "CSTO_BOOK_BIB"


def data_dir(path: str | os.PathLike[str] | None = None) -> Path:
    """Return the data package folder: ``path``, else ``$CSTO_BOOK_DATA``, else ``data/``."""
    if path is not None:
        return Path(path)
    return Path(os.environ.get(DATA_ENV, REPO_ROOT / "data"))


def bib_path(path: str | os.PathLike[str] | None = None) -> Path:
    """Return the bibliography: ``path``, else ``$CSTO_BOOK_BIB``, else ``references.bib``."""
    if path is not None:
        return Path(path)
    return Path(os.environ.get(BIB_ENV, REPO_ROOT / "references.bib"))


def display_path(path: Path) -> str:
    """A path as messages show it: relative to the repository when inside it."""
    try:
        return str(path.resolve().relative_to(REPO_ROOT))
    except ValueError:
        return str(path)
