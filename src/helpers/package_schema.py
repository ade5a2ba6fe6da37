"""Read ``datapackage.json`` and check its structure before any table is read.

A descriptor that cannot be read, or whose structure is wrong (no resources, a
resource without a path, an unknown field type or rule, a key or rule naming a
column that does not exist, a reference to a resource the package does not
have), makes every later check meaningless: each such fault is reported on one
line with where it is in the file, and the tables are not read. The shape is a JSON
Schema (``descriptor.schema.json``, checked with ``jsonschema``); Python checks only what
a schema cannot say: that a name refers to something that exists, that a pattern
compiles, that a rule has the parameters its kind needs.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from .problems import Problem, read_text
from .rules import MEMBERSHIP_COLUMNS, PACKAGE_DATES, RULES
from .source_policy import policy_faults

TEXT_POLICIES = ("plain", "cite")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

#: The descriptor's shape, as a JSON Schema (each subschema's ``x-message`` is what a reader is told).
SHAPE = json.loads(Path(__file__).with_name("descriptor.schema.json").read_text(encoding="utf-8"))
_SHAPE = Draft202012Validator(SHAPE)
_QUOTED = re.compile(r"'([^']*)'")


def _where(path: Any) -> str:
    """A location in the descriptor as the messages write it: ``resources[0].schema.fields[2].type``."""
    out = ""
    for step in path:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else str(step))
    return out or "the top level"


def shape_faults(descriptor: Any, shown: str) -> list[Problem]:
    """Every fault of the descriptor's shape against :data:`SHAPE`, one located line each."""
    found: list[tuple[str, str]] = []
    for err in _SHAPE.iter_errors(descriptor):
        at = list(err.absolute_path)
        if err.validator == "required":
            missing = _QUOTED.search(err.message).group(1)  # type: ignore[union-attr]
            template = err.schema["properties"].get(missing, {}).get("x-message", "is required")
            found.append((_where([*at, missing]), template.format(value=None)))
        elif err.validator == "additionalProperties" and err.validator_value is False:
            for key in _QUOTED.findall(err.message.split("(", 1)[-1]):
                if at and at[-1] == "constraints":
                    found.append((_where([*at, key]), "is not a supported constraint"))
                else:
                    found.append((_where(at), f"unknown property {key!r}"))
        else:
            template = err.schema.get("x-message") if isinstance(err.schema, dict) else None
            found.append((_where(at), template.format(value=repr(err.instance)) if template else err.message))
    return [Problem(shown, None, None, "descriptor", f"{where}: {msg}") for where, msg in dict.fromkeys(found)]

def read_json(path: Path, shown: str) -> tuple[Any, list[Problem]]:
    """Parse a JSON file; a missing, undecodable or malformed file is one located problem."""
    text, problem = read_text(path, shown)
    if problem:
        return None, [problem]
    try:
        return json.loads(text), []
    except json.JSONDecodeError as err:
        msg = f"not valid JSON ({err.msg.removesuffix(' at')}) at line {err.lineno}, column {err.colno}"
        return None, [Problem(shown, None, None, "json", msg, line=err.lineno)]


def iso_date(value: Any) -> dt.date | None:
    """``value`` as a date if it is one written YYYY-MM-DD in ASCII digits, else None."""
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def _is_date(value: Any) -> bool:
    return iso_date(value) is not None


