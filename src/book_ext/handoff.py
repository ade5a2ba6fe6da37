"""Sphinx extension: the pages one builder read are written by the HTML builder that follows it.

``make book`` reads the pages once, in the LaTeX build, and the HTML build that follows
(while the PDFs are typeset) loads the same environment and reads none. Sphinx's HTML
builder writes the pages whose source is newer than their HTML and those its own run
read or found affected; a page the LaTeX build read because a notebook, the data or the
bibliography changed (its source untouched), or rewrote because a number or a citation
label it shows changed, would keep its old HTML.

So every builder other than HTML records, before it writes, the pages Sphinx counted as
updated in its run (read, or affected by what was read) in the doctree folder, the
environment's own; the record is added to before writing, so a failed write keeps it.
The HTML build writes those pages too (Sphinx's ``env-updated`` event) and clears the
record once it has written them.

Sphinx saves the environment once the pages are read, before it writes; from then on the
LaTeX build only reads it. The record written, this extension says so (:data:`READY`).
``scripts/book.py`` starts the HTML build beside the LaTeX build's reading, with
``BOOK_HANDOFF_WAIT`` naming a file it creates on that word: the HTML build loads its
extensions and then waits for the file before it loads the environment, so that its
start-up takes the core the reading leaves idle.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util import logging

from . import __version__

logger = logging.getLogger(__name__)

#: In Sphinx's doctree folder: pages updated by another builder that the HTML build has not written.
PENDING = "book-pending-html.json"
#: Logged by a non-HTML build once the environment is saved and the record written.
READY = "[handoff] the pages are read and the environment is saved: the HTML build may start"


def pending(doctreedir: str | Path) -> set[str]:
    """The pages updated since the HTML build last wrote (empty if none are recorded)."""
    path = Path(doctreedir) / PENDING
    try:
        return set(json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        return set()
    except (OSError, ValueError) as error:
        # A record that cannot be read names no page: every page is written again, not none.
        logger.warning("%s could not be read (%s): every page is written again", path, error, type="book")
        return {"*"}


def add_pending(doctreedir: str | Path, docnames: Iterable[str]) -> None:
    names = pending(doctreedir) | set(docnames)
    path = Path(doctreedir) / PENDING
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    partial.write_text(json.dumps(sorted(names), indent=0), encoding="utf-8")
    partial.replace(path)  # whole or not at all: another build may read it


#: How long a build told to wait for the environment waits before it gives up.
WAIT_SECONDS = 3600


def _wait_for_environment(app: Sphinx, config: Any) -> None:
    """With ``BOOK_HANDOFF_WAIT`` set, wait for that file before Sphinx loads the environment."""
    signal = os.environ.get("BOOK_HANDOFF_WAIT")
    if not signal:
        return
    deadline = time.monotonic() + WAIT_SECONDS
    while not Path(signal).exists():
        if time.monotonic() > deadline:
            raise ExtensionError(f"book_ext.handoff: {signal} did not appear in {WAIT_SECONDS} s")
        time.sleep(0.05)


def _record_before_writing(app: Sphinx) -> None:
    """Wrap a non-HTML builder's ``write`` to record the pages updated in its run."""
    if app.builder.format == "html":
        return
    builder = app.builder
    original = builder.write

    def write(build_docnames: Any, updated_docnames: Any = (), *args: Any, **kwargs: Any) -> Any:
        if updated_docnames:
            add_pending(app.doctreedir, updated_docnames)
        logger.info(READY)
        return original(build_docnames, updated_docnames, *args, **kwargs)

    builder.write = write  # type: ignore[method-assign]


def _write_pending(app: Sphinx, env: Any) -> list[str]:
    """For the HTML builder: the pages another builder updated, to be written in this run."""
    if app.builder.format != "html":
        return []
    names = pending(app.doctreedir)
    if "*" in names:
        return sorted(env.found_docs)
    return sorted(names & env.found_docs)


def _clear(app: Sphinx, exception: Exception | None) -> None:
    if exception is None and app.builder.format == "html":
        (Path(app.doctreedir) / PENDING).unlink(missing_ok=True)


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("config-inited", _wait_for_environment, priority=100)  # before Sphinx loads it
    app.connect("builder-inited", _record_before_writing)
    app.connect("env-updated", _write_pending)
    app.connect("build-finished", _clear)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
