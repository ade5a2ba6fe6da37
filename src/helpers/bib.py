"""Read ``references.bib`` strictly, with pybtex: for validation, and the entries for the chapters.

:func:`read_bib` parses the file as BibTeX with pybtex in strict mode and reports
every fault on one located line: a missing or non-UTF-8 file, a byte-order mark,
an entry cut off or with unbalanced braces, text outside any entry, an entry
defined twice, a control character anywhere (a key, a field, between fields), an entry
whose head is not ``@type{key,``, an entry inside ``@comment`` (which BibTeX and pybtex
read differently), an address that is not ``http(s)``. An entry's locator is a non-empty
``url`` or ``pages``.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pybtex.errors
from pybtex.database.input import bibtex
from pybtex.scanner import PybtexError, PybtexSyntaxError

from .paths import bib_path, display_path
from .problems import Problem, read_text
from .text import CONTROLS, control_fault

_ENTRY = re.compile(r"^\s*@(\w+)\s*[{(]\s*([^,\s]+)\s*,", re.MULTILINE)
#: Any line that opens a command or an entry, well formed or not.
_HEAD = re.compile(r"^\s*@(\w*)\s*[{(]?", re.MULTILINE)
#: Control characters a bibliography may hold: the tab and the line breaks.
_ALLOWED_CONTROLS = frozenset("\t\n\r")
_NOT_ENTRIES = {"comment", "string", "preamble"}
_URL = re.compile(r"https?://[^\s<>\"{}\\^`|]+")


def _names(value: str) -> list[str]:
    """A BibTeX name list split at its top-level " and "s (braces protect an organisation's name)."""
    names, depth, start = [], 0, 0
    for i, c in enumerate(value):
        depth += (c == "{") - (c == "}")
        if depth == 0 and value[i:i + 5].lower() == " and ":
            names.append(value[start:i].strip())
            start = i + 5
    return [n for n in names + [value[start:].strip()] if n]


def mixed_authors(value: str) -> list[str]:
    """The organisations named beside persons in an author list (a news agency as co-author); else []."""
    names = _names(value)
    organisations = [n for n in names if n.startswith("{") and n.endswith("}")]
    return organisations if organisations and len(organisations) < len(names) else []


_PROVENANCE = re.compile(r"\b(?:citing|via|republish\w*|reprint\w*|copy)\b", re.I)


def provenance_in_author(value: str) -> list[str]:
    """Organisation names in an author list that carry a working note ("Kazinform (citing BelTA)")."""
    return [n for n in _names(value) if n.startswith("{") and _PROVENANCE.search(n)]


def is_web_address(url: str) -> bool:
    """True for an http(s) address with no space or character that could end a link early."""
    return bool(_URL.fullmatch(url))


@dataclass(frozen=True)
class Bibliography:
    """A bibliography that parsed cleanly: each entry's fields (as written), and the keys without a locator."""

    entries: dict[str, dict[str, str]]
    unlocated: frozenset[str]
    types: dict[str, str] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)

    @property
    def keys(self) -> frozenset[str]:
        return frozenset(self.entries)


class _Lines:
    """Line numbers of positions in one text (the newlines are found once, then bisected)."""

    def __init__(self, text: str):
        self.ends = [m.start() for m in re.finditer("\n", text)]

    def __call__(self, pos: int) -> int:
        return bisect.bisect_left(self.ends, pos) + 1


_BRACE = re.compile(r"[{}]")
_SPACE = re.compile(r"\s+")


