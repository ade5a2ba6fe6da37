"""The book's cross-field rules (``csto:rules`` in the schema): a registry of small rules.

Each rule is registered once with its parameters (what the descriptor check needs),
its plain-language statement (what the codebook prints) and its check (what the
validator runs), side by side, so the three cannot drift apart.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from .checked import Skips, Table
from .problems import Problem

#: The package's own dates that a ``date-scope`` rule may name, and how prose calls them.
PACKAGE_DATES = {"csto:cutoff": "cut-off", "csto:chronology_complete_to": "chronology-complete"}
#: The columns ``member-on-date`` reads from the memberships table.
MEMBERSHIP_COLUMNS = ("org_id", "iso3", "status", "start_date", "end_date")

Record = dict[str, Any]


@dataclass
class Context:
    """What a rule's check sees: its table, the others, and where to report."""

    table: Table
    tables: dict[str, Table]
    shown: str
    skips: Skips
    package_dates: dict[str, dt.date]
    rows: list[tuple[Record, int]] = field(default_factory=list)

    def problem(self, row: int, column: str, rule: str, message: str) -> Problem:
        return Problem(self.shown, row, column, rule, message)


@dataclass(frozen=True)
class Rule:
    """One kind of rule: its parameters, its codebook statement and its check."""

    name: str
    #: Parameter -> kind: column(s) of the table, a resource, a column of it, a date,
    #: one of the package's dates, or a plain value, string(s) or flag.
    required: dict[str, str]
    optional: dict[str, str]
    describe: Callable[[dict[str, Any]], str]
    check: Callable[[Context, dict[str, Any]], Iterator[Problem]]

    def columns(self, rule: dict[str, Any]) -> list[str]:
        """The columns of its own table that a (well-formed) rule reads."""
        out: list[str] = []
        for name, kind in {**self.required, **self.optional}.items():
            if name in rule and kind == "column":
                out.append(rule[name])
            elif name in rule and kind == "columns":
                out += rule[name]
        return out


RULES: dict[str, Rule] = {}


def _rule(name: str, required: dict[str, str], optional: dict[str, str] | None = None, *,
          text: str | Callable[[dict[str, Any]], str]) -> Callable[[Any], Any]:
    """Register the decorated check as the rule ``name``, with its parameters and statement."""
    def describe(rule: dict[str, Any]) -> str:
        if callable(text):
            return text(rule)
        return text.format(**{k: _words(v) for k, v in rule.items()})

    def register(check: Callable[[Context, dict[str, Any]], Iterator[Problem]]) -> Any:
        RULES[name] = Rule(name, required, optional or {}, describe, check)
        return check
    return register


def _words(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(map(str, value))
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)


def window_end(date: dt.date, precision: str | None) -> dt.date:
    """The last day a date of the given precision can stand for."""
    if precision == "year":
        return dt.date(date.year, 12, 31)
    if precision == "month":
        if date.month == 12:
            return dt.date(date.year, 12, 31)
        return dt.date(date.year, date.month + 1, 1) - dt.timedelta(days=1)
    return date


@_rule("date-order", {"start": "column", "end": "column"}, {"strict": "bool", "end_precision": "column"},
       text="{end} must be after {start} (or on the same day, where the rule is not strict)")
def _date_order(ctx: Context, rule: dict[str, Any]) -> Iterator[Problem]:
    a, b, strict = rule["start"], rule["end"], rule.get("strict", True)
    for rec, n in ctx.rows:
        if rec[a] is None or rec[b] is None:
            continue
        # An end known only to the month or year may fall anywhere in that window.
        end = window_end(rec[b], rec.get(rule.get("end_precision", ""), None))
        if (strict and end <= rec[a]) or end < rec[a]:
            word = "after" if strict else "on or after"
            yield ctx.problem(n, b, rule["rule"], f"{b} {rec[b]} is not {word} {a} {rec[a]}")