class _Checker:
    def __init__(self, shown: str):
        self.shown = shown
        self.problems: list[Problem] = []

    def fault(self, where: str, message: str) -> None:
        self.problems.append(Problem(self.shown, None, None, "descriptor", f"{where}: {message}"))

    def strings(self, value: Any, where: str, non_empty: bool = True) -> list[str] | None:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value) or (non_empty and not value):
            self.fault(where, "must be a name or a non-empty list of names")
            return None
        return value

    def columns(self, value: Any, known: list[str], where: str, table: str) -> None:
        names = self.strings(value, where)
        for name in names or []:
            if name not in known:
                self.fault(where, f"'{name}' is not a column of {table}")

    def field(self, spec: dict[str, Any], where: str, resources: dict[str, Any]) -> None:
        """What a field's shape (checked by :data:`SHAPE`) cannot say: a pattern that compiles, bounds
        that suit the type, words for codes of the enum, a text policy, references that exist."""
        kind, cons = spec.get("type", "string"), spec.get("constraints", {})
        if "enum" in cons and kind != "string":
            self.fault(f"{where}.constraints.enum", "must be a non-empty list of strings, on a string field")
        if "pattern" in cons:
            try:
                re.compile(cons["pattern"])
            except re.error as err:
                self.fault(f"{where}.constraints.pattern", f"is not a valid regular expression ({err})")
        for key in ("minimum", "maximum"):
            value = cons.get(key)
            ok = key not in cons or (_is_date(value) if kind == "date" else (
                isinstance(value, (int, float)) and not isinstance(value, bool) and kind in ("integer", "number")))
            if not ok:
                self.fault(f"{where}.constraints.{key}", f"{value!r} does not suit a {kind} field")
        if not set(spec.get("csto:words", {})) <= set(cons.get("enum") or ()):
            self.fault(f"{where}.csto:words", "must map codes of the field's enum to words")
        if "csto:text" in spec and kind != "string":
            self.fault(f"{where}.csto:text", f"must be one of {', '.join(TEXT_POLICIES)}, on a string field")
        elif kind == "string" and "enum" not in cons and "csto:text" not in spec:
            self.fault(where, "a free-text field must say what it may contain (csto:text: plain or cite)")
        if "csto:list" in spec:
            self.reference(spec["csto:list"].get("reference"), f"{where}.csto:list.reference", resources)
        if "csto:reference" in spec:
            self.reference(spec["csto:reference"], f"{where}.csto:reference", resources)

    def reference(self, ref: Any, where: str, resources: dict[str, Any]) -> None:
        if ref == "references.bib":
            return
        if not isinstance(ref, dict) or not isinstance(ref.get("resource"), str) \
                or not isinstance(ref.get("field"), str):
            return self.fault(where, 'must be "references.bib" or {"resource": ..., "field": ...}')
        target = resources.get(ref["resource"])
        if target is None:
            return self.fault(where, f"the package has no resource '{ref['resource']}'")
        if ref["field"] not in _field_names(target):
            self.fault(where, f"'{ref['field']}' is not a column of {ref['resource']}")

    def rule(self, rule: Any, where: str, table: str, cols: list[str], resources: dict[str, Any]) -> None:
        if not isinstance(rule, dict) or rule.get("rule") not in RULES:
            kind = rule.get("rule") if isinstance(rule, dict) else rule
            return self.fault(where, f"unknown rule {kind!r} (known: {', '.join(RULES)})")
        required, optional = RULES[rule["rule"]].required, RULES[rule["rule"]].optional
        for key in required:
            if key not in rule:
                self.fault(where, f"the rule {rule['rule']} needs '{key}'")
        for key in sorted(set(rule) - set(required) - set(optional) - {"rule"}):
            self.fault(where, f"the rule {rule['rule']} has no parameter '{key}'")
        if rule["rule"] == "required-if" and ("equals" in rule) == ("not_equals" in rule):
            self.fault(where, "the rule required-if needs exactly one of 'equals' and 'not_equals'")
        ref = resources.get(rule.get("reference")) if isinstance(rule.get("reference"), str) else None
        for key, kind in {**required, **optional}.items():
            if key not in rule:
                continue
            value, at = rule[key], f"{where}.{key}"
            if kind in ("column", "columns"):
                if kind == "column" and not isinstance(value, str):
                    self.fault(at, "must be a column name")
                else:
                    self.columns(value, cols, at, table)
            elif kind == "resource" and (not isinstance(value, str) or value not in resources):
                self.fault(at, f"the package has no resource {value!r}")
            elif kind == "ref_column" and ref is not None and value not in _field_names(ref):
                self.fault(at, f"{value!r} is not a column of {rule['reference']}")
            elif kind == "bool" and not isinstance(value, bool):
                self.fault(at, "must be true or false")
            elif kind == "string" and not isinstance(value, str):
                self.fault(at, "must be a string")
            elif kind == "date" and not _is_date(value):
                self.fault(at, f"{value!r} is not a date in the form YYYY-MM-DD")
            elif kind == "package_date" and value not in PACKAGE_DATES:
                self.fault(at, f"{value!r} is not one of the package's dates ({', '.join(PACKAGE_DATES)})")
            elif kind == "strings":
                self.strings(value, at)
        if rule["rule"] == "member-on-date":
            spells = resources.get("memberships")
            missing = [c for c in MEMBERSHIP_COLUMNS if spells is None or c not in _field_names(spells)]
            if missing:
                self.fault(where, f"member-on-date needs a memberships table with {', '.join(missing)}")


def _field_names(resource: Any) -> list[str]:
    try:
        return [f["name"] for f in resource["schema"]["fields"] if isinstance(f, dict) and "name" in f]
    except (KeyError, TypeError):
        return []


def check_descriptor(descriptor: Any, shown: str) -> list[Problem]:
    """Every structural fault of a parsed descriptor, one located line each: its shape first
    (:data:`SHAPE`), then what refers to what."""
    shape = shape_faults(descriptor, shown)
    if shape:
        return shape
    c = _Checker(shown)
    for key in ("csto:cutoff", "csto:chronology_complete_to"):
        if key in descriptor and not _is_date(descriptor[key]):
            c.fault(key, f"{descriptor[key]!r} is not a date in the form YYYY-MM-DD")
    complete = descriptor.get("csto:chronology_complete_to")
    if not c.problems and complete is not None and complete > descriptor["csto:cutoff"]:
        c.fault("csto:chronology_complete_to", "is after the cut-off date")
    if "csto:source_policy" in descriptor:
        c.problems += policy_faults(descriptor["csto:source_policy"], shown)
    resources: dict[str, Any] = {}
    for i, res in enumerate(descriptor["resources"]):
        if res["name"] in resources:
            c.fault(f"resources[{i}].name", f"the resource '{res['name']}' is defined twice")
        resources[res["name"]] = res
    if c.problems:
        return c.problems
    for i, res in enumerate(descriptor["resources"]):
        where, schema, table = f"resources[{i}].schema", res["schema"], res["name"]
        for j, spec in enumerate(schema["fields"]):
            c.field(spec, f"{where}.fields[{j}]", resources)
        cols = _field_names(res)
        if len(set(cols)) != len(cols):
            c.fault(f"{where}.fields", "a field name is used twice")
        if "primaryKey" in schema:
            c.columns(schema["primaryKey"], cols, f"{where}.primaryKey", table)
        for k, fk in enumerate(schema.get("foreignKeys", [])):
            at, ref = f"{where}.foreignKeys[{k}]", fk["reference"]
            c.columns(fk.get("fields"), cols, f"{at}.fields", table)
            target_name = ref["resource"] or table
            target = resources.get(target_name)
            if target is None:
                c.fault(f"{at}.reference.resource", f"the package has no resource '{target_name}'")
                continue
            c.columns(ref.get("fields"), _field_names(target), f"{at}.reference.fields", target_name)
        for k, rule in enumerate(schema.get("csto:rules", [])):
            c.rule(rule, f"{where}.csto:rules[{k}]", table, cols, resources)
    return c.problems
