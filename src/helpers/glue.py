"""Glue a value into the running notebook for the book's ``{glue:text}`` roles.

myst-nb's own ``glue`` lives in a module that imports nbformat, whose schema validator
(through jsonschema's format checkers) costs every kernel about two seconds before the first
value is glued. This function writes the same display output that myst-nb's does, which
myst-nb reads back at build time (the ``application/papermill.record/`` bundle and the
``scrapbook`` metadata), without that import; a test checks the two against each other.
"""

from __future__ import annotations

from typing import Any

GLUE_PREFIX = "application/papermill.record/"


def glue(name: str, variable: Any, display: bool = True) -> None:
    """Store ``variable``'s display under ``name`` (shown as well if ``display``), as ``myst_nb.glue`` does."""
    from IPython.core.formatters import format_display_data
    from IPython.display import display as ipy_display

    mimebundle, metadata = format_display_data(variable)
    prefix = "" if display else GLUE_PREFIX
    metadata["scrapbook"] = dict(name=name, mime_prefix=prefix)
    ipy_display({prefix + k: v for k, v in mimebundle.items()}, raw=True, metadata=metadata)
