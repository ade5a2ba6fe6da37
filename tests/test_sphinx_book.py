"""The Sphinx extension: PDF parts from _toc.yml, and the execution-input fingerprint."""

from __future__ import annotations

from pathlib import Path

import yaml

from helpers.paths import REPO_ROOT
from helpers.sphinx_book import fingerprint, input_files, part_markers


def test_part_markers_follow_the_toc_numbering() -> None:
    from helpers.sphinx_book import ENTER_UNNUMBERED, LEAVE_UNNUMBERED

    toc = {
        "parts": [
            {"caption": "Front matter", "chapters": [{"file": "a"}, {"file": "b"}]},
            {"caption": "Chapters", "numbered": True, "chapters": [{"file": "c"}]},
            {"caption": "More & more", "numbered": True, "chapters": [{"file": "d"}]},
            {"caption": "Conclusion", "chapters": [{"file": "e"}]},
            {"caption": "Appendices", "chapters": [{"file": "f"}]},
        ]
    }
    m = part_markers(toc, "Front matter", "Appendices")
    assert m["a"] == ENTER_UNNUMBERED
    assert m["c"] == "\\mainmatter\n" + LEAVE_UNNUMBERED + "\\part{Chapters}\n"
    assert m["d"] == "\\part{More \\& more}\n"
    assert m["e"] == ENTER_UNNUMBERED + "\\part{Conclusion}\n"
    assert m["f"] == "\\part{Appendices}\n"  # still unnumbered: no change of numbering
    assert "b" not in m


def test_unnumbered_parts_run_one_sequence_of_figures() -> None:
    from helpers.sphinx_book import ENTER_UNNUMBERED, LEAVE_UNNUMBERED

    assert "\\counterwithout{figure}{chapter}" in ENTER_UNNUMBERED
    assert "\\setcounter{figure}{\\value{bookunfigure}}" in ENTER_UNNUMBERED
    assert "\\setcounter{bookunfigure}{\\value{figure}}" in LEAVE_UNNUMBERED


def test_the_books_toc_has_front_matter_and_appendices() -> None:
    toc = yaml.safe_load((REPO_ROOT / "_toc.yml").read_text())
    captions = [p["caption"] for p in toc["parts"]]
    assert captions[0] == "Front matter" and captions[-1] == "Appendices"


def test_fingerprint_changes_with_inputs(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "a.csv").write_text("x\n1\n")
    (tmp_path / "data" / "__pycache__").mkdir()
    (tmp_path / "data" / "__pycache__" / "junk.pyc").write_bytes(b"1")
    (tmp_path / "refs.bib").write_text("@misc{a, url={u}}")
    inputs = ["data", "refs.bib", "missing-folder"]
    assert [f.name for f in input_files(tmp_path, inputs)] == ["a.csv", "refs.bib"]
    before = fingerprint(tmp_path, inputs)
    (tmp_path / "data" / "__pycache__" / "junk.pyc").write_bytes(b"2")
    assert fingerprint(tmp_path, inputs) == before  # caches do not count
    (tmp_path / "data" / "a.csv").write_text("x\n2\n")
    assert fingerprint(tmp_path, inputs) != before
