"""Sphinx extension: re-execute the notebooks when what they read changes.

jupyter-cache keys a notebook on its own code only, so a change to the data, the
helpers or the bibliography would leave stale outputs in the book. The files named
in ``book_execution_inputs`` are therefore fingerprinted on every build: when the
fingerprint changes the execution cache is cleared, and every notebook lists those
files as dependencies, so Sphinx reads it again and it is re-executed.

The build side (this package) is deliberately not an input: editing an extension
never re-runs a notebook.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.util import logging

from . import __version__

logger = logging.getLogger(__name__)

FINGERPRINT_FILE = "book-inputs.sha256"
DEFAULT_INPUTS = ["data", "src/helpers", "references.bib", "requirements.txt"]


def input_files(srcdir: Path, inputs: list[str]) -> list[Path]:
    """Every file under the given paths (files or folders), sorted, caches left out."""
    files: list[Path] = []
    for entry in inputs:
        path = srcdir / entry
        candidates = [path] if path.is_file() else sorted(path.rglob("*"))
        files += [
            f for f in candidates
            if f.is_file() and "__pycache__" not in f.parts and not f.name.endswith(".pyc")
        ]
    return files


def fingerprint(srcdir: Path, inputs: list[str]) -> str:
    """A SHA-256 over the names and contents of the execution inputs."""
    digest = hashlib.sha256()
    for f in input_files(srcdir, inputs):
        digest.update(str(f.relative_to(srcdir)).encode() + b"\0" + f.read_bytes() + b"\0")
    return digest.hexdigest()


def _cache_dir(app: Sphinx) -> Path:
    configured = getattr(app.config, "nb_execution_cache_path", "")
    return Path(configured) if configured else Path(app.outdir).parent / ".jupyter_cache"


def guard_cache(srcdir: Path, inputs: list[str], cache: Path) -> bool:
    """Clear the execution cache if the inputs changed since it was filled; True if cleared.

    Also called by ``scripts/execute.py`` before it fills the cache in parallel.
    """
    current = fingerprint(srcdir, inputs)
    stamp = cache / FINGERPRINT_FILE
    cleared = cache.exists() and (not stamp.exists() or stamp.read_text().strip() != current)
    if cleared:
        shutil.rmtree(cache)
    cache.mkdir(parents=True, exist_ok=True)
    if cleared or not stamp.exists():  # written only when it changes: the two builds may overlap
        stamp.write_text(current + "\n")
    return cleared


def _guard_cache(app: Sphinx, config: Any) -> None:
    cache = _cache_dir(app)
    if guard_cache(Path(app.srcdir), config.book_execution_inputs, cache):
        logger.info("[book] execution inputs changed: cleared %s; notebooks will be re-executed", cache)


def _note_inputs(app: Sphinx, docname: str, source: list[str]) -> None:
    """Make every executed notebook depend on the execution inputs."""
    if "kernelspec" not in source[0][:2000]:
        return
    for f in input_files(Path(app.srcdir), app.config.book_execution_inputs):
        app.env.note_dependency(str(f))


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("book_execution_inputs", DEFAULT_INPUTS, "env")
    app.connect("config-inited", _guard_cache)
    app.connect("source-read", _note_inputs)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
