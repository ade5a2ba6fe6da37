"""Publish the built book: a folder for any static host, and a versioned release archive.

    python scripts/release.py check               # the version and date agree everywhere
    python scripts/release.py site    [--out DIR] # _build/site: the HTML with every download in it
    python scripts/release.py archive [--out DIR] # _build/release/csto-book-<version>.zip

Run them after `make book` (the Makefile's `site` and `release` targets do). ``--out`` is the
folder that holds the build's ``_build`` (default: the repository). The version lives in
``CITATION.cff``; ``check`` fails, naming each place, if ``pyproject.toml``, the preferred
citation or the newest entry of ``CHANGELOG.md`` says otherwise. The archive holds the site,
the PDF, the executed notebooks, the data package and the sources needed to re-run every
chapter (the files git tracks at the released commit), with a ``CITATION.txt`` that cites
exactly that version.
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
from book_ext.metadata import read_citation_file  # noqa: E402

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
    if str(preferred.get("edition", version)) != version:
        faults.append(f"CITATION.cff preferred-citation: edition {preferred['edition']}, version: {version}")
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
    shutil.copytree(html, site, ignore=shutil.ignore_patterns(".buildinfo", ".doctrees", "_sources"))
    for stale in _current_build_only(site):
        print(f"site: left out {stale}, which no page of this build links (an earlier build's)")
    (site / ".nojekyll").write_text("", encoding="utf-8")  # serve _static/ and _downloads/ as they are
    return site


def _tracked_files(root: Path, allow_dirty: bool = False) -> list[str]:
    run = subprocess.run(["git", "ls-files", "-z"], cwd=root, capture_output=True, text=True, check=True)
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=root,
                           capture_output=True, text=True, check=True).stdout
    if dirty.strip() and not allow_dirty:
        sys.exit("the working tree has uncommitted changes: a release is made from a commit\n" + dirty)
    return [f for f in run.stdout.split("\0") if f]


def write_archive(out: Path, root: Path = ROOT, allow_dirty: bool = False) -> Path:
    """The release archive of the version in ``CITATION.cff`` (see the module's description)."""
    faults = version_faults(root)
    if faults:
        sys.exit("the version disagrees:\n" + "\n".join(f"  {f}" for f in faults))
    meta = read_citation_file(root)
    site = write_site(out)
    name = f"csto-book-{meta['version']}"
    target = out / "_build" / "release" / f"{name}.zip"
    target.parent.mkdir(parents=True, exist_ok=True)
    book = Citable(BOOK_NAME, meta["title"], None, meta.get("url", ""))
    citation = (f"{reference(meta, book).replace('*', '')}\n\n{bibtex(meta, book)}")
    downloads = site / "_downloads"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{name}/CITATION.txt", citation)
        for path in sorted(site.rglob("*")):
            if path.is_file():
                archive.write(path, f"{name}/site/{path.relative_to(site)}")
        for path in sorted(downloads.glob("*.pdf")) + sorted(downloads.glob("*.zip")):
            archive.write(path, f"{name}/{path.name}")
        for path in sorted(downloads.glob("*.ipynb")):
            archive.write(path, f"{name}/notebooks/{path.name}")
        for rel in _tracked_files(root, allow_dirty):
            archive.write(root / rel, f"{name}/source/{rel}")
    return target


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("action", choices=["check", "site", "archive"])
    parser.add_argument("--out", type=Path, default=ROOT)
    parser.add_argument("--allow-dirty", action="store_true",
                        help="archive the tracked files as they are, uncommitted changes included (tests)")
    args = parser.parse_args()
    if args.action == "check":
        faults = version_faults()
        for fault in faults:
            print(f"version disagrees: {fault}", file=sys.stderr)
        if not faults:
            print(f"version {read_citation_file(ROOT)['version']}: the same everywhere")
        return 1 if faults else 0
    if args.action == "site":
        print(f"site: {write_site(args.out)}")
        return 0
    print(f"release archive: {write_archive(args.out, allow_dirty=args.allow_dirty)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
