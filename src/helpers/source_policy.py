"""The book's source policy: every bibliography entry typed and classed, weak evidence refused.

The policy lives in the data package's descriptor, under ``csto:source_policy``:

* ``classes``: the source classes an entry's ``sourceclass`` field may name, each with what it means;
* ``refused``: outlets that are never evidence (known disinformation outlets and content farms),
  each an address ``host`` with the ``reason``;
* ``claimant_fields``: ``table.field`` columns whose key names the text being assessed (a claim's
  author), not evidence for a fact, so the evidence rules below do not apply to them.

Checked here, each fault located (entry and field, or file, row and column) and named by its rule:

``entry-type``     the entry's type is one the book formats, with the fields that type needs;
``source-class``   the entry names a class from the list;
``refused-source`` no entry from a refused outlet, and no row or sentence citing one;
``encyclopedia-only``  no row or sentence whose every source is a reference work;
``repost``         no row or sentence cites a repost whose ``original`` entry is in the bibliography;
``state-media-only``   a row whose every source is state-controlled media says so in its note (or its reason).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlsplit

from .bib import Bibliography
from .problems import Problem

#: Entry types the book formats, and the fields each needs (one of the names in a tuple will do).
ENTRY_TYPES: dict[str, tuple[tuple[str, ...], ...]] = {
    "article": (("author",), ("title",), ("journal",), ("year",)),
    "book": (("author", "editor"), ("title",), ("publisher",), ("year",)),
    "incollection": (("author",), ("title",), ("booktitle",), ("year",)),
    "techreport": (("author",), ("title",), ("institution",), ("year",)),
    "online": (("author",), ("title",), ("year",), ("url",)),
    "misc": (("author",), ("title",), ("year",)),
}
CLASS_FIELD = "sourceclass"
REFERENCE_WORK = "reference_work"
STATE_MEDIA = "state_media"
REPOST = "repost"
#: Words in a row's note that say its only sources are state-controlled media.
_SAYS_STATE = re.compile(r"state(-controlled| media| news agency| agency| broadcaster)", re.I)


def policy(descriptor: Mapping[str, Any]) -> dict[str, Any] | None:
    """The descriptor's source policy, or ``None`` where the package states none."""
    found = descriptor.get("csto:source_policy")
    return found if isinstance(found, dict) else None


def policy_faults(found: Any, shown: str) -> list[Problem]:
    """Faults in the policy itself (located in the descriptor)."""
    out: list[Problem] = []

    def fault(where: str, msg: str) -> None:
        out.append(Problem(shown, None, f"csto:source_policy.{where}", "descriptor", msg))

    if not isinstance(found, dict):
        return [Problem(shown, None, "csto:source_policy", "descriptor", "must be an object")]
    classes = found.get("classes")
    if not isinstance(classes, dict) or not classes or not all(
            isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in classes.items()):
        fault("classes", "must map each class name to what it means")
    refused = found.get("refused")
    if not isinstance(refused, list):
        fault("refused", "must be a list of {host, reason}")
    else:
        for i, item in enumerate(refused):
            if not (isinstance(item, dict) and isinstance(item.get("host"), str) and item["host"].strip()
                    and isinstance(item.get("reason"), str) and item["reason"].strip()):
                fault(f"refused[{i}]", "needs a host and the reason it is refused")
    claimant = found.get("claimant_fields", [])
    if not (isinstance(claimant, list) and all(isinstance(c, str) and c.count(".") == 1 for c in claimant)):
        fault("claimant_fields", "must be a list of table.field names")
    return out


