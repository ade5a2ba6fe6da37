"""Sphinx extension: the house citation style, and a fast no-op rebuild with a large bibliography.

* Author–year labels that name one work each. A work is cited by its authors' last names
  (an organisation's name when no person signed it) and its year; works that would share a
  label get year suffixes, "TASS 2022a", "TASS 2022b", in the Bibliography's order. The label
  is made once (:func:`labels`) and used everywhere: the Bibliography prints it and sorts by
  it (one alphabetical run, persons and organisations together), the text cites it,
  "(TASS 2022a; Ambrosio 2024)" and "Ambrosio (2024)" (the referencing style ``book``), and
  the downloaded notebooks write it (``book_ext.notebooks``).
* The formatting style ``book`` is pybtex's plain style with titles as written, month names instead of
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
* Formatted entries are kept in the doctree folder under everything their text depends
  on, and used by the next build. ``make book`` also formats them beforehand, in a
  process of its own while the pages are read (:func:`preformat`); the build merges what
  is ready when it formats, and formats the rest itself.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from importlib.metadata import version
from pathlib import Path
from string import ascii_lowercase
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


def _plain(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[{}\\]", "", text)).strip()


def author_year(entry: Any) -> tuple[str, str]:
    """The names and the year, without suffix, that cite a pybtex ``entry``: ("Ambrosio", "2024").

    One person or organisation by name, two joined by "and", three or more as the first
    "et al."; with no author or editor, the organisation, publisher or title.
    """
    persons = entry.persons.get("author") or entry.persons.get("editor") or []
    names = [_plain(" ".join(p.prelast_names + p.last_names)) for p in persons]
    if not names:
        names = [_plain(entry.fields[k]) for k in ("organization", "publisher", "institution")
                 if entry.fields.get(k)][:1] or [_plain(entry.fields.get("title", "?"))]
    who = names[0] if len(names) == 1 else (f"{names[0]} and {names[1]}" if len(names) == 2
                                            else f"{names[0]} et al.")
    year = _plain(entry.fields.get("year") or entry.fields.get("date", "")[:4]) or "n.d."
    return who, year


def _fold(text: str) -> str:
    """Text for sorting: accents dropped, case folded."""
    return "".join(c for c in unicodedata.normalize("NFKD", _plain(text))
                   if not unicodedata.combining(c)).casefold()


def sort_key(entry: Any) -> tuple[str, str, str, str]:
    """The Bibliography's order: author (as written), year, title, key; one alphabetical run.

    ``helpers.chapter.sources_list`` orders a chapter's list by the same key (a test compares
    the orders in the built book).
    """
    persons = entry.persons.get("author") or entry.persons.get("editor") or []
    # A person's str() is the name as references.bib writes it ("Polezhay, Tatyana", "{TASS}").
    who = " and ".join(str(p) for p in persons) or author_year(entry)[0]
    return (_fold(who), _plain(entry.fields.get("year", "")), _fold(entry.fields.get("title", "")), entry.key)


def _suffix(i: int) -> str:
    """a, b, ..., z, aa, ab, ...: the i-th (from 0) suffix of a label shared by several works."""
    return ascii_lowercase[i] if i < 26 else _suffix(i // 26 - 1) + ascii_lowercase[i % 26]


def labels(entries: Iterable[Any]) -> dict[str, tuple[str, str]]:
    """Each entry's citation label as (names, year with suffix), unique across ``entries``.

    The works sharing names and year are suffixed a, b, ... in :func:`sort_key` order; the
    suffix follows "n.d." after a hyphen ("n.d.-a").
    """
    ordered = sorted(entries, key=sort_key)
    plain = {e.key: author_year(e) for e in ordered}
    shared = Counter(plain.values())
    seen: defaultdict[tuple[str, str], int] = defaultdict(int)
    out: dict[str, tuple[str, str]] = {}
    for e in ordered:
        who, year = plain[e.key]
        if shared[who, year] > 1:
            suffix = _suffix(seen[who, year])
            seen[who, year] += 1
            year = f"{year}-{suffix}" if year == "n.d." else year + suffix
        out[e.key] = (who, year)
    return out


def label_text(who: str, year: str) -> str:
    """The label as the Bibliography prints it and a parenthetical citation shows it: "TASS 2022a"."""
    return f"{who} {year}"


def split_label(label: str) -> tuple[str, str]:
    """A label back into names and year ("TASS 2022a" -> ("TASS", "2022a")); the year has no space."""
    who, _, year = label.rpartition(" ")
    return who, year


def register_style() -> None:
    """Register the pybtex styles ``book`` (formatting and labels) and the referencing style ``book``."""
    import calendar

    import pybtex.plugin
    from pybtex.database import Entry
    from pybtex.style.formatting.plain import Style as PlainStyle
    from pybtex.style.labels import BaseLabelStyle
    from pybtex.style.sorting import BaseSortingStyle
    from pybtex.style.template import field, optional, sentence

    class BookLabelStyle(BaseLabelStyle):  # type: ignore[misc]
        def format_labels(self, sorted_entries: Iterable[Any]) -> Iterator[str]:
            entries = list(sorted_entries)
            made = labels(entries)
            for entry in entries:
                yield label_text(*made[entry.key])

    class BookSortingStyle(BaseSortingStyle):  # type: ignore[misc]
        def sorting_key(self, entry: Any) -> tuple[str, str, str, str]:
            return sort_key(entry)

    class BookStyle(PlainStyle):  # type: ignore[misc]
        default_label_style = "book"
        default_sorting_style = "book"

        def format_title(self, e: Any, which_field: str, as_sentence: bool = True) -> Any:
            title = field(which_field)
            return sentence[title] if as_sentence else title

        def get_online_template(self, e: Any) -> Any:
            # BibTeX's standard styles know no @online; a web page prints as @misc does.
            return self.get_misc_template(e)

        def format_web_refs(self, e: Any) -> Any:
            # The address without "(visited on ...)": every address was consulted by the data's
            # cut-off date, which the Bibliography page says once.
            return sentence[optional[self.format_url(e)], optional[self.format_eprint(e)],
                            optional[self.format_pubmed(e)], optional[self.format_doi(e)]]

        def format_entry(self, label: str, entry: Any, bib_data: Any = None) -> Any:
            key = formatting_key(label, entry)
            if key not in FORMATTED:
                FORMATTED[key] = self._format_entry(label, entry, bib_data)
            FORMATTED_USED.add(key)
            return FORMATTED[key]

        def _format_entry(self, label: str, entry: Any, bib_data: Any = None) -> Any:
            fields = {k: v for k, v in entry.fields.items() if k.lower() not in UNPRINTED}
            month = fields.get("month", "")
            if month.isdigit() and 1 <= int(month) <= 12:  # "10 2022" -> "October 2022"
                fields["month"] = calendar.month_name[int(month)]
            printed = Entry(entry.type, fields=fields, persons=entry.persons)
            printed.key = entry.key
            return super().format_entry(label, printed, bib_data)

    # sphinxcontrib-bibtex looks up the "plaintext" backend for every citation it resolves,
    # and pybtex finds an installed plugin by scanning every installed package's entry points:
    # about 40 ms a citation, some 90 s over the book's 2,300 citations, in each builder.
    # Registered under that name at run time, it is found at once.
    from pybtex.backends.plaintext import Backend as PlainTextBackend

    for group, style in (("pybtex.style.labels", BookLabelStyle), ("pybtex.style.sorting", BookSortingStyle),
                         ("pybtex.style.formatting", BookStyle), ("pybtex.backends", PlainTextBackend)):
        name = "plaintext" if group == "pybtex.backends" else "book"
        if name not in pybtex.plugin._RUNTIME_PLUGINS.get(group, {}):
            # force: "plaintext" is also an installed entry point (the same class), which a
            # runtime registration may only shadow when forced.
            pybtex.plugin.register_plugin(group, name, style, force=group == "pybtex.backends")
    register_reference_style()


def register_reference_style() -> None:
    """Register sphinxcontrib-bibtex's referencing style ``book``: the labels in the text.

    ``{cite:p}`` gives "(TASS 2022a; Ambrosio 2024)", semicolons between works, the label
    linked; ``{cite:t}`` gives "Ambrosio (2024)", the year linked. Both read the label the
    Bibliography prints, so text and list cannot disagree.
    """
    from dataclasses import dataclass
    from dataclasses import field as dc_field

    import sphinxcontrib.bibtex.plugin as bibtex_plugin
    from pybtex.richtext import Text
    from sphinxcontrib.bibtex.style.referencing import BaseReferenceStyle, BracketStyle, GroupReferenceStyle
    from sphinxcontrib.bibtex.style.referencing.extra_empty import ExtraEmptyReferenceStyle
    from sphinxcontrib.bibtex.style.template import entry_label, join, join2, node, post_text, pre_text, reference

    @node
    def label_names(children: Any, data: dict[str, Any]) -> Any:
        return Text(split_label(data["formatted_entry"].label)[0])

    @node
    def label_year(children: Any, data: dict[str, Any]) -> Any:
        return Text(split_label(data["formatted_entry"].label)[1])

    brackets = BracketStyle(left="(", right=")", sep="; ")

    @dataclass
    class Parenthetical(BaseReferenceStyle):  # type: ignore[misc]
        def role_names(self) -> Iterable[str]:
            return ["p", "ps", "alp", "alps"]

        def outer(self, role_name: str, children: list[Any]) -> Any:
            return brackets.outer(children, brackets="al" not in role_name, capfirst=False)

        def inner(self, role_name: str) -> Any:
            return join2(sep1=" ", sep2=", ")[pre_text, reference[entry_label], post_text]

    @dataclass
    class Textual(BaseReferenceStyle):  # type: ignore[misc]
        def role_names(self) -> Iterable[str]:
            return ["t", "ts", "ct", "cts"]

        def outer(self, role_name: str, children: list[Any]) -> Any:
            return brackets.outer(children, brackets=False, capfirst="c" in role_name)

        def inner(self, role_name: str) -> Any:
            return join(sep=" ")[label_names,
                                 join["(", join2(sep1=" ", sep2=", ")[pre_text, reference[label_year], post_text], ")"]]

    @dataclass
    class BookReferenceStyle(GroupReferenceStyle):  # type: ignore[misc]
        styles: list[Any] = dc_field(default_factory=list)

        def __post_init__(self) -> None:
            self.styles.extend([Parenthetical(), Textual(), ExtraEmptyReferenceStyle()])
            super().__post_init__()

    group = "sphinxcontrib.bibtex.style.referencing"
    try:
        bibtex_plugin.find_plugin(group, "book")
    except ImportError:
        bibtex_plugin.register_plugin(group, "book", BookReferenceStyle)


#: Entries formatted by the house style, by :func:`formatting_key`: an entry is formatted once
#: per build (sphinxcontrib-bibtex asks twice, for the entry and its tooltip) and, kept in the
#: build's doctree folder, not again while it and its label are unchanged (about 8 s a build).
FORMATTED: dict[tuple[Any, ...], Any] = {}
FORMATTED_USED: set[tuple[Any, ...]] = set()
#: The file of the kept entries, in Sphinx's doctree folder; it names this module's own code,
#: so that a change to the style formats every entry again.
FORMATTED_FILE = "book-bibtex-formatted.pickle"


def formatting_key(label: str, entry: Any) -> tuple[Any, ...]:
    """Everything the formatted text of ``entry`` depends on: its label, type, fields and names."""
    persons = tuple((role, tuple(str(p) for p in people)) for role, people in sorted(entry.persons.items()))
    return (label, entry.type, entry.key, tuple(sorted((k, str(v)) for k, v in entry.fields.items())), persons)


def _code_fingerprint() -> str:
    return hashlib.sha256(Path(__file__).read_bytes() + version("pybtex").encode()).hexdigest()


def _kept(doctreedir: str | Path) -> dict[tuple[Any, ...], Any]:
    """The entries kept in the doctree folder, if this module's code formatted them; else none."""
    try:
        code, kept = pickle.loads((Path(doctreedir) / FORMATTED_FILE).read_bytes())
    except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError, ImportError):
        return {}
    return kept if code == _code_fingerprint() else {}


