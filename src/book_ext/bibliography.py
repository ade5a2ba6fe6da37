"""Sphinx extension: the house citation style, and a fast no-op rebuild with a large bibliography.

* The style ``book`` is pybtex's plain style with titles as written, month names instead of
  numbers, no "(visited on ...)" after each address and no working notes (``note``). The plain style
  sentence-cases titles, which lowercases names and acronyms in a bibliography full
  of them (CSTO, Armenia, Pashinyan) unless every one is braced.
* sphinxcontrib-bibtex's ``BibtexDomain.env_updated`` formats the whole bibliography on
  every build, although the result is pickled with the environment. When no document
  is read (a no-op rebuild) nothing it depends on has changed: a changed ``.bib`` file
  makes the extension mark the citing documents as outdated, so they are read and the
  formatting runs again. sphinxcontrib-bibtex offers no setting for this, so the
  method is wrapped; the wrapper is tied to the pinned version (2.7.0) and tested
  (``tests/test_book_ext.py``). With any other version it is not applied and the
  build warns, which fails it under ``-W``, so the wrapper is reviewed, not trusted.
"""

from __future__ import annotations

from importlib.metadata import version
from typing import Any

from sphinx.application import Sphinx
from sphinx.util import logging

from . import __version__

logger = logging.getLogger(__name__)

#: Fields kept in ``references.bib`` for the audit (how an entry was checked, where a date came
#: from) but not printed: a reader's entry says what the work is and where to find it.
UNPRINTED = ("note", "annote")

#: The sphinxcontrib-bibtex release whose ``env_updated`` the wrapper was written for.
BIBTEX_VERSION = "2.7.0"


def register_style() -> None:
    """Register the pybtex formatting style ``book`` (once)."""
    import calendar

    import pybtex.plugin
    from pybtex.database import Entry
    from pybtex.style.formatting.plain import Style as PlainStyle
    from pybtex.style.template import field, optional, sentence

    class BookStyle(PlainStyle):  # type: ignore[misc]
        def format_title(self, e: Any, which_field: str, as_sentence: bool = True) -> Any:
            title = field(which_field)
            return sentence[title] if as_sentence else title

        def format_web_refs(self, e: Any) -> Any:
            # The address without "(visited on ...)": every address was consulted by the data's
            # cut-off date, which the Bibliography page says once.
            return sentence[optional[self.format_url(e)], optional[self.format_eprint(e)],
                            optional[self.format_pubmed(e)], optional[self.format_doi(e)]]

        def format_entry(self, label: str, entry: Any, bib_data: Any = None) -> Any:
            fields = {k: v for k, v in entry.fields.items() if k.lower() not in UNPRINTED}
            month = fields.get("month", "")
            if month.isdigit() and 1 <= int(month) <= 12:  # "10 2022" -> "October 2022"
                fields["month"] = calendar.month_name[int(month)]
            printed = Entry(entry.type, fields=fields, persons=entry.persons)
            printed.key = entry.key
            return super().format_entry(label, printed, bib_data)

    try:
        pybtex.plugin.find_plugin("pybtex.style.formatting", "book")
    except pybtex.plugin.PluginNotFound:
        pybtex.plugin.register_plugin("pybtex.style.formatting", "book", BookStyle)


def reuse_formatted_citations() -> bool:
    """Wrap ``BibtexDomain.env_updated`` to skip re-formatting on a no-op rebuild; True if applied."""
    from sphinxcontrib.bibtex.domain import BibtexDomain

    if version("sphinxcontrib-bibtex") != BIBTEX_VERSION:
        return False
    original = BibtexDomain.env_updated
    if getattr(original, "book_reuses_citations", False):
        return True

    def env_updated(self: Any) -> Any:
        if getattr(self.env, "book_docs_read", None) == 0 and self.citations:
            return []
        return env_updated.book_original(self)  # type: ignore[attr-defined]

    env_updated.book_reuses_citations = True  # type: ignore[attr-defined]
    env_updated.book_original = original  # type: ignore[attr-defined]
    BibtexDomain.env_updated = env_updated
    return True


def _note_reading(app: Sphinx, env: Any, docnames: list[str]) -> None:
    env.book_docs_read = len(docnames)


def _warn_if_not_applied(app: Sphinx, config: Any) -> None:
    if not app.book_reuses_citations:  # type: ignore[attr-defined]
        logger.warning("sphinxcontrib-bibtex is not version %s: the book's no-op-rebuild wrapper was not "
                       "applied (see book_ext/bibliography.py)", BIBTEX_VERSION, type="book")


def setup(app: Sphinx) -> dict[str, Any]:
    register_style()
    app.book_reuses_citations = reuse_formatted_citations()  # type: ignore[attr-defined]
    app.connect("config-inited", _warn_if_not_applied)
    app.connect("env-before-read-docs", _note_reading)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