def _structure(text: str, shown: str, line: _Lines) -> list[Problem]:
    """Entries that are never closed, and text outside any entry (other than ``%`` comments)."""
    out: list[Problem] = []
    pos, n = 0, len(text)
    while pos < n:
        space = _SPACE.match(text, pos)
        if space:
            pos = space.end()
            continue
        ch = text[pos]
        if ch == "%":
            end = text.find("\n", pos)
            pos = n if end == -1 else end + 1
            continue
        if ch != "@":
            end = text.find("\n", pos)
            snippet = text[pos : end if end != -1 else n].strip()[:40]
            msg = f"text outside any entry ('{snippet}'); is a brace in the entry before it unbalanced?"
            out.append(Problem(shown, None, None, "bibtex", msg, line=line(pos)))
            pos = end + 1 if end != -1 else n
            continue
        start, depth = pos, 0
        opened = text.find("{", pos)
        if opened == -1:
            out.append(Problem(shown, None, None, "bibtex", "an entry without a brace", line=line(pos)))
            break
        for brace in _BRACE.finditer(text, opened):
            depth += 1 if brace.group() == "{" else -1
            if depth == 0:
                pos = brace.end()
                break
        else:
            msg = "the entry that starts here is never closed (a brace is missing or the file is cut off)"
            out.append(Problem(shown, None, None, "bibtex", msg, line=line(start)))
            break
    return out


_FIELD = re.compile(r"(\w+)\s*=\s*[{\"]")


def _where(text: str, pos: int) -> str:
    """"entry 'key', field name: " for a position inside an entry's field, "entry 'key': " inside its
    head, or nothing outside any entry."""
    heads = [m for m in _HEAD.finditer(text, 0, pos + 1)]
    if not heads:
        return ""
    head = heads[-1]
    key = re.match(r"\s*@\w*\s*[{(]\s*([^,\s{}]*)", text[head.start():pos + 40])
    name = key.group(1).replace("\0", "") if key else ""
    fields = list(_FIELD.finditer(text, head.end(), pos))
    return f"entry '{name}', field {fields[-1].group(1).lower()}: " if fields else f"entry '{name}': "


def _heads(text: str, shown: str, line: _Lines) -> list[Problem]:
    """What pybtex would read leniently: control characters anywhere, an entry head without the
    comma after its key, and an entry hidden in ``@comment`` (pybtex reads it, BibTeX does not)."""
    out: list[Problem] = []
    for m in CONTROLS.finditer(text):
        if m.group() not in _ALLOWED_CONTROLS:
            start = text.rfind("\n", 0, m.start()) + 1
            fault = (control_fault(text[start:m.end() + 20]) or "").replace(" at position ", " at column ", 1)
            out.append(Problem(shown, None, None, "text", _where(text, m.start()) + fault, line=line(m.start())))
    for m in _HEAD.finditer(text):
        kind = m.group(1).lower()
        if kind == "comment":
            opened = text.find("{", m.end() - 1)
            depth, end = 0, len(text)
            for brace in _BRACE.finditer(text, opened if opened != -1 else m.end()):
                depth += 1 if brace.group() == "{" else -1
                if depth == 0:
                    end = brace.start()
                    break
            if "@" in text[m.end():end]:
                msg = ("an entry inside @comment: BibTeX skips it but pybtex reads it, so rows citing it "
                       "would pass; remove the @comment or the entry")
                out.append(Problem(shown, None, None, "bibtex", msg, line=line(m.start(1))))
        elif kind not in _NOT_ENTRIES and not _ENTRY.match(text, m.start()):
            head = text[m.start():text.find("\n", m.start())].strip()[:50]
            msg = f"the entry's head '{head}' is not '@type{{key,': a comma must follow the key"
            out.append(Problem(shown, None, None, "bibtex", msg, line=line(m.start(1))))
    return out