def _load_formatted(app: Sphinx) -> None:
    FORMATTED.clear()
    FORMATTED_USED.clear()
    FORMATTED.update(_kept(app.doctreedir))


def _merge_kept(doctreedir: str | Path) -> None:
    """Add the entries kept in the doctree folder to :data:`FORMATTED` (those :func:`preformat`
    may have written since the build started)."""
    for key, value in _kept(doctreedir).items():
        FORMATTED.setdefault(key, value)


def preformat(bibfiles: Iterable[str | Path], doctreedir: str | Path) -> int:
    """Format every entry of ``bibfiles`` in the house style and keep them for the build; the
    count formatted (none when the kept entries are newer than the bibliography and this code).

    ``scripts/book.py`` runs this in a process of its own while the LaTeX build reads the pages,
    so that the build, which formats the bibliography once all pages are read, finds the
    entries formatted. An entry is kept under everything its text depends on
    (:func:`formatting_key`, its label included), so an entry formatted here with a label the
    build does not give it is never used: the build formats it itself.
    """
    import pybtex.plugin
    from pybtex.database.input.bibtex import Parser

    kept = Path(doctreedir) / FORMATTED_FILE
    sources = [Path(f) for f in bibfiles]
    if kept.exists() and all(f.stat().st_mtime < kept.stat().st_mtime for f in [*sources, Path(__file__)]):
        return 0
    register_style()
    entries = {key: entry for f in sources for key, entry in Parser().parse_file(str(f)).entries.items()}
    made = labels(entries.values())
    _merge_kept(doctreedir)
    style = pybtex.plugin.find_plugin("pybtex.style.formatting", "book")()
    for entry in entries.values():
        style.format_entry(label_text(*made[entry.key]), entry)
    _write_kept(doctreedir, {k: FORMATTED[k] for k in FORMATTED_USED})
    return len(entries)


def _write_kept(doctreedir: str | Path, kept: dict[tuple[Any, ...], Any]) -> None:
    path = Path(doctreedir) / FORMATTED_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(f".partial-{os.getpid()}")
    partial.write_bytes(pickle.dumps((_code_fingerprint(), kept)))
    partial.replace(path)  # whole or not at all: builds and preformat may overlap


def _save_formatted(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or not FORMATTED_USED:
        return
    _write_kept(app.doctreedir, {k: FORMATTED[k] for k in FORMATTED_USED if k in FORMATTED})


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
        _merge_kept(self.env.doctreedir)  # what preformat kept while the pages were read
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
    app.connect("builder-inited", _load_formatted)
    app.connect("build-finished", _save_formatted)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
