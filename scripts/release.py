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


def write_site(out: Path) -> Path:
    """``_build/site``: the HTML edition with its downloads (PDF, notebooks, data, citations)."""
    html, site = _built(out), out / "_build" / "site"
    shutil.rmtree(site, ignore_errors=True)
    shutil.copytree(html, site, ignore=shutil.ignore_patterns(".buildinfo", ".doctrees", "_sources"))
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
