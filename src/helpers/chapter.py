"""What every chapter ends with: its sources and the data tables it used, generated, not typed.

The chapter's sources are the keys of its own ``{cite:p}``/``{cite:t}`` roles, read
from the chapter's file, formatted briefly and linked to the full bibliography.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

import latexcodec  # noqa: F401  (registers the 'ulatex' codec)
import pandas as pd
from IPython.display import Markdown

from .bib import bib_entries, is_web_address
from .formatting import long_date
from .load import checked, resource
from .package import cutoff_note
from .paths import chapters_dir
from .text import cite_role, code_span, escape_text

_CITE = re.compile(r"\{cite:[a-z]+\}`([^`]+)`")


def cited_keys(chapter: str) -> list[str]:
    """The citation keys used in ``chapters/<chapter>.md``, in order of first use."""
    text = (chapters_dir() / f"{chapter}.md").read_text(encoding="utf-8")
    keys: list[str] = []
    for group in _CITE.findall(text):
        keys += [k.strip() for k in group.split(",")]
    return list(dict.fromkeys(keys))


def _latex_text(value: str) -> str:
    """A BibTeX field's LaTeX as the text it prints (accents, quotes, escaped symbols)."""
    value = re.sub(r"\\([$%&#_])", r"\1", value)
    return codecs.decode(value, "ulatex")


def _fields(entry: dict[str, str]) -> dict[str, str]:
    """An entry's fields as the text they print: LaTeX decoded (not the url), braces and runs of space gone."""
    out = {}
    for name, value in entry.items():
        if name != "url":
            value = _latex_text(value)
        out[name] = re.sub(r"\s+", " ", value.replace("{", "").replace("}", "")).strip()
    return out


def _fold(text: str) -> str:
    """Text for sorting: braces, backslashes and accents dropped, case folded."""
    plain = re.sub(r"\s+", " ", re.sub(r"[{}\\]", "", text)).strip()
    return "".join(c for c in unicodedata.normalize("NFKD", plain) if not unicodedata.combining(c)).casefold()


def _sort_key(key: str, entry: dict[str, str]) -> tuple[str, str, str, str]:
    """The Bibliography's order: author as written, year, title, key (``book_ext.bibliography.sort_key``)."""
    who = (entry.get("author") or entry.get("editor") or entry.get("organization") or entry.get("publisher")
           or entry.get("institution") or entry.get("title", "?"))
    year = re.sub(r"\s+", " ", re.sub(r"[{}\\]", "", entry.get("year", ""))).strip()
    return _fold(who), year, _fold(entry.get("title", "")), key


def _short(key: str, fields: dict[str, str]) -> str:
    """One line of the chapter's source list: the citation the text uses, then the entry's text, shown literally.

    The build writes the citation, "TASS (2022a)", as the Bibliography labels the work.
    """
    parts = [f"{cite_role([key], 'cite:t')}. *{escape_text(fields.get('title', key))}*."]
    if fields.get("howpublished"):
        parts.append(escape_text(fields["howpublished"].rstrip(".") + "."))
    url = fields.get("url", "")
    if is_web_address(url):
        parts.append(f"<{url}>")
    elif url:
        parts.append(escape_text(url))
    return " ".join(parts)


def sources_list(chapter: str) -> Markdown:
    """The chapter's cited works in the Bibliography's order, each in one line with its address."""
    entries = bib_entries()
    missing = [k for k in cited_keys(chapter) if k not in entries]
    if missing:
        raise KeyError(f"chapters/{chapter}.md cites keys missing from references.bib: {missing}")
    keys = sorted(cited_keys(chapter), key=lambda k: _sort_key(k, entries[k]))
    lines = [_short(k, _fields(entries[k])) for k in keys]
    intro = "The works this chapter cites; full entries are in the {ref}`bibliography`.\n\n"
    # Plain Markdown, which JupyterLab renders too: the build finds the list by its cell's tag,
    # chapter-sources (the whole-book PDF lists the works once, at its end).
    return Markdown(intro + "\n".join(f"- {line}" for line in lines) + "\n")


def data_used(tables: list[str]) -> Markdown:
    """The data tables a chapter used, with their size and a link to their codebook."""
    pkg = checked()
    lines = []
    for name in tables:
        res = resource(name)
        lines.append(
            f"- {code_span(res['path'])} ({len(pkg.tables[name].rows)} rows): {escape_text(res.get('title', name))}; "
            f"fields in {{numref}}`tab-codebook-{name}`."
        )
    return Markdown("\n".join(lines))


def cutoff_notice(chapter: str | None = None) -> Markdown | None:
    """A note shown when the chapter runs at an earlier cut-off date than the data's own; else nothing.

    With the chapter's name, the note is followed by a table of every number the chapter's prose
    quotes (:data:`helpers.facts.CHAPTER_FACTS`): its name in the text, its value at the data's own
    cut-off and its value now, so that a reader who re-ran the chapter sees what changed even where
    the prose shows only the names of its numbers (in JupyterLab).
    """
    text = cutoff_note()
    if not text:
        return None
    body = f"**Note.** {text}"  # the book's own words, no data text
    if chapter is not None:
        body += "\n\n" + facts_compared(chapter)
    return Markdown(body)


def facts_compared(chapter: str) -> str:
    """A Markdown table of the chapter's facts at the data's own cut-off and at the active one."""
    from .facts import CHAPTER_FACTS
    from .load import active_cutoff, data_cutoff
    from .tables import markdown_table

    if chapter not in CHAPTER_FACTS:
        raise KeyError(f"no chapter {chapter!r}; the chapters with numbers are {sorted(CHAPTER_FACTS)}")
    now_day = active_cutoff()
    own, now = CHAPTER_FACTS[chapter](data_cutoff()), CHAPTER_FACTS[chapter](now_day)
    frame = pd.DataFrame([{"number in the text": name, f"at {long_date(data_cutoff())}": own[name],
                           f"at {long_date(now_day)}": now.get(name, "")} for name in own])
    changed = int((frame.iloc[:, 1].astype(str) != frame.iloc[:, 2].astype(str)).sum())
    return (f"The numbers this chapter's text quotes ({changed} of {len(frame)} changed):\n\n"
            + markdown_table(frame) + "\n")
