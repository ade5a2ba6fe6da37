"""Render tables for the book: MyST Markdown (numbered, captioned) with an HTML fallback.

In the book, a table is emitted as MyST Markdown so that Sphinx numbers and
captions it in both the HTML and the PDF. In plain Jupyter, the HTML version of
the same output is shown instead.
"""

from __future__ import annotations

import html
from typing import Any

import pandas as pd

from .load import resource
from .rules import RULES
from .text import code_span, escape_text

#: How a field's text policy (``csto:text``) reads in the codebook; the prose of
#: Data and methods says what plain text excludes.
_TEXT_POLICY = {"plain": "plain text", "cite": "plain text and citation roles"}


def _plain(value: Any) -> str:
    """A cell's value as the text a reader should see."""
    if value is None or (not isinstance(value, (list, tuple)) and pd.isna(value)):
        return ""
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if isinstance(value, (list, tuple)):
        value = "; ".join(map(str, value))
    return str(value)


def markdown_table(df: pd.DataFrame) -> str:
    """A pipe table of ``df`` (index left out); every header and cell is escaped as literal text."""
    cols = [escape_text(c) for c in df.columns]
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for row in df.itertuples(index=False):
        lines.append("| " + " | ".join(escape_text(_plain(v)) for v in row) + " |")
    return "\n".join(lines)


class BookTable:
    """A captioned, labelled table that renders as MyST in the book and HTML in Jupyter.

    The caption and ``notes`` (short lines shown as a list under the table) are the
    author's MyST; the frame's headers and cells are data and are shown as literal text.
    """

    def __init__(self, df: pd.DataFrame, caption: str, label: str, notes: list[str] | None = None):
        self.df, self.caption, self.label, self.notes = df, caption, label, list(notes or [])

    def widths(self, budget: int = 90) -> list[int]:
        """Relative column widths, in characters of a ~90-character printed line.

        Every column gets at least its longest word plus a margin, so print never
        breaks a word or squeezes a short column; the columns with long text share
        what is left in proportion to their length.
        """
        words, lengths = [], []
        for col in self.df.columns:
            cells = [_plain(v) for v in self.df[col]] + [str(col)]
            words.append(max((len(w) for c in cells for w in c.split()), default=1) + 4)
            lengths.append(max((len(c) for c in cells), default=1) + 2)
        short = [length <= max(word, 12) for word, length in zip(words, lengths)]
        rest = max(budget - sum(w for w, s in zip(words, short) if s), 1)
        long_total = sum(min(length, 200) for length, s in zip(lengths, short) if not s) or 1
        return [
            word if is_short else max(word, round(rest * min(length, 200) / long_total))
            for word, length, is_short in zip(words, lengths, short)
        ]

    def __repr__(self) -> str:
        """Plain text (a notebook's text/plain): the label and caption, the same on every run."""
        return f"Table {self.label}: {self.caption}"

    def _repr_markdown_(self) -> str:
        widths = " ".join(map(str, self.widths()))
        text = (
            f":::{{table}} {self.caption}\n:name: {self.label}\n:widths: {widths}\n"
            ":class: longtable\n\n"
            f"{markdown_table(self.df)}\n:::\n"
        )
        if self.notes:
            text += "\n" + "\n".join(f"- {line}" for line in self.notes) + "\n"
        return text

    def _repr_html_(self) -> str:
        items = "".join(f"<li>{html.escape(line)}</li>" for line in self.notes)
        return (
            f"<p><b>{html.escape(self.caption)}</b></p>"
            + self.df.to_html(index=False, na_rep="")
            + (f"<ul>{items}</ul>" if items else "")
        )


def show_table(
    df: pd.DataFrame, caption: str, label: str, notes: list[str] | None = None
) -> BookTable:
    """Return ``df`` as a numbered table with ``caption``; cross-reference it as ``label``."""
    return BookTable(df, caption, label, notes)


def _constraint_text(spec: dict[str, Any]) -> str:
    c = spec.get("constraints", {})
    parts = []
    if c.get("unique"):
        parts.append("unique")
    if "enum" in c:
        words = spec.get("csto:words", {})
        parts.append("one of: " + ", ".join(f"{v} ({words[v]})" if v in words and words[v] != v else str(v)
                                            for v in c["enum"]))
    if "pattern" in c:
        parts.append(f"pattern {c['pattern']}")
    for key in ("minimum", "maximum", "minLength", "maxLength"):
        if key in c:
            parts.append(f"{key} {c[key]}")
    listing = spec.get("csto:list")
    if listing:
        ref = listing.get("reference")
        target = ref if isinstance(ref, str) else f"{ref['resource']}.{ref['field']}"
        parts.append(f"list separated by '{listing['separator']}', each item a key of {target}")
    if "csto:reference" in spec:
        parts.append(f"a key of {spec['csto:reference']}")
    if spec.get("type") == "geojson":  # the rules helpers.validate applies to an outline
        parts.append("a GeoJSON Polygon or MultiPolygon of longitudes and latitudes, each ring closed, "
                     "written as compact JSON")
    if spec.get("csto:ordered"):
        parts.append("ordered scale, lowest first")
    if "csto:text" in spec:
        parts.append(_TEXT_POLICY[spec["csto:text"]])
    return "; ".join(parts)


def codebook(table: str) -> pd.DataFrame:
    """The codebook of one table, generated from ``datapackage.json``: one row per field."""
    res = resource(table)
    return pd.DataFrame(
        [
            {
                "field": f["name"],
                "type": f.get("type", "string") + (f" ({f['format']})" if "format" in f else ""),
                "required": "yes" if f.get("constraints", {}).get("required") else "no",
                "description": f.get("description", ""),
                "constraints": _constraint_text(f),
            }
            for f in res["schema"]["fields"]
        ]
    )


def table_rules(table: str) -> list[str]:
    """Plain-language statements of a table's keys and cross-field rules."""
    schema = resource(table)["schema"]
    out = []
    pk = schema.get("primaryKey")
    if pk:
        out.append("Primary key: " + ", ".join(code_span(k) for k in _names(pk)) + ".")
    for fk in schema.get("foreignKeys", []):
        fields = ", ".join(_names(fk["fields"]))
        ref = fk["reference"]
        target = ref["resource"] or table
        out.append(f"Foreign key: {code_span(fields)} refers to "
                   f"{code_span(target + '.' + ', '.join(_names(ref['fields'])))}.")
    for rule in schema.get("csto:rules", []):
        text = RULES[rule["rule"]].describe(rule)
        out.append("Rule " + escape_text(rule["rule"]) + ": " + escape_text(text) + ".")
    return out


def _names(value: str | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)
