"""Whether a build's sources are those of the release it names.

``make release`` records, in ``release.json`` (under git, beside ``CITATION.cff``), the version,
its date and a fingerprint of the book's sources: the SHA-256 of every file under
:data:`SOURCE_DIRS` and of :data:`SOURCE_FILES`, line endings normalised, caches left out. A
build computes the same fingerprint from the files it is given. Where the two agree, the build
is that release and names it plainly ("0.2.0"); where they differ, or ``CITATION.cff`` names
another version, it is a development build and says so wherever it names the version ("0.2.0,
with changes since: development build of commit abc1234"). Nothing depends on a git tag, which
a clone may not carry; the commit is named when git can tell it. A project without a
``release.json`` records no releases and names its version plainly.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

RECORD = "release.json"
#: The folders and files whose content is the book: what a release fixes.
SOURCE_DIRS = ("chapters", "data", "src", "scripts", "jupyter")
SOURCE_FILES = ("references.bib", "_config.yml", "_toc.yml", "CITATION.cff", "requirements.txt",
                "pyproject.toml", "Makefile")
_SKIPPED_DIRS = {"__pycache__", ".ipynb_checkpoints"}


def source_files(root: Path) -> list[Path]:
    """The book's source files under ``root``, in a fixed order (caches and hidden files left out)."""
    found = [root / name for name in SOURCE_FILES if (root / name).is_file()]
    for folder in SOURCE_DIRS:
        for path in (root / folder).rglob("*"):
            parts = path.relative_to(root).parts
            if (path.is_file() and not any(p in _SKIPPED_DIRS or p.startswith(".") or p.endswith(".egg-info")
                                           for p in parts) and path.suffix != ".pyc"):
                found.append(path)
    return sorted(found, key=lambda p: p.relative_to(root).as_posix())


def fingerprint(root: Path) -> str:
    """``sha256:<hex>`` of the book's sources: each file's path and content, CRLF read as LF."""
    digest = hashlib.sha256()
    for path in source_files(root):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(path.read_bytes().replace(b"\r\n", b"\n") + b"\0")
    return f"sha256:{digest.hexdigest()}"


def commit(root: Path) -> str:
    """The short hash of the checked-out commit, or "" where ``root`` is not a git work tree."""
    try:
        run = subprocess.run(["git", "rev-parse", "--short=7", "HEAD"], cwd=root, capture_output=True,
                             text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return ""
    return run.stdout.strip() if run.returncode == 0 else ""


def read_record(root: Path) -> dict[str, Any] | None:
    """The recorded release (version, date, fingerprint), or None where none is recorded."""
    path = root / RECORD
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def write_record(root: Path, version: str, date: str) -> dict[str, Any]:
    """Record the current sources as release ``version`` of ``date``; returns the record."""
    record = {"version": version, "date": date, "fingerprint": fingerprint(root)}
    (root / RECORD).write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    return record


@dataclass(frozen=True)
class ReleaseState:
    """What a build is: the release it names, or a development build after it."""

    version: str          # the version CITATION.cff names
    is_release: bool      # the sources are the recorded release's
    commit: str           # the checked-out commit, where git can tell ("" otherwise)

    @property
    def label(self) -> str:
        """The version as every citation and page names it."""
        if self.is_release:
            return self.version
        build = f"development build of commit {self.commit}" if self.commit else "development build"
        return f"{self.version}, with changes since: {build}"

    @property
    def locator(self) -> str:
        """Where exactly this build stands, for a reader who needs more than the version."""
        at = f", commit {self.commit}" if self.commit else ""
        if self.is_release:
            return f"release {self.version}{at}"
        return f"a development build after release {self.version}{at}"


def release_state(root: Path, version: str) -> ReleaseState:
    """Compare the sources under ``root`` with the recorded release (see the module's description)."""
    record = read_record(root)
    if record is None:
        return ReleaseState(version, True, commit(root))
    same = record.get("version") == version and record.get("fingerprint") == fingerprint(root)
    return ReleaseState(version, same, commit(root))
