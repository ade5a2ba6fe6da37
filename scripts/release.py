"""Publish the built book: a folder for any static host, and a versioned release archive.

    python scripts/release.py record              # release.json: these sources are the release CITATION.cff names
    python scripts/release.py check               # a release can be made: versions agree, tree clean and recorded
    python scripts/release.py site    [--out DIR] # _build/site: the HTML with every download in it
    python scripts/release.py archive [--out DIR] # _build/release/csto-book-<version>.zip

To cut a release: set the version and date in ``CITATION.cff``, ``pyproject.toml`` and a new
``CHANGELOG.md`` entry; ``record``; commit; ``make release`` (``check``, ``make book``,
``archive``). ``--out`` is the folder that holds the build's ``_build`` (default: the
repository). ``check`` fails, naming each fault, if a version or date disagrees, if the
working tree has uncommitted changes, or if the sources are not those ``release.json``
records (:mod:`book_ext.release_record`); it runs before anything is built, and ``archive``
checks again before it writes, so a refused release leaves nothing behind. The archive holds
the site, the PDF, the executed notebooks, the data package and the sources needed to re-run
every chapter (the files git tracks at the released commit), with a ``CITATION.txt`` that
cites exactly that version and names the commit; its members are in a fixed order with the
release date as their time, so the same build gives the same archive.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
import zlib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from book_ext.cite_formats import BOOK_NAME, Citable, bibtex, reference  # noqa: E402
from book_ext.metadata import build_metadata, read_citation_file  # noqa: E402
from book_ext.release_record import RECORD, read_record, release_state, write_record  # noqa: E402

CHANGELOG_ENTRY = re.compile(r"^## \[?(?P<version>\d+\.\d+\.\d+)\]? [–-] (?P<date>\d{4}-\d{2}-\d{2})", re.M)


def version_faults(root: Path = ROOT) -> list[str]:
    """Every place whose version or release date disagrees with ``CITATION.cff``."""
    cff = yaml.safe_load((root / "CITATION.cff").read_text(encoding="utf-8"))
    version, date = str(cff["version"]), str(cff["date-released"])
    faults = []
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    if project != version:
        faults.append(f"pyproject.toml: version {project}, CITATION.cff: {version}")
    preferred = cff.get("preferred-citation", {})
    if str(preferred.get("version", version)) != version:
        faults.append(f"CITATION.cff preferred-citation: version {preferred['version']}, version: {version}")
    if str(preferred.get("year", date[:4])) != date[:4]:
        faults.append(f"CITATION.cff preferred-citation: year {preferred['year']}, date-released: {date}")
    entry = CHANGELOG_ENTRY.search((root / "CHANGELOG.md").read_text(encoding="utf-8"))
    if entry is None:
        faults.append("CHANGELOG.md: no entry '## <version> – <YYYY-MM-DD>'")
    elif (entry["version"], entry["date"]) != (version, date):
        faults.append(f"CHANGELOG.md: newest entry {entry['version']} of {entry['date']}, "
                      f"CITATION.cff: {version} of {date}")
    return faults


def _built(out: Path) -> Path:
    html = out / "_build" / "html"
    if not (html / "index.html").exists():
        sys.exit(f"no built book in {html}: run `make book` first")
    return html


#: An address in a page: an attribute's relative path (the query string and fragment apart).
_ADDRESS = re.compile(r'(?:src|href|content)="(?![a-z]+:|//|#)([^"#?]+)')
#: A link to a file of ``_static`` with Sphinx's checksum of it.
_STAMPED = re.compile(r'((?:\.\./)*_static/[^"?#]+)\?v=[0-9a-f]{8}')


def _current_build_only(site: Path) -> list[str]:
    """Make the copied build exactly the current one: every page links each ``_static`` file with the
    checksum of the file shipped (a page written before a stylesheet changed kept the old one), and
    images and downloads that no page links (left by an earlier build) are removed. Returns what went."""
    referenced: set[Path] = set()
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")

        def stamp(match: re.Match[str], page: Path = page) -> str:
            target = page.parent / match.group(1)
            if not target.is_file():
                return match.group(0)
            checksum = zlib.crc32(target.read_bytes().replace(b"\r", b""))  # as Sphinx computes it
            return f"{match.group(1)}?v={checksum:08x}"

        stamped = _STAMPED.sub(stamp, text)
        if stamped != text:
            page.write_text(stamped, encoding="utf-8")
        referenced |= {(page.parent / m.group(1)).resolve() for m in _ADDRESS.finditer(stamped)}
    removed = []
    for folder in ("_images", "_downloads"):
        for path in sorted((site / folder).rglob("*")):
            if path.is_file() and path.resolve() not in referenced:
                path.unlink()
                removed.append(str(path.relative_to(site)))
    return removed


def write_site(out: Path) -> Path:
    """``_build/site``: the HTML edition with its downloads (PDF, notebooks, data, citations), exactly
    as the current build made them (:func:`_current_build_only`)."""
    html, site = _built(out), out / "_build" / "site"
    shutil.rmtree(site, ignore_errors=True)
    shutil.copytree(html, site, ignore=shutil.ignore_patterns(".buildinfo", ".doctrees", "_sources", ".book-*"))
    for stale in _current_build_only(site):
        print(f"site: left out {stale}, which no page of this build links (an earlier build's)")
    (site / ".nojekyll").write_text("", encoding="utf-8")  # serve _static/ and _downloads/ as they are
    return site


def _git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True).stdout


def release_faults(root: Path = ROOT) -> list[str]:
    """Why a release cannot be made from ``root`` now: disagreeing versions, uncommitted changes,
    sources that are not the recorded release's. Empty when it can."""
    faults = version_faults(root)
    dirty = _git(root, "status", "--porcelain", "--untracked-files=no").strip()
    if dirty:
        faults.append("the working tree has uncommitted changes: a release is made from a commit\n" + dirty)
    version = str(read_citation_file(root)["version"])
    if read_record(root) is None:
        faults.append(f"no {RECORD}: run `python scripts/release.py record` and commit it")
    elif not release_state(root, version).is_release:
        faults.append(f"the sources are not those {RECORD} records for {version}: record them again "
                      "(`python scripts/release.py record`) and commit, or undo the changes")
    return faults


