"""Read ``datapackage.json`` and check its structure before any table is read.

A descriptor that cannot be read, or whose structure is wrong (no resources, a
resource without a path, an unknown field type or rule, a key or rule naming a
column that does not exist, a reference to a resource the package does not
have), makes every later check meaningless: each such fault is reported on one
line with where it is in the file, and the tables are not read.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

from .problems import Problem, read_text
from .rules import MEMBERSHIP_COLUMNS, PACKAGE_DATES, RULES
from .source_policy import policy_faults

FIELD_TYPES = ("string", "integer", "number", "boolean", "date", "geojson")
TEXT_POLICIES = ("plain", "cite")
_NAME = re.compile(r"[a-z][a-z0-9_]*")
_PATH = re.compile(r"[a-z0-9_]+\.csv")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

_FIELD_KEYS = {"name", "title", "description", "type", "format", "constraints",
               "csto:list", "csto:reference", "csto:ordered", "csto:text", "csto:words"}
_CONSTRAINTS = {"required": bool, "unique": bool, "enum": list, "pattern": str,
                "minLength": int, "maxLength": int, "minimum": object, "maximum": object}

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

    def field(self, spec: Any, where: str, resources: dict[str, Any]) -> None:
        if not isinstance(spec, dict):
            return self.fault(where, "must be an object")
        name, kind = spec.get("name"), spec.get("type", "string")
        if not isinstance(name, str) or not _NAME.fullmatch(name):
            self.fault(f"{where}.name", f"{name!r} is not a field name (lower-case letters, digits, _)")
        if kind not in FIELD_TYPES:
            self.fault(f"{where}.type", f"{kind!r} is not a supported type ({', '.join(FIELD_TYPES)})")
        for key in sorted(set(spec) - _FIELD_KEYS):
            self.fault(where, f"unknown property {key!r}")
        for key in ("title", "description", "format"):
            if key in spec and not isinstance(spec[key], str):
                self.fault(f"{where}.{key}", "must be a string")
        cons = spec.get("constraints", {})
        if not isinstance(cons, dict):
            self.fault(f"{where}.constraints", "must be an object")
            cons = {}
        for key, value in cons.items():
            want = _CONSTRAINTS.get(key)
            at = f"{where}.constraints.{key}"
            if want is None:
                self.fault(at, "is not a supported constraint")
            elif want is not object and (not isinstance(value, want) or (want is int and isinstance(value, bool))):
                self.fault(at, f"must be a {want.__name__}")
            elif key == "enum" and (not value or not all(isinstance(v, str) for v in value) or kind != "string"):
                self.fault(at, "must be a non-empty list of strings, on a string field")
            elif key == "pattern":
                try:
                    re.compile(value)
                except re.error as err:
                    self.fault(at, f"is not a valid regular expression ({err})")
            elif key in ("minimum", "maximum") and kind in FIELD_TYPES:
                ok = _is_date(value) if kind == "date" else (
                    isinstance(value, (int, float)) and not isinstance(value, bool) and kind in ("integer", "number"))
                if not ok:
                    self.fault(at, f"{value!r} does not suit a {kind} field")
        words = spec.get("csto:words")
        if words is not None and not (isinstance(words, dict) and all(isinstance(v, str) and v for v in words.values())
                                      and set(words) <= set(cons.get("enum") or ())):
            self.fault(f"{where}.csto:words", "must map codes of the field's enum to words")
        if "csto:text" in spec and (spec["csto:text"] not in TEXT_POLICIES or kind != "string"):
            self.fault(f"{where}.csto:text", f"must be one of {', '.join(TEXT_POLICIES)}, on a string field")
        elif kind == "string" and "enum" not in cons and "csto:text" not in spec:
            self.fault(where, "a free-text field must say what it may contain (csto:text: plain or cite)")
        if "csto:ordered" in spec and not isinstance(spec["csto:ordered"], bool):
            self.fault(f"{where}.csto:ordered", "must be true or false")
        listing = spec.get("csto:list")
        if listing is not None:
            if not isinstance(listing, dict) or not isinstance(listing.get("separator"), str) \
                    or len(listing["separator"]) != 1:
                self.fault(f"{where}.csto:list", "must have a one-character separator")
            else:
                self.reference(listing.get("reference"), f"{where}.csto:list.reference", resources)
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
    """Every structural fault of a parsed descriptor, one located line each."""
    c = _Checker(shown)
    if not isinstance(descriptor, dict):
        c.fault("the top level", "must be an object")
        return c.problems
    for key in ("csto:cutoff", "csto:chronology_complete_to"):
        if key in descriptor and not _is_date(descriptor[key]):
            c.fault(key, f"{descriptor[key]!r} is not a date in the form YYYY-MM-DD")
    if not _is_date(descriptor.get("csto:cutoff")):
        c.fault("csto:cutoff", "the package's cut-off date is required")
    elif _is_date(descriptor.get("csto:chronology_complete_to")) and \
            descriptor["csto:chronology_complete_to"] > descriptor["csto:cutoff"]:
        c.fault("csto:chronology_complete_to", "is after the cut-off date")
    rule = descriptor.get("csto:inclusion_rule")
    if not isinstance(rule, str) or not rule.strip():
        c.fault("csto:inclusion_rule", "the rule by which a crisis enters the crises table is required, in words")
    if "csto:source_policy" in descriptor:
        c.problems += policy_faults(descriptor["csto:source_policy"], shown)
    res_list = descriptor.get("resources")
    if not isinstance(res_list, list) or not res_list:
        c.fault("resources", "must be a non-empty list of tables")
        return c.problems
    resources: dict[str, Any] = {}
    for i, res in enumerate(res_list):
        where = f"resources[{i}]"
        if not isinstance(res, dict):
            c.fault(where, "must be an object")
            continue
        name, path = res.get("name"), res.get("path")
        if not isinstance(name, str) or not _NAME.fullmatch(name):
            c.fault(f"{where}.name", f"{name!r} is not a resource name (lower-case letters, digits, _)")
        elif name in resources:
            c.fault(f"{where}.name", f"the resource '{name}' is defined twice")
        else:
            resources[name] = res
        if not isinstance(path, str) or not _PATH.fullmatch(path):
            c.fault(f"{where}.path", f"{path!r} is not a CSV file name in the data folder")
        schema = res.get("schema")
        if not isinstance(schema, dict) or not isinstance(schema.get("fields"), list) or not schema["fields"]:
            c.fault(f"{where}.schema.fields", "must be a non-empty list of fields")
    if c.problems:
        return c.problems
    for i, res in enumerate(res_list):
        where, schema, table = f"resources[{i}].schema", res["schema"], res["name"]
        for j, spec in enumerate(schema["fields"]):
            c.field(spec, f"{where}.fields[{j}]", resources)
        cols = _field_names(res)
        if len(set(cols)) != len(cols):
            c.fault(f"{where}.fields", "a field name is used twice")
        if "primaryKey" in schema:
            c.columns(schema["primaryKey"], cols, f"{where}.primaryKey", table)
        mv = schema.get("missingValues", [""])
        if not isinstance(mv, list) or not all(isinstance(v, str) for v in mv):
            c.fault(f"{where}.missingValues", "must be a list of strings")
        fks = schema.get("foreignKeys", [])
        for k, fk in enumerate(fks if isinstance(fks, list) else [None]):
            at = f"{where}.foreignKeys[{k}]"
            ref = fk.get("reference") if isinstance(fk, dict) else None
            if not isinstance(ref, dict) or not isinstance(ref.get("resource"), str):
                c.fault(at, "must have fields and a reference with a resource and fields")
                continue
            c.columns(fk.get("fields"), cols, f"{at}.fields", table)
            target_name = ref["resource"] or table
            target = resources.get(target_name)
            if target is None:
                c.fault(f"{at}.reference.resource", f"the package has no resource '{target_name}'")
                continue
            c.columns(ref.get("fields"), _field_names(target), f"{at}.reference.fields", target_name)
        rules = schema.get("csto:rules", [])
        for k, rule in enumerate(rules if isinstance(rules, list) else [None]):
            c.rule(rule, f"{where}.csto:rules[{k}]", table, cols, resources)
    return c.problems
