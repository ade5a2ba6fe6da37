"""The generated appendices: the full chronology and the source reconciliation, as MyST.

Each event and each contested point gets a label (``event-<event_id>``,
``claim-<claim_id>``) that chapters can link to with ``{ref}`text <label>```.
Every piece of data text passes through :func:`helpers.text.escape_text`, so it
is shown as the characters it holds, never read as markup.
"""

from __future__ import annotations

import re

from IPython.display import Markdown

from .evidence import chronology
from .load import load_table
from .formatting import date_text
from .text import address_text, cite_role, escape_text


#: Each kind of event as the chronology writes it for readers (the codes are the data's).
KIND_WORDS = {
    "treaty_agreement": "treaty or agreement", "summit_ministerial": "summit or ministerial meeting",
    "institutional_decision": "institutional decision", "crisis": "crisis",
    "request_for_assistance": "request for help", "csto_decision": "decision of the CSTO's bodies",
    "deployment": "deployment", "withdrawal": "withdrawal", "exercise": "exercise", "statement": "statement",
    "vote": "vote",
}
#: The part of the book each theme belongs to.
THEME_WORDS = {
    "origins": "origins", "institution_building": "institution-building", "failures": "failures",
    "intervention_2022": "the 2022 intervention", "sco_overlap": "SCO overlap", "after_2022": "after 2022",
}


def _label(prefix: str, key: object) -> str:
    """A target label from a key (keys are slugs by the schema; anything else is replaced by '-')."""
    return prefix + re.sub(r"[^a-z0-9-]", "-", str(key))


def section_heading(text: str, label: str) -> str:
    """A heading inside an output: a rubric the build turns into a section (``book_ext.sections``).

    ``text`` must already be literal Markdown (escaped); ``label`` is a slug.
    """
    return f":::{{rubric}} {text}\n:class: book-section\n:name: {label}\n:::\n"


def chronology_markdown(theme: str | None = None) -> Markdown:
    """Every event in date order under a heading per year, one labelled paragraph each, with kind, theme and sources."""
    lines = []
    year = None
    for ev in chronology(theme).itertuples(index=False):
        if ev.date.year != year:
            year = ev.date.year
            lines.append(section_heading(str(year), f"chronology-{year}"))
        when = date_text(ev.date, ev.date_precision)
        tags = escape_text(f"{KIND_WORDS[str(ev.kind)]}; theme: {THEME_WORDS[str(ev.theme)]}")
        note = f" *Note:* {escape_text(ev.note)}" if isinstance(ev.note, str) and ev.note else ""
        lines.append(f"({_label('event-', ev.event_id)})=\n{escape_text(when)} ({tags}). "
                     f"**{escape_text(ev.title)}.** {escape_text(ev.summary)}"
                     f"{note} {cite_role(ev.source_ids)}\n")
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