def _member(archive: zipfile.ZipFile, name: str, data: bytes, when: tuple[int, int, int]) -> None:
    """A member with a fixed time (the release date) and mode, so that the same files give the same bytes."""
    info = zipfile.ZipInfo(name, date_time=(*when, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    archive.writestr(info, data)


def write_archive(out: Path, root: Path = ROOT, allow_dirty: bool = False) -> Path:
    """The release archive of the version in ``CITATION.cff`` (see the module's description)."""
    faults = version_faults(root) if allow_dirty else release_faults(root)
    if faults:
        sys.exit("no release archive:\n" + "\n".join(f"  {f}" for f in faults))
    meta = build_metadata(root)
    tracked = [f for f in _git(root, "ls-files", "-z").split("\0") if f]
    full_commit = _git(root, "rev-parse", "HEAD").strip()
    site = write_site(out)
    name = f"csto-book-{meta['version']}"
    target = out / "_build" / "release" / f"{name}.zip"
    target.parent.mkdir(parents=True, exist_ok=True)
    book = Citable(BOOK_NAME, meta["title"], None, meta.get("url", ""))
    citation = (f"{reference(meta, book).replace('*', '')}\n\nThis archive is {meta['locator']} "
                f"(commit {full_commit}).\n\n{bibtex(meta, book)}")
    downloads = site / "_downloads"
    files = [(f"{name}/site/{p.relative_to(site)}", p) for p in sorted(site.rglob("*")) if p.is_file()]
    files += [(f"{name}/{p.name}", p) for p in sorted(downloads.glob("*.pdf")) + sorted(downloads.glob("*.zip"))]
    files += [(f"{name}/notebooks/{p.name}", p) for p in sorted(downloads.glob("*.ipynb"))]
    files += [(f"{name}/source/{rel}", root / rel) for rel in tracked]
    when = (meta["date"].year, meta["date"].month, meta["date"].day)
    partial = target.with_name(target.name + ".partial")
    try:
        with zipfile.ZipFile(partial, "w") as archive:
            _member(archive, f"{name}/CITATION.txt", citation.encode(), when)
            for member, path in files:
                _member(archive, member, path.read_bytes(), when)
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return target


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("action", choices=["record", "check", "site", "archive"])
    parser.add_argument("--out", type=Path, default=ROOT)
    parser.add_argument("--allow-dirty", action="store_true",
                        help="archive the tracked files as they are, uncommitted changes included (tests)")
    args = parser.parse_args()
    if args.action == "record":
        faults = version_faults()
        if faults:
            print("\n".join(f"version disagrees: {f}" for f in faults), file=sys.stderr)
            return 1
        cff = read_citation_file(ROOT)
        record = write_record(ROOT, cff["version"], cff["date"].isoformat())
        print(f"{RECORD}: release {record['version']} of {record['date']}, sources {record['fingerprint'][:19]}…; "
              "commit it")
        return 0
    if args.action == "check":
        faults = release_faults()
        for fault in faults:
            print(f"no release: {fault}", file=sys.stderr)
        if not faults:
            print(f"release {read_citation_file(ROOT)['version']}: versions agree, the tree is clean and recorded")
        return 1 if faults else 0
    if args.action == "site":
        print(f"site: {write_site(args.out)}")
        return 0
    print(f"release archive: {write_archive(args.out, allow_dirty=args.allow_dirty)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
