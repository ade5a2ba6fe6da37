"""The project's promises about itself: pinned dependencies, one version, the README's commands."""

from __future__ import annotations

import re
import subprocess
import tomllib
from pathlib import Path

import pytest
import yaml

from helpers.paths import REPO_ROOT

README = (REPO_ROOT / "README.md").read_text(encoding="utf-8")


def _name(line: str) -> str:
    return re.split(r"[=<>!~\[; ]", line, maxsplit=1)[0].strip().lower().replace("_", "-")


def test_every_requirement_is_pinned_exactly() -> None:
    lines = [
        line.strip() for line in (REPO_ROOT / "requirements.txt").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert lines
    unpinned = [line for line in lines if not re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[\w.\-+]+", line)]
    assert not unpinned, unpinned
    pinned = {_name(line) for line in lines}
    wanted = [
        _name(line) for line in (REPO_ROOT / "requirements.in").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert set(wanted) <= pinned, set(wanted) - pinned


def test_one_version_everywhere() -> None:
    """CITATION.cff is the one place for version and title; the rest must agree or not repeat it."""
    config = yaml.safe_load((REPO_ROOT / "_config.yml").read_text())
    cff = yaml.safe_load((REPO_ROOT / "CITATION.cff").read_text())
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]
    assert "version" not in (config["parse"].get("myst_substitutions") or {})
    assert cff["preferred-citation"]["version"] == cff["version"] and "edition" not in cff["preferred-citation"]
    assert project["version"] == cff["version"]
    assert config["title"] == cff["title"] == cff["preferred-citation"]["title"]


def test_citation_file_is_valid_cff() -> None:
    """CITATION.cff validates against the Citation File Format 1.2.0 schema (shipped in tests/)."""
    import datetime
    import json

    import jsonschema

    def plain(value: object) -> object:
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, list):
            return [plain(v) for v in value]
        return value.isoformat() if isinstance(value, datetime.date) else value

    schema = json.loads((REPO_ROOT / "tests" / "schemas" / "cff-1.2.0.schema.json").read_text())
    cff = plain(yaml.safe_load((REPO_ROOT / "CITATION.cff").read_text()))
    jsonschema.validate(cff, schema, format_checker=jsonschema.FormatChecker())
    broken = {**cff, "version": None}  # and the check is real: a bad file fails
    try:
        jsonschema.validate(broken, schema)
    except jsonschema.ValidationError:
        pass
    else:
        raise AssertionError("the schema accepted an invalid CITATION.cff")


def test_readme_opens_with_the_two_commands() -> None:
    first_block = README.split("```bash", 1)[1].split("```", 1)[0]
    commands = [line.split("#")[0].strip() for line in first_block.strip().splitlines()]
    assert commands == ["make book", "make test"]


def test_ci_runs_the_readmes_test_command() -> None:
    ci = (REPO_ROOT / ".ci" / "run").read_text()
    assert re.search(r"^make test$", ci, re.M)


def test_readme_names_the_apt_line_from_its_single_source() -> None:
    text = (REPO_ROOT / ".ci" / "apt-packages.txt").read_text()
    packages = " ".join(w for line in text.splitlines() for w in line.split("#")[0].split())
    assert f"sudo apt-get install --no-install-recommends {packages}" in README


def test_reference_and_bibtex_for_a_chapter() -> None:
    import datetime

    from book_ext.citation import chapter_numbers
    from book_ext.cite_formats import Citable, bibtex, reference
    from book_ext.toc import Part

    meta = {"title": "Book", "authors": ["The Project"], "version": "1.2.0",
            "date": datetime.date(2026, 11, 23), "url": ""}
    assert reference(meta, Citable("origins", "Origins", 1)) == (
        "The Project (2026). “Origins”. Chapter 1 of *Book*, version 1.2.0, 23 November 2026.")
    assert reference(meta, Citable("conclusion", "Conclusion")).startswith(
        "The Project (2026). “Conclusion”. In *Book*")
    assert reference(meta, Citable("book", "Book")) == "The Project (2026). *Book*, version 1.2.0, 23 November 2026."
    entry = bibtex(meta, Citable("origins", "Origins", 1))
    assert entry.startswith("@incollection{cstobook2026origins,") and "chapter = {1}" in entry
    assert "chapter" not in bibtex(meta, Citable("conclusion", "Conclusion")).split(",", 1)[1]
    parts = [Part("Front matter", False, ("a",)), Part("Chapters", True, ("b", "c")),
             Part("Conclusion", False, ("d",)), Part("Appendices", False, ("e", "f"))]
    assert chapter_numbers(parts) == {"b": 1, "c": 2, "d": None}
    assert chapter_numbers(parts, extra=("f",)) == {"b": 1, "c": 2, "d": None, "f": None}


def test_helpers_glue_writes_what_myst_nb_glue_writes(monkeypatch: pytest.MonkeyPatch) -> None:
    """helpers.glue spares each kernel myst-nb's nbformat import; the output must be the same."""
    import IPython.display
    import myst_nb.ext.glue as nb_glue

    import helpers

    calls: list[tuple] = []
    record = lambda *args, **kwargs: calls.append((args, kwargs))  # noqa: E731
    monkeypatch.setattr(nb_glue, "ipy_display", record)
    monkeypatch.setattr(IPython.display, "display", record)
    for value in (42, "seven", 3.5, ["a", 1]):
        for shown in (False, True):
            nb_glue.glue("x", value, display=shown)
            helpers.glue("x", value, display=shown)
            assert calls[-1] == calls[-2]


def test_make_lab_opens_reader_copies_and_never_overwrites_one(tmp_path: Path) -> None:
    """`make lab` (without AUTHOR=1) serves copies of the chapters; a copy the reader changed is kept."""
    run = subprocess.run(["make", "--no-print-directory", "lab-copies", f"LAB_DIR={tmp_path}"], cwd=REPO_ROOT,
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    copies = sorted(p.name for p in (tmp_path / "chapters").glob("*.md"))
    assert copies == sorted(p.name for p in (REPO_ROOT / "chapters").glob("*.md"))
    mine = tmp_path / "chapters" / "failures.md"
    mine.write_text(mine.read_text(encoding="utf-8").replace("cutoff = None", 'cutoff = "2012-01-01"'), encoding="utf-8")
    subprocess.run(["make", "--no-print-directory", "lab-copies", f"LAB_DIR={tmp_path}"], cwd=REPO_ROOT, check=True)
    assert 'cutoff = "2012-01-01"' in mine.read_text(encoding="utf-8")
    makefile = (REPO_ROOT / "Makefile").read_text(encoding="utf-8")
    assert '--ServerApp.root_dir="$(LAB_ROOT)"' in makefile and "LAB_ROOT = $(if $(AUTHOR),$(CURDIR)," in makefile


def _circle(graph: dict[str, set[str]]) -> list[str]:
    """A circle in an import graph (module -> the modules it imports), or an empty list."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        stack.append(node)
        for dep in sorted(graph.get(node, ())):
            if state.get(dep) == 1:
                return [*stack[stack.index(dep):], dep]
            if dep not in state and (found := visit(dep)):
                return found
        stack.pop()
        state[node] = 2
        return []

    for module in sorted(graph):
        if module not in state and (found := visit(module)):
            return found
    return []


def test_no_module_imports_itself_round_a_circle() -> None:
    """The helpers' and the build extensions' modules import one another without a circle
    (type-only imports included): shared types live in a module of their own."""
    import ast

    assert _circle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    for package in ("helpers", "book_ext"):
        root = REPO_ROOT / "src" / package
        modules = {p.stem for p in root.glob("*.py")}
        graph: dict[str, set[str]] = {}
        for path in root.glob("*.py"):
            deps: set[str] = set()
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ImportFrom) and node.level == 1:
                    deps |= {node.module.split(".")[0]} if node.module else {a.name for a in node.names}
            graph[path.stem] = deps & modules - {path.stem}
        assert not _circle(graph), f"{package}: import circle {' -> '.join(_circle(graph))}"


def test_ruff_finds_nothing() -> None:
    """The linter, configured in pyproject.toml, passes on the code and the tests."""
    import shutil
    import sys

    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    assert ruff, "ruff is not installed: make (requirements.txt) installs it"
    run = subprocess.run([ruff, "check", "src", "scripts", "tests"], cwd=REPO_ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-1000:]
