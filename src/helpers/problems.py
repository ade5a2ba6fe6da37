"""How a fault in the data package is reported: where it is and which rule it broke."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class Problem:
    """One fault: file, then row and column (a CSV) or line (JSON, BibTeX), and the rule."""

    path: str
    row: int | None
    column: str | None
    rule: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = self.path
        if self.row is not None:
            where += f", row {self.row}"
        if self.line is not None:
            where += f", line {self.line}"
        if self.column is not None:
            where += f", column {self.column}"
        return f"{where}: {self.message} [rule: {self.rule}]"


class DataValidationError(ValueError):
    """Raised when the data package breaks its schema; lists every problem."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        lines = [f"the data package has {len(problems)} problem(s):"]
        lines += [f"  {p}" for p in problems]
        super().__init__("\n".join(lines))


def read_text(path: Path, shown: str) -> tuple[str | None, Problem | None]:
    """A whole file as text (see :func:`decode_utf8`), or the one problem that stops it being read."""
    if not path.exists():
        return None, Problem(shown, None, None, "file", "the file does not exist")
    try:
        data = path.read_bytes()
    except OSError as err:
        return None, Problem(shown, None, None, "file", f"the file cannot be read: {err.strerror or err}")
    text, problem = decode_utf8(data, shown)
    return (None, problem) if problem else (text, None)


def decode_utf8(data: bytes, shown: str) -> tuple[str, Problem | None]:
    """Decode a whole file as UTF-8 without a byte-order mark, or say where it is not.

    The same rule holds for every file of the package (CSV, JSON, BibTeX): UTF-8,
    no byte-order mark; line endings may be LF or CRLF.
    """
    if data.startswith(BOM):
        msg = "the file starts with a byte-order mark (U+FEFF); save it as UTF-8 without one"
        return "", Problem(shown, None, None, "encoding", msg, line=1)
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        offset = err.start - (data.rfind(b"\n", 0, err.start) + 1) + 1
        byte = data[err.start]
        msg = (f"byte 0x{byte:02x} (byte {offset} of line {line}) is not valid UTF-8; "
               "save the file as UTF-8")
        return "", Problem(shown, None, None, "encoding", msg, line=line)
