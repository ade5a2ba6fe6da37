"""Read ``references.bib``: strictly for validation, by key and entry text for the chapters.

:func:`read_bib` parses the file as BibTeX with pybtex in strict mode and reports
every fault on one located line: a missing or non-UTF-8 file, a byte-order mark,
an entry cut off or with unbalanced braces, text outside any entry, an entry
defined twice, control characters in a field, an address that is not ``http(s)``.
An entry's locator is a non-empty ``url`` or ``pages``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pybtex.errors
from pybtex.database.input import bibtex
from pybtex.scanner import PybtexError, PybtexSyntaxError

from .paths import bib_path
from .problems import Problem, read_text
from .text import control_fault

_ENTRY = re.compile(r"^\s*@(\w+)\s*[{(]\s*([^,\s]+)\s*,", re.MULTILINE)
_NOT_ENTRIES = {"comment", "string", "preamble"}
_URL = re.compile(r"https?://[^\s<>\"{}\\^`|]+")


@dataclass(frozen=True)
class Bibliography:
    """The keys of a bibliography that parsed cleanly, and those without a locator."""

    keys: frozenset[str]
    unlocated: frozenset[str]


def _entries(text: str) -> dict[str, str]:
    """Map each citation key to the text of its entry."""
    matches = [m for m in _ENTRY.finditer(text) if m.group(1).lower() not in _NOT_ENTRIES]
    out: dict[str, str] = {}
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        out[m.group(2)] = text[m.start() : end]
    return out


def _line(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def _structure(text: str, shown: str) -> list[Problem]:
    """Entries that are never closed, and text outside any entry (other than ``%`` comments)."""
    out: list[Problem] = []
    pos, n = 0, len(text)
    while pos < n:
        ch = text[pos]
        if ch == "%":
            end = text.find("\n", pos)
            pos = n if end == -1 else end + 1
            continue
        if ch.isspace():
            pos += 1
            continue
        if ch != "@":
            end = text.find("\n", pos)
            snippet = text[pos : end if end != -1 else n].strip()[:40]
            msg = f"text outside any entry ('{snippet}'); is a brace in the entry before it unbalanced?"
            out.append(Problem(shown, None, None, "bibtex", msg, line=_line(text, pos)))
            pos = end + 1 if end != -1 else n
            continue
        start, depth = pos, 0
        opened = text.find("{", pos)
        if opened == -1:
            out.append(Problem(shown, None, None, "bibtex", "an entry without a brace", line=_line(text, pos)))
            break
        pos = opened
        while pos < n:
            if text[pos] == "{":
                depth += 1
            elif text[pos] == "}":
                depth -= 1
                if depth == 0:
                    break
            pos += 1
        if depth:
            msg = "the entry that starts here is never closed (a brace is missing or the file is cut off)"
            out.append(Problem(shown, None, None, "bibtex", msg, line=_line(text, start)))
            break
        pos += 1
    return out


def read_bib(path: Path, shown: str) -> tuple[Bibliography | None, list[Problem]]:
    """Parse the bibliography strictly; return it (``None`` if unusable) and its problems."""
    text, problem = read_text(path, shown)
    if problem:
        return None, [problem]
    problems = _structure(text, shown)
    seen: dict[str, int] = {}
    for m in _ENTRY.finditer(text):
        if m.group(1).lower() in _NOT_ENTRIES:
            continue
        line = _line(text, m.start(1))
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
    for key, entry in data.entries.items():
        line = seen.get(key)
        values = dict(entry.fields)
        for name, value in values.items():
            fault = control_fault(str(value))
            if fault:
                msg = f"entry '{key}', field {name}: {fault}"
                problems.append(Problem(shown, None, None, "text", msg, line=line))
        url = values.get("url", "").strip()
        if "url" in values and not url:
            msg = f"entry '{key}': the url is empty, so it is no locator (give the address or remove the field)"
            problems.append(Problem(shown, None, None, "url", msg, line=line))
        elif url and not _URL.fullmatch(url):
            msg = f"entry '{key}': the url '{url[:60]}' is not an http(s) address"
            problems.append(Problem(shown, None, None, "url", msg, line=line))
        if not (url or values.get("pages", "").strip()):
            unlocated.add(key)
    return Bibliography(frozenset(data.entries.keys()), frozenset(unlocated)), problems


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
    """Return the keys whose entry has neither a non-empty ``url`` nor ``pages`` field."""
    p = bib_path(path)
    bib, problems = read_bib(p, str(p))
    if bib is None:
        raise ValueError("; ".join(map(str, problems)))
    return sorted(bib.unlocated)