def _host(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def refused_reason(url: str, refused: Iterable[Mapping[str, str]]) -> str | None:
    """The reason an address's outlet is refused (the host or any of its subdomains), else ``None``."""
    host = _host(url)
    for item in refused:
        banned = item["host"].lower()
        if host == banned or host.endswith("." + banned):
            return item["reason"]
    return None


def entry_faults(bib: Bibliography, found: Mapping[str, Any], shown: str) -> list[Problem]:
    """Each entry against its type, its class and the refused outlets."""
    out: list[Problem] = []
    classes = found.get("classes", {})
    for key, fields in bib.entries.items():
        line = bib.lines.get(key)
        kind = bib.types.get(key, "")
        if kind not in ENTRY_TYPES:
            msg = f"entry '{key}': the type @{kind} is not one the book formats ({', '.join(ENTRY_TYPES)})"
            out.append(Problem(shown, None, None, "entry-type", msg, line=line))
        else:
            for names in ENTRY_TYPES[kind]:
                if not any(fields.get(n, "").strip() for n in names):
                    msg = f"entry '{key}': an @{kind} needs {' or '.join(names)}"
                    out.append(Problem(shown, None, None, "entry-type", msg, line=line))
        cls = fields.get(CLASS_FIELD, "").strip()
        if cls not in classes:
            msg = (f"entry '{key}', field {CLASS_FIELD}: {cls!r} is not a source class "
                   f"({', '.join(classes)})" if cls else f"entry '{key}' has no {CLASS_FIELD}")
            out.append(Problem(shown, None, None, "source-class", msg, line=line))
        reason = refused_reason(fields.get("url", ""), found.get("refused", []))
        if reason:
            msg = f"entry '{key}', field url: {_host(fields['url'])} is refused as evidence ({reason})"
            out.append(Problem(shown, None, None, "refused-source", msg, line=line))
        original = fields.get("original", "").strip()
        if original and original not in bib.entries:
            msg = f"entry '{key}', field original: '{original}' is not an entry"
            out.append(Problem(shown, None, None, "repost", msg, line=line))
    return out


def keys_faults(keys: list[str], bib: Bibliography, found: Mapping[str, Any], note: str | None = "",
                evidence: bool = True) -> list[tuple[str, str]]:
    """(rule, message) for one row's or sentence's sources under the policy.

    ``note`` is the row's note, which must say so when every source is state media; ``None``
    (a sentence, which names its source in words) leaves that rule out.
    """
    out: list[tuple[str, str]] = []
    known = [k for k in keys if k in bib.entries]
    if not known:
        return out
    refused = found.get("refused", [])
    for k in known:
        reason = refused_reason(bib.entries[k].get("url", ""), refused)
        if reason:
            out.append(("refused-source", f"'{k}' is from a refused outlet ({reason})"))
        original = bib.entries[k].get("original", "").strip()
        if bib.entries[k].get(CLASS_FIELD) == REPOST and original in bib.entries:
            out.append(("repost", f"'{k}' is a repost; cite the original '{original}'"))
    if not evidence:
        return out
    classes = {bib.entries[k].get(CLASS_FIELD, "") for k in known}
    if classes == {REFERENCE_WORK}:
        out.append(("encyclopedia-only", f"every source ({', '.join(known)}) is a reference work; "
                                         "an encyclopedia is never the only source"))
    if classes == {STATE_MEDIA} and note is not None and not _SAYS_STATE.search(note):
        out.append(("state-media-only", f"every source ({', '.join(known)}) is state-controlled media; "
                                        "triangulate, or say so in the note"))
    return out


def row_faults(table: Any, bib: Bibliography, found: Mapping[str, Any], shown: str) -> list[Problem]:
    """Every row's source columns (``csto:list``/``csto:reference`` to references.bib) under the policy."""
    out: list[Problem] = []
    claimant = set(found.get("claimant_fields", []))
    for spec in table.fields:
        listing = spec.get("csto:list") or ({"reference": spec["csto:reference"]} if "csto:reference" in spec else {})
        if listing.get("reference") != "references.bib":
            continue
        col = spec["name"]
        evidence = f"{table.name}.{col}" not in claimant
        for rec, n in zip(table.rows, table.row_numbers):
            value = rec[col]
            keys = [value] if isinstance(value, str) else list(value or ())
            # The row's words about its sources: its note, or (in a table without notes) its reason.
            words = rec.get("note", rec.get("reason"))
            note = words if isinstance(words, str) else ""
            for rule, msg in keys_faults(keys, bib, found, note, evidence):
                out.append(Problem(shown, n, col, rule, msg))
    return out


_CITE = re.compile(r"\{cite:[a-z]+\}`([^`]+)`")


def text_faults(text: str, bib: Bibliography, found: Mapping[str, Any], shown: str) -> list[Problem]:
    """Every citation role in a chapter's text under the policy (a sentence is the role's keys)."""
    out: list[Problem] = []
    for m in _CITE.finditer(text):
        keys = [k.strip() for k in m.group(1).split(",") if k.strip()]
        line = text.count("\n", 0, m.start()) + 1
        # A sentence says in words what its source is; the state-media rule is for the data's notes.
        for rule, msg in keys_faults(keys, bib, found, note=None):
            out.append(Problem(shown, None, None, rule, msg, line=line))
    return out


def class_counts(bib: Bibliography, keys: Iterable[str] | None = None) -> dict[str, int]:
    """How many entries (all, or those in ``keys``) fall in each source class."""
    counts: dict[str, int] = {}
    for k in (bib.entries if keys is None else keys):
        if k in bib.entries:
            cls = bib.entries[k].get(CLASS_FIELD, "")
            counts[cls] = counts.get(cls, 0) + 1
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