def read_bib(path: Path, shown: str) -> tuple[Bibliography | None, list[Problem]]:
    """Parse the bibliography strictly; return it (``None`` if unusable) and its problems."""
    text, problem = read_text(path, shown)
    if problem:
        return None, [problem]
    line_of = _Lines(text)
    problems = _structure(text, shown, line_of) + _heads(text, shown, line_of)
    seen: dict[str, int] = {}
    for m in _ENTRY.finditer(text):
        if m.group(1).lower() in _NOT_ENTRIES:
            continue
        line = line_of(m.start(1))
        if m.group(2) in seen:
            msg = f"the key '{m.group(2)}' is defined twice (first at line {seen[m.group(2)]})"
            problems.append(Problem(shown, None, None, "bibtex", msg, line=line))
        seen.setdefault(m.group(2), line)
    if problems:
        return None, problems
    old, pybtex.errors.strict = pybtex.errors.strict, True
    try:
        # Names stay plain fields: nothing here needs them split into persons (and it is faster).
        data = bibtex.Parser(person_fields=[]).parse_string(text)
    except PybtexSyntaxError as err:
        what = str(err).split(": ", 1)[-1]
        return None, [Problem(shown, None, None, "bibtex", f"not valid BibTeX: {what}", line=err.lineno)]
    except PybtexError as err:
        return None, [Problem(shown, None, None, "bibtex", f"not valid BibTeX: {err}")]
    finally:
        pybtex.errors.strict = old
    if not data.entries:
        return None, [Problem(shown, None, None, "bibtex", "the bibliography has no entries")]
    unlocated = set()
    entries: dict[str, dict[str, str]] = {}
    types: dict[str, str] = {}
    for key, entry in data.entries.items():
        line = seen.get(key)
        values = {name.lower(): str(value) for name, value in entry.fields.items()}
        entries[key] = values
        types[key] = entry.type.lower()
        for name, value in values.items():
            fault = control_fault(str(value))
            if fault:
                msg = f"entry '{key}', field {name}: {fault}"
                problems.append(Problem(shown, None, None, "text", msg, line=line))
        for organisation in mixed_authors(values.get("author", "")):
            msg = (f"entry '{key}': the author list names the organisation {organisation.strip('{}')!r} beside "
                   "persons; an agency or outlet that published a signed piece goes in howpublished, not author")
            problems.append(Problem(shown, None, None, "author", msg, line=line))
        for name in provenance_in_author(values.get("author", "")):
            msg = (f"entry '{key}': the author {name.strip('{}')!r} carries a note on where the piece came from; "
                   "the author is the organisation alone, and the note goes in howpublished")
            problems.append(Problem(shown, None, None, "author", msg, line=line))
        url = values.get("url", "").strip()
        if "url" in values and not url:
            msg = f"entry '{key}': the url is empty, so it is no locator (give the address or remove the field)"
            problems.append(Problem(shown, None, None, "url", msg, line=line))
        elif url and not is_web_address(url):
            msg = f"entry '{key}': the url '{url[:60]}' is not an http(s) address"
            problems.append(Problem(shown, None, None, "url", msg, line=line))
        if not (url or values.get("pages", "").strip()):
            unlocated.add(key)
    return Bibliography(entries, frozenset(unlocated), types, seen), problems


@lru_cache(maxsize=4)
def _read_cached(path: str, shown: str, stamp: tuple[int, int] | None) -> tuple[Bibliography | None, list[Problem]]:
    return read_bib(Path(path), shown)


def read_bib_cached(path: Path, shown: str) -> tuple[Bibliography | None, list[Problem]]:
    """:func:`read_bib`, parsed once per process until the file changes."""
    try:
        stat = path.stat()
        stamp: tuple[int, int] | None = (stat.st_mtime_ns, stat.st_size)
    except OSError:
        stamp = None
    return _read_cached(str(path), shown, stamp)


def bibliography(path: str | Path | None = None) -> Bibliography:
    """The parsed bibliography (cached until the file changes); ``ValueError`` if unreadable."""
    p = bib_path(path)
    bib, problems = read_bib_cached(p, display_path(p))  # as the package check shows it: parsed once
    if bib is None:
        raise ValueError("references.bib cannot be read: " + "; ".join(map(str, problems)))
    return bib


def bib_entries(path: str | Path | None = None) -> dict[str, dict[str, str]]:
    """Return ``{key: {field: value as written}}`` for every entry in the bibliography."""
    return bibliography(path).entries


def bib_keys(path: str | Path | None = None) -> frozenset[str]:
    """Return the set of citation keys defined in the bibliography."""
    return bibliography(path).keys


def keys_without_locator(path: str | Path | None = None) -> list[str]:
    """Return the keys whose entry has neither a non-empty ``url`` nor ``pages`` field."""
    return sorted(bibliography(path).unlocated)
