"""The project's promises about itself: pinned dependencies, one version, the README's commands."""

from __future__ import annotations

import re
import tomllib

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
    config = yaml.safe_load((REPO_ROOT / "_config.yml").read_text())
    cff = yaml.safe_load((REPO_ROOT / "CITATION.cff").read_text())
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]
    version = config["parse"]["myst_substitutions"]["version"]
    assert cff["version"] == version
    assert cff["preferred-citation"]["edition"] == version
    assert project["version"] == version
    assert config["parse"]["myst_substitutions"]["book_title"] == config["title"] == cff["title"]


def test_citation_file_has_the_required_fields() -> None:
    cff = yaml.safe_load((REPO_ROOT / "CITATION.cff").read_text())
    for key in ("cff-version", "message", "title", "authors", "version", "date-released"):
        assert cff.get(key), key


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