@_rule("range", {"low": "column", "high": "column"}, text="{high} is not below {low}")
def _range(ctx: Context, rule: dict[str, Any]) -> Iterator[Problem]:
    lo, hi = rule["low"], rule["high"]
    for rec, n in ctx.rows:
        if rec[lo] is not None and rec[hi] is not None and rec[hi] < rec[lo]:
            yield ctx.problem(n, hi, rule["rule"], f"{hi} {rec[hi]} is below {lo} {rec[lo]}")


def _condition(rule: dict[str, Any]) -> str:
    negated = "not_equals" in rule
    return f"{rule['field']} is {'not ' if negated else ''}{_words(rule['not_equals' if negated else 'equals'])}"


@_rule("required-if", {"field": "column", "then": "columns"},
       {"equals": "value", "not_equals": "value", "else_empty": "bool"},
       text=lambda r: f"{_words(r['then'])} are required when {_condition(r)}")
def _required_if(ctx: Context, rule: dict[str, Any]) -> Iterator[Problem]:
    # The condition is either ``equals: v`` or ``not_equals: v``.
    flag, negated = rule["field"], "not_equals" in rule
    wanted = rule["not_equals"] if negated else rule["equals"]
    for rec, n in ctx.rows:
        if rec[flag] is None:
            continue
        holds = (rec[flag] != wanted) if negated else (rec[flag] == wanted)
        for col in rule["then"]:
            if holds and rec[col] is None:
                yield ctx.problem(n, col, rule["rule"], f"{col} is required when {_condition(rule)}")
            elif not holds and rec[col] is not None and rule.get("else_empty"):
                msg = f"{col} must be empty when {flag} is {_words(rec[flag])}"
                yield ctx.problem(n, col, rule["rule"], msg)


@_rule("mentions-if", {"field": "column", "equals": "value", "text": "column", "any_of": "strings"},
       {"what": "string"},
       text=lambda r: f"{r['text']} names {r.get('what', 'the body asked')} (one of {_words(r['any_of'])}) "
                      f"when {r['field']} is {_words(r['equals'])}")
def _mentions_if(ctx: Context, rule: dict[str, Any]) -> Iterator[Problem]:
    flag, wanted, text, words = rule["field"], rule["equals"], rule["text"], rule["any_of"]
    for rec, n in ctx.rows:
        if rec[flag] == wanted and rec[text] is not None and not any(w in rec[text] for w in words):
            names = " or ".join(repr(w) for w in words)
            msg = f"{text} must name {rule.get('what', 'the body asked')} ({names}) when {flag} is {wanted}"
            yield ctx.problem(n, text, rule["rule"], msg)


@_rule("same-within-group", {"group": "columns", "fields": "columns"},
       text="{fields} are the same in every row with the same {group}")
def _same_within_group(ctx: Context, rule: dict[str, Any]) -> Iterator[Problem]:
    first: dict[tuple[Any, ...], tuple[Record, int]] = {}
    for rec, n in ctx.rows:
        key = tuple(rec[g] for g in rule["group"])
        if key not in first:
            first[key] = (rec, n)
            continue
        ref_rec, ref_n = first[key]
        for col in rule["fields"]:
            if rec[col] != ref_rec[col]:
                msg = f"{col} differs from row {ref_n}, which has the same {', '.join(rule['group'])}"
                yield ctx.problem(n, col, rule["rule"], msg)


@_rule("member-on-date", {"org": "string", "iso3": "column", "date": "column", "statuses": "strings"},
       text="the state in {iso3} held one of the statuses {statuses} in {org} on {date}")
