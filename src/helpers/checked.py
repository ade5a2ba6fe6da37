"""The shapes the validator fills and its rules read: a checked table, and the record of checks skipped.

They live apart from :mod:`helpers.validate` and :mod:`helpers.rules`, which both use them, so that
neither module imports the other.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .paths import display_path
from .problems import Problem


@dataclass
class Table:
    """One resource after checking: typed values, row by row, in file order."""

    name: str
    path: Path
    schema: dict[str, Any]
    rows: list[dict[str, Any]] = field(default_factory=list)
    row_numbers: list[int] = field(default_factory=list)
    #: (row number, column) of cells that failed to parse: later rules skip them.
    bad_cells: set[tuple[int, str]] = field(default_factory=set)
    #: False when the file could not be read at all (missing, undecodable, wrong header).
    readable: bool = True
    #: Rows left out because they could not be split into the header's cells.
    broken_rows: set[int] = field(default_factory=set)

    def sound(self, row_number: int, *columns: str) -> bool:
        """True if none of ``columns`` in that row failed to parse."""
        return not any((row_number, c) in self.bad_cells for c in columns)

    def complete(self, *columns: str) -> bool:
        """True if every row was read and ``columns`` parsed in all of them (safe to refer to)."""
        return self.readable and not self.broken_rows and not any(c in columns for _, c in self.bad_cells)

    @property
    def fields(self) -> list[dict[str, Any]]:
        return self.schema["fields"]



class Skips:
    """Checks skipped because what they refer to is unusable: one line per unusable file."""

    def __init__(self) -> None:
        self.by_target: dict[str, set[str]] = defaultdict(set)

    def usable(self, target: Table | None, columns: tuple[str, ...], referrer: str) -> bool:
        if target is not None and target.complete(*columns):
            return True
        if target is not None:
            self.by_target[display_path(target.path)].add(referrer)
        return False

    def problems(self, tables: dict[str, Table], bib_shown: str, bib_referrers: set[str]) -> list[Problem]:
        out = []
        unreadable = {display_path(t.path) for t in tables.values() if not t.readable}
        for shown in sorted(unreadable | set(self.by_target)):
            who = sorted(self.by_target.get(shown, ()))
            against = f"the checks in {', '.join(who)} that refer to it" if who else ""
            if shown in unreadable:
                msg = ("its rows were not checked" + (f", nor {against}" if who else "")
                       + ": the file must be readable first")
            else:
                msg = f"{against} were skipped: the faults in it (above) would make them meaningless"
            out.append(Problem(shown, None, None, "skipped", msg))
        if bib_referrers:
            msg = (f"the source keys of {', '.join(sorted(bib_referrers))} were not checked: "
                   "the bibliography must be readable first")
            out.append(Problem(bib_shown, None, None, "skipped", msg))
        return out
