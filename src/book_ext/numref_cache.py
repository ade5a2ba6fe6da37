"""Sphinx extension: ``{numref}`` resolves without unpickling a page's doctree each time.

Sphinx's standard domain (pinned 7.4.7) unpickles the target page's whole doctree for every
``{numref}`` it resolves, only to look up one node and read its number and caption. The book
has about 90 of them, to some fifteen pages, and the PDF resolves each once more for the
chapter PDFs: some 3 s of unpickling per build. Here the domain reads each target page once
per build, for this lookup only (it does not change the tree); every other reader of doctrees
is untouched, and the copies are dropped when the build ends.
"""

from __future__ import annotations

import weakref
from typing import Any

from sphinx.application import Sphinx
from sphinx.domains.std import StandardDomain

from . import __version__

#: The doctrees read for numref lookups, per build environment.
_DOCTREES: weakref.WeakKeyDictionary[Any, dict[str, Any]] = weakref.WeakKeyDictionary()


def cache_numref_targets() -> bool:
    """Wrap ``StandardDomain._resolve_numref_xref`` once; True if it is wrapped."""
    original = StandardDomain.__dict__.get("_resolve_numref_xref")
    if original is None:
        return False
    if getattr(original, "book_cached", False):
        return True

    def resolve(self: StandardDomain, env: Any, *args: Any, **kwargs: Any) -> Any:
        cache = _DOCTREES.setdefault(env, {})
        read = type(env).get_doctree

        def cached(docname: str) -> Any:
            if docname not in cache:
                cache[docname] = read(env, docname)
            return cache[docname]

        env.get_doctree = cached  # for this lookup only: an instance attribute, removed below
        try:
            return original(self, env, *args, **kwargs)
        finally:
            del env.get_doctree

    resolve.book_cached = True  # type: ignore[attr-defined]
    StandardDomain._resolve_numref_xref = resolve  # type: ignore[method-assign]
    return True


def _forget(app: Sphinx, exception: Exception | None) -> None:
    _DOCTREES.pop(app.env, None)


def setup(app: Sphinx) -> dict[str, Any]:
    cache_numref_targets()
    app.connect("build-finished", _forget)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