def _member_on_date(ctx: Context, rule: dict[str, Any]) -> Iterator[Problem]:
    spells = ctx.tables.get("memberships")
    if not ctx.skips.usable(spells, MEMBERSHIP_COLUMNS, ctx.table.name):
        return
    statuses = set(rule["statuses"])
    for rec, n in ctx.rows:
        state, day = rec[rule["iso3"]], rec[rule["date"]]
        if state is None or day is None:
            continue
        if not any(s["org_id"] == rule["org"] and s["iso3"] == state and s["status"] in statuses
                   and s["start_date"] <= day and (s["end_date"] is None or day < s["end_date"])
                   for s in spells.rows):
            yield ctx.problem(n, rule["iso3"], rule["rule"], f"{state} was not a member of {rule['org']} on {day}")


@_rule("precision", {"date": "column", "precision": "column"},
       text="{date} is written to its precision in {precision} (YYYY-01-01 for a year, YYYY-MM-01 for a month)")
def _precision(ctx: Context, rule: dict[str, Any]) -> Iterator[Problem]:
    d, p, kind = rule["date"], rule["precision"], rule["rule"]
    for rec, n in ctx.rows:
        date, prec = rec[d], rec[p]
        if date is None and prec is not None:
            yield ctx.problem(n, p, kind, f"{p} is set but {d} is empty")
        elif date is not None and prec is None:
            yield ctx.problem(n, p, kind, f"{d} is set but {p} is empty")
        elif prec == "year" and (date.month, date.day) != (1, 1):
            yield ctx.problem(n, d, kind, f"{d} {date} has year precision, so it must be written as YYYY-01-01")
        elif prec == "month" and date.day != 1:
            yield ctx.problem(n, d, kind, f"{d} {date} has month precision, so it must be written as YYYY-MM-01")


@_rule("together", {"fields": "columns"}, text="{fields} are all filled or all empty")
def _together(ctx: Context, rule: dict[str, Any]) -> Iterator[Problem]:
    together = rule["fields"]
    for rec, n in ctx.rows:
        empty = [c for c in together if rec[c] is None]
        if empty and len(empty) != len(together):
            msg = f"{', '.join(together)} are filled together; {', '.join(empty)} empty"
            yield ctx.problem(n, empty[0], rule["rule"], msg)


@_rule("no-overlap", {"group": "columns", "start": "column", "end": "column"},
       text="spells with the same {group} do not overlap")
def _no_overlap(ctx: Context, rule: dict[str, Any]) -> Iterator[Problem]:
    start, end = rule["start"], rule["end"]
    spells: dict[tuple[Any, ...], list[tuple[Any, Any, int]]] = defaultdict(list)
    for rec, n in ctx.rows:
        if rec[start] is not None:
            spells[tuple(rec[g] for g in rule["group"])].append((rec[start], rec[end], n))
    for key, items in spells.items():
        items.sort(key=lambda t: t[0])
        for (_s0, e0, n0), (s1, _e1, n1) in zip(items, items[1:]):
            if e0 is None or s1 < e0:
                msg = f"the spell for ({', '.join(map(str, key))}) overlaps the one in row {n0}"
                yield ctx.problem(n1, start, rule["rule"], msg)


@_rule("within-lifetime", {"reference": "resource", "key": "column", "ref_start": "ref_column",
                           "ref_end": "ref_column", "start": "column", "end": "column"},
       text="{start}/{end} lie within the lifetime of the {key} in {reference}")
def _within_lifetime(ctx: Context, rule: dict[str, Any]) -> Iterator[Problem]:
    ref = ctx.tables.get(rule["reference"])
    if not ctx.skips.usable(ref, (rule["key"], rule["ref_start"], rule["ref_end"]), ctx.table.name):
        return
    key, kind = rule["key"], rule["rule"]
    life = {r[key]: (r[rule["ref_start"]], r[rule["ref_end"]]) for r in ref.rows}
    for rec, n in ctx.rows:
        if rec[key] not in life:
            continue
        born, ended = life[rec[key]]
        s, e = rec[rule["start"]], rec[rule["end"]]
        if born is not None and s is not None and s < born:
            yield ctx.problem(n, rule["start"], kind, f"{rule['start']} {s} is before {rec[key]} was founded ({born})")
        if ended is not None and (e is None or e > ended):
            yield ctx.problem(n, rule["end"], kind, f"the spell runs past the end of {rec[key]} ({ended})")


