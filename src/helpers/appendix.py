"""The generated appendices: the full chronology and the source reconciliation, as MyST.

Each event and each contested point gets a label (``event-<event_id>``,
``claim-<claim_id>``) that chapters can link to with ``{ref}`text <label>```.
"""

from __future__ import annotations

from IPython.display import Markdown

from .evidence import chronology
from .load import load_table
from .package import long_date


def _cite(keys: tuple[str, ...]) -> str:
    return f"{{cite:p}}`{','.join(keys)}`" if keys else ""


def chronology_markdown(theme: str | None = None) -> Markdown:
    """Every event in date order, one labelled paragraph each, with kind, theme and sources."""
    lines = []
    year = None
    for ev in chronology(theme).itertuples(index=False):
        if ev.date.year != year:
            year = ev.date.year
            lines.append(f"**{year}**\n")
        when = {"year": str(ev.date.year), "month": f"{ev.date:%B %Y}"}.get(str(ev.date_precision),
                                                                            long_date(ev.date))
        tags = f"{str(ev.kind).replace('_', ' ')}; {str(ev.theme).replace('_', ' ')}"
        note = f" *Note:* {ev.note}" if isinstance(ev.note, str) and ev.note else ""
        lines.append(f"(event-{ev.event_id})=\n{when} ({tags}). **{ev.title}.** {ev.summary}"
                     f"{note} {_cite(ev.source_ids)}\n")
    return Markdown("\n".join(lines))


def reconciliation_markdown() -> Markdown:
    """Each contested point: the versions of the sources, their verdicts, and the resolution."""
    claims = load_table("claims")
    parts = []
    for claim_id, rows in claims.groupby("claim_id", sort=False):
        first = rows.iloc[0]
        table = ["| source | where | what it says | verdict |", "|---|---|---|---|"]
        for r in rows.itertuples(index=False):
            version = str(r.version).replace("|", "\\|").replace("\n", " ")
            table.append(f"| {{cite:t}}`{r.source_id}` | {r.locator} | {version} | "
                         f"{str(r.verdict).replace('_', ' ')} |")
        parts.append(
            f"(claim-{claim_id})=\n**{first.topic}**\n\n" + "\n".join(table) +
            f"\n\n*The evidence:* {first.resolution} {_cite(first.evidence_ids)}\n"
        )
    return Markdown("\n".join(parts))
