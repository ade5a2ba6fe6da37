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


def _nearest(name: str, marker: str) -> Path | None:
    """Outside the repository (helpers installed from the notebook kit's wheel): the nearest
    folder ``name`` holding ``marker``, from the working directory upwards."""
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / name / marker).is_file():
            return folder / name
    return None


def _kit_data() -> Path | None:
    return _nearest("data", "datapackage.json")


def chapters_dir() -> Path:
    """The chapters' MyST sources: the repository's ``chapters/``, else (the notebook kit) the
    nearest ``chapters/`` above the working directory."""
    if (REPO_ROOT / "chapters").is_dir():
        return REPO_ROOT / "chapters"
    return _nearest("chapters", "index.md") or REPO_ROOT / "chapters"


def data_dir(path: str | os.PathLike[str] | None = None) -> Path:
    """Return the data package folder: ``path``, else ``$CSTO_BOOK_DATA``, else the repository's
    ``data/``, else (the notebook kit) the nearest ``data/`` above the working directory."""
    if path is not None:
        return Path(path)
    if DATA_ENV in os.environ:
        return Path(os.environ[DATA_ENV])
    if (REPO_ROOT / "data" / "datapackage.json").is_file():
        return REPO_ROOT / "data"
    return _kit_data() or REPO_ROOT / "data"


def bib_path(path: str | os.PathLike[str] | None = None) -> Path:
    """Return the bibliography: ``path``, else ``$CSTO_BOOK_BIB``, else the repository's
    ``references.bib``, else (the notebook kit) the one in the data folder."""
    if path is not None:
        return Path(path)
    if BIB_ENV in os.environ:
        return Path(os.environ[BIB_ENV])
    if (REPO_ROOT / "references.bib").is_file():
        return REPO_ROOT / "references.bib"
    return data_dir() / "references.bib"


def display_path(path: Path) -> str:
    """A path as messages show it: relative to the repository when inside it."""
    try:
        return str(path.resolve().relative_to(REPO_ROOT))
    except ValueError:
        return str(path)