def _scope_text(rule: dict[str, Any]) -> str:
    earliest = f"on or after {rule['earliest']} and " if "earliest" in rule else ""
    latest = PACKAGE_DATES[rule.get("latest", "csto:cutoff")]
    return f"{_words(rule['fields'])} lie {earliest}on or before the package's {latest} date"


@_rule("date-scope", {"fields": "columns"}, {"earliest": "date", "latest": "package_date"}, text=_scope_text)
def _date_scope(ctx: Context, rule: dict[str, Any]) -> Iterator[Problem]:
    latest_key = rule.get("latest", "csto:cutoff")
    latest = ctx.package_dates[latest_key]
    earliest = dt.date.fromisoformat(rule["earliest"]) if "earliest" in rule else None
    for rec, n in ctx.rows:
        for col in rule["fields"]:
            if rec[col] is not None and rec[col] > latest:
                msg = f"{col} {rec[col]} is after the package's {PACKAGE_DATES[latest_key]} date {latest}"
                yield ctx.problem(n, col, rule["rule"], msg)
            elif rec[col] is not None and earliest is not None and rec[col] < earliest:
                msg = f"{col} {rec[col]} is before {earliest}, where the table's coverage begins"
                yield ctx.problem(n, col, rule["rule"], msg)


@_rule("id-date-prefix", {"id": "column", "date": "column"}, text="{id} begins with {date} (YYYY-MM-DD-)")
def _id_date_prefix(ctx: Context, rule: dict[str, Any]) -> Iterator[Problem]:
    key, d = rule["id"], rule["date"]
    for rec, n in ctx.rows:
        if rec[key] is not None and rec[d] is not None and not rec[key].startswith(f"{rec[d]}-"):
            yield ctx.problem(n, key, rule["rule"], f"{key} '{rec[key]}' does not begin with its {d} {rec[d]}")


@_rule("continued-if", {"field": "column", "equals": "value", "group": "columns", "start": "column",
                        "end": "column"},
       text="a spell whose {field} is {equals} is followed by a spell with the same {group} starting on its {end}")
def _continued_if(ctx: Context, rule: dict[str, Any]) -> Iterator[Problem]:
    if not ctx.skips.usable(ctx.table, (*rule["group"], rule["start"]), ctx.table.name):
        return
    starts = {(tuple(r[g] for g in rule["group"]), r[rule["start"]]) for r, _ in ctx.rows}
    for rec, n in ctx.rows:
        end = rec[rule["end"]]
        if rec[rule["field"]] == rule["equals"] and end is not None \
                and (tuple(rec[g] for g in rule["group"]), end) not in starts:
            who = ", ".join(str(rec[g]) for g in rule["group"])
            msg = (f"the spell ends with {rule['field']} {rule['equals']} on {end}, but no spell "
                   f"for ({who}) starts that day")
            yield ctx.problem(n, rule["field"], rule["rule"], msg)


def _referenced(ctx: Context, rule: dict[str, Any], field: str) -> dict[Any, Any] | None:
    """The referenced table's ``field`` by its key, or None when that table cannot be relied on."""
    ref = ctx.tables.get(rule["reference"])
    if not ctx.skips.usable(ref, (rule["ref_key"], field), ctx.table.name):
        return None
    return {r[rule["ref_key"]]: r[field] for r in ref.rows}


@_rule("subset-of", {"field": "column", "reference": "resource", "key": "column", "ref_key": "ref_column",
                     "ref_field": "ref_column"},
       text="each item of {field} is among the {ref_field} of the {reference} row its {key} names")
