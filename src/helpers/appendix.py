"""The generated appendices: the full chronology and the source reconciliation, as MyST.

Each event and each contested point gets a label (``event-<event_id>``,
``claim-<claim_id>``) that chapters can link to with ``{ref}`text <label>```.
Every piece of data text passes through :func:`helpers.text.escape_text`, so it
is shown as the characters it holds, never read as markup.
"""

from __future__ import annotations

import re

import pandas as pd
from IPython.display import Markdown

from .evidence import chronology
from .formatting import date_text
from .load import load_table
from .text import address_text, cite_role, escape_text
from .vocabulary import word, words


def _label(prefix: str, key: object) -> str:
    """A target label from a key (keys are slugs by the schema; anything else is replaced by '-')."""
    return prefix + re.sub(r"[^a-z0-9-]", "-", str(key))


def section_heading(text: str, label: str) -> str:
    """A heading inside an output: a rubric the build turns into a section (``book_ext.sections``).

    ``text`` must already be literal Markdown (escaped); ``label`` is a slug.
    """
    return f":::{{rubric}} {text}\n:class: book-section\n:name: {label}\n:::\n"


def _slug(code: object) -> str:
    """A code as a class name: lower case, runs of other characters as '-' (as docutils does)."""
    return re.sub(r"[^a-z0-9]+", "-", str(code).lower()).strip("-")


def _filter_vocabulary(events: pd.DataFrame) -> str:
    """The words for the HTML chronology's filters (``book_ext.chronology`` turns this list into
    menus): each theme, kind and state that occurs, as ``group:class`` and its name. HTML only."""
    names = load_table("states").set_index("iso3")["name"]
    states = sorted({s for listed in events["states"] for s in listed}, key=lambda s: str(names.get(s, s)))
    kind_words, theme_words = words("events", "kind"), words("events", "theme")
    items = [f"- `theme:{_slug(t)}` {escape_text(theme_words[str(t)])}"
             for t in events["theme"].cat.categories if (events["theme"] == t).any()]
    items += [f"- `kind:{_slug(k)}` {escape_text(kind_words[str(k)])}"
              for k in events["kind"].cat.categories if (events["kind"] == k).any()]
    items += [f"- `state:{_slug(s)}` {escape_text(str(names.get(s, s)))}" for s in states]
    return "::::{only} html\n:::{container} chron-filter\n" + "\n".join(items) + "\n:::\n::::\n"


def chronology_markdown(theme: str | None = None) -> Markdown:
    """Every event in date order under a heading per year, one labelled paragraph each, with kind,
    theme and sources. Each entry is a block classed by its theme, kind and states, which the
    HTML chronology's filters show or hide (the whole chronology only; print lists every event)."""
    events = chronology(theme)
    lines = [] if theme is not None or events.empty else [_filter_vocabulary(events)]
    year = None
    for ev in events.itertuples(index=False):
        if ev.date.year != year:
            year = ev.date.year
            lines.append(section_heading(str(year), f"chronology-{year}"))
        when = date_text(ev.date, ev.date_precision)
        tags = escape_text(f"{word('events', 'kind', ev.kind)}; theme: {word('events', 'theme', ev.theme)}")
        note = f" *Note:* {escape_text(ev.note)}" if isinstance(ev.note, str) and ev.note else ""
        classes = " ".join(["chron-entry", f"chron-theme-{_slug(ev.theme)}", f"chron-kind-{_slug(ev.kind)}",
                            *(f"chron-state-{_slug(s)}" for s in ev.states)])
        lines.append(f":::{{container}} {classes}\n({_label('event-', ev.event_id)})=\n{escape_text(when)} ({tags}). "
                     f"**{escape_text(ev.title)}.** {escape_text(ev.summary)}"
                     f"{note} {cite_role(ev.source_ids)}\n:::\n")
    return Markdown("\n".join(lines))


#: The reconciliation tables' columns (source, where, what it says, verdict), in parts of the
#: line: print sets them at these widths, ragged right, instead of guessing from the text.
RECONCILIATION_WIDTHS = "22 22 42 14"


def reconciliation_markdown() -> Markdown:
    """Each contested point: the versions of the sources, their verdicts, and the resolution."""
    claims = load_table("claims")
    parts = []
    for claim_id, rows in claims.groupby("claim_id", sort=False):
        first = rows.iloc[0]
        table = [f":::{{table}}\n:widths: {RECONCILIATION_WIDTHS}\n",
                 "| source | where | what it says | verdict |", "|---|---|---|---|"]
        for r in rows.itertuples(index=False):
            table.append(f"| {cite_role((r.source_id,), 'cite:t')} | {address_text(r.locator)} | "
                         f"{escape_text(r.version)} | {escape_text(str(r.verdict).replace('_', ' '))} |")
        parts.append(
            section_heading(escape_text(first.topic), _label("claim-", claim_id)) + "\n" + "\n".join(table) +
            f"\n:::\n\n*The evidence:* {escape_text(first.resolution)} {cite_role(first.evidence_ids)}\n"
        )
    return Markdown("\n".join(parts))