def _subset_of(ctx: Context, rule: dict[str, Any]) -> Iterator[Problem]:
    allowed = _referenced(ctx, rule, rule["ref_field"])
    if allowed is None:
        return
    for rec, n in ctx.rows:
        items, key = rec[rule["field"]] or (), rec[rule["key"]]
        if key not in allowed:
            continue
        for item in items:
            if item not in (allowed[key] or ()):
                msg = f"'{item}' is not among the {rule['ref_field']} of {rule['reference']} '{key}'"
                yield ctx.problem(n, rule["field"], rule["rule"], msg)


@_rule("stated-in", {"value": "column", "reference": "resource", "key": "column", "ref_key": "ref_column",
                     "text": "ref_column"},
       text="{value}, written with thousands separators, appears in the {text} of the {reference} row its "
            "{key} names")
def _stated_in(ctx: Context, rule: dict[str, Any]) -> Iterator[Problem]:
    texts = _referenced(ctx, rule, rule["text"])
    if texts is None:
        return
    for rec, n in ctx.rows:
        value, key = rec[rule["value"]], rec[rule["key"]]
        if value is None or key not in texts:
            continue
        written = f"{value:,}"
        if not re.search(rf"(?<![\d,]){re.escape(written)}(?![\d,]\d)", texts[key] or ""):
            msg = f"{rule['value']} {written} does not appear in the {rule['text']} of {rule['reference']} '{key}'"
            yield ctx.problem(n, rule["value"], rule["rule"], msg)


def _code(value: Any) -> str:
    """A code as the coding tables write it (an empty cell is the empty code)."""
    return "" if value is None else str(value)


@_rule("reconciled", {"key": "column", "first": "resource", "second": "resource", "decisions": "resource",
                      "fields": "columns"},
       text="each of {fields} is the code both {first} and {second} give it, or the code that {decisions} "
            "records for it, with the reason, where the two codings differ or the table departs from both")
def _reconciled(ctx: Context, rule: dict[str, Any]) -> Iterator[Problem]:
    key, fields = rule["key"], rule["fields"]
    first, second, decisions = (ctx.tables.get(rule[k]) for k in ("first", "second", "decisions"))
    usable = [ctx.skips.usable(t, (key, *fields), ctx.table.name) for t in (first, second)]
    if not all(usable) or not ctx.skips.usable(decisions, (key, "field", "decision"), ctx.table.name):
        return
    a, b = ({r[key]: r for r in t.rows} for t in (first, second))
    decided = {(r[key], r["field"]): _code(r["decision"]) for r in decisions.rows}
    for rec, n in ctx.rows:
        k = rec[key]
        if k not in a or k not in b:
            continue
        for col in fields:
            x, y, value = _code(a[k][col]), _code(b[k][col]), _code(rec[col])
            if (k, col) in decided:
                if decided[(k, col)] != value:
                    msg = f"{col} is '{value}', but {rule['decisions']} records the decision '{decided[(k, col)]}'"
                    yield ctx.problem(n, col, rule["rule"], msg)
            elif x != y:
                msg = (f"the two codings differ on {col} ('{x}' in {rule['first']}, '{y}' in {rule['second']}) "
                       f"and {rule['decisions']} records no decision")
                yield ctx.problem(n, col, rule["rule"], msg)
            elif value != x:
                msg = f"{col} is '{value}', but both codings say '{x}' and {rule['decisions']} records no decision"
                yield ctx.problem(n, col, rule["rule"], msg)


def check_rules(ctx: Context) -> list[Problem]:
    """Every ``csto:rules`` entry of the context's table, checked on the rows it can read."""
    out: list[Problem] = []
    table = ctx.table
    for rule in table.schema.get("csto:rules", []):
        registered = RULES[rule["rule"]]
        cols = registered.columns(rule)
        ctx.rows = [(r, n) for r, n in zip(table.rows, table.row_numbers) if table.sound(n, *cols)]
        out += registered.check(ctx, rule)
    return out
