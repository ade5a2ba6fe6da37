"""The source policy (``csto:source_policy`` in the descriptor): each refusal, located, on a tiny package."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import write_package
from helpers import source_policy
from helpers.bib import bibliography
from helpers.package import refused_sources, source_classes
from helpers.validate import check_package

TYPED_BIB = """
@article{src1, author = {Doe, Jo}, title = {A source}, journal = {A Journal}, year = {2020},
  url = {https://example.org/1}, sourceclass = {scholarship}}
@online{src2, author = {{An Agency}}, title = {Another}, year = {2021}, url = {https://example.org/2},
  sourceclass = {independent_media}}
@online{wiki, author = {{Wikipedia}}, title = {An article}, year = {n.d.}, url = {https://en.wikipedia.org/x},
  sourceclass = {reference_work}}
@online{state, author = {{TASS}}, title = {A report}, year = {2022}, url = {https://tass.com/1},
  sourceclass = {state_media}}
@online{copy, author = {{An Agency}}, title = {Another (copy)}, year = {2021}, url = {https://aggregator.example/2},
  sourceclass = {repost}}
"""


def _package(tmp_path: Path, bib: str = TYPED_BIB, files: dict[str, str] | None = None) -> Path:
    folder = write_package(tmp_path / "data", files, source_policy=True)
    (folder / "references.bib").write_text(bib, encoding="utf-8")
    return folder


def _problems(folder: Path, chapters: Path | None = None) -> list[str]:
    """The problems, with the tiny package's folder left out of the paths."""
    return [str(p).replace(f"{folder}/", "") for p in check_package(folder, folder / "references.bib", chapters).problems]


def _swap(folder: Path, name: str, old: str, new: str) -> None:
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_tiny_package_passes_under_the_policy(tmp_path: Path) -> None:
    assert _problems(_package(tmp_path)) == []


def test_the_real_package_states_a_policy_with_a_reason_for_each_refusal() -> None:
    descriptor = json.loads((Path(__file__).parents[1] / "data" / "datapackage.json").read_text(encoding="utf-8"))
    found = source_policy.policy(descriptor)
    assert found is not None and set(found["classes"]) >= {"scholarship", "official", "intergovernmental",
                                                           "independent_media", "state_media", "reference_work",
                                                           "repost"}
    keys = bibliography().keys
    for item in found["refused"]:
        assert item["reason"].strip()
        assert all(k in keys for k in item.get("sources", [])), item
    assert {"news-pravda.com", "news-front.info", "inforos.com"} <= {i["host"] for i in found["refused"]}


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("@article{src1, author = {Doe, Jo}, title = {A source}, journal = {A Journal},",
     "@article{src1, author = {Doe, Jo}, title = {A source},",
     "references.bib, line 2: entry 'src1': an @article needs journal [rule: entry-type]"),
    ("@online{src2,", "@webpage{src2,",
     "references.bib, line 4: entry 'src2': the type @webpage is not one the book formats"),
    ("sourceclass = {independent_media}}", "}",
     "references.bib, line 4: entry 'src2' has no sourceclass [rule: source-class]"),
    ("sourceclass = {independent_media}}", "sourceclass = {blog}}",
     "references.bib, line 4, column"),
], ids=["article without journal", "unknown type", "no class", "unknown class"])
def test_entries_are_typed_and_classed(tmp_path: Path, old: str, new: str, expected: str) -> None:
    folder = _package(tmp_path, TYPED_BIB.replace(old, new))
    found = _problems(folder)
    if expected.endswith("column"):  # an unknown class: the message names the entry and the field
        assert any("entry 'src2', field sourceclass: 'blog' is not a source class" in p for p in found), found
    else:
        assert any(p.startswith(expected) for p in found), found


def test_a_refused_outlet_is_refused_in_the_bibliography_and_in_every_row(tmp_path: Path) -> None:
    bib = TYPED_BIB.replace("https://example.org/2", "https://armenia.news-pravda.com/world/2025/1")
    found = _problems(_package(tmp_path, bib))
    assert any(p.startswith("references.bib, line 4: entry 'src2', field url: armenia.news-pravda.com is refused")
               and p.endswith("[rule: refused-source]") for p in found), found
    assert any(p.startswith("states.csv, row 4, column source_ids: 'src2' is from a refused outlet") for p in found), found


def test_a_row_resting_on_an_encyclopedia_alone_is_refused(tmp_path: Path) -> None:
    folder = _package(tmp_path)
    _swap(folder, "states.csv", "CCC,Cedria,903,South Caucasus,src2", "CCC,Cedria,903,South Caucasus,wiki")
    assert "states.csv, row 4, column source_ids: every source (wiki) is a reference work; an encyclopedia is " \
           "never the only source [rule: encyclopedia-only]" in _problems(folder)
    _swap(folder, "states.csv", "South Caucasus,wiki", "South Caucasus,wiki;src2")
    assert _problems(folder) == []


def test_a_repost_whose_original_was_found_is_refused(tmp_path: Path) -> None:
    bib = TYPED_BIB.replace("sourceclass = {repost}}", "sourceclass = {repost}, original = {src2}}")
    folder = _package(tmp_path, bib)
    _swap(folder, "states.csv", "South Caucasus,src2", "South Caucasus,copy")
    assert "states.csv, row 4, column source_ids: 'copy' is a repost; cite the original 'src2' [rule: repost]" \
        in _problems(folder)


def test_state_media_alone_must_say_so_in_the_note(tmp_path: Path) -> None:
    folder = _package(tmp_path)
    _swap(folder, "events.csv", "Two states sign.,,,src1,", "Two states sign.,,,state,")
    assert "events.csv, row 2, column source_ids: every source (state) is state-controlled media; triangulate, " \
           "or say so in the note [rule: state-media-only]" in _problems(folder)
    _swap(folder, "events.csv", "Two states sign.,,,state,", "Two states sign.,,,state,Source: state media only.")
    assert _problems(folder) == []


def test_a_claim_s_own_author_is_not_held_to_the_evidence_rules(tmp_path: Path) -> None:
    folder = _package(tmp_path)
    _swap(folder, "claims.csv", "who-signed,Who signed,src1,", "who-signed,Who signed,wiki,")
    assert _problems(folder) == []


def test_chapters_are_held_to_the_policy_by_line(tmp_path: Path) -> None:
    folder = _package(tmp_path)
    chapters = tmp_path / "chapters"
    chapters.mkdir()
    (chapters / "one.md").write_text("# One\n\nA fact {cite:p}`src1`.\n\nAnother {cite:p}`wiki`.\n", encoding="utf-8")
    found = [p.replace(f"{chapters}/", "") for p in _problems(folder, chapters)]
    assert found == ["one.md, line 5: every source (wiki) is a reference work; an encyclopedia is never the only "
                     "source [rule: encyclopedia-only]"]


def test_a_refused_outlet_without_a_reason_is_a_descriptor_fault(tmp_path: Path) -> None:
    folder = _package(tmp_path)
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["csto:source_policy"]["refused"].append({"host": "example.net", "reason": " "})
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    found = _problems(folder)
    assert any("csto:source_policy.refused[" in p and "needs a host and the reason" in p for p in found), found


def test_the_class_table_counts_every_entry(tiny: Path) -> None:
    # the tiny package has no policy: no classes, no refusals
    assert source_classes().empty and refused_sources().empty


def test_the_real_bibliography_is_counted_by_class() -> None:
    table = source_classes()
    assert table["entries"].sum() == len(bibliography().entries)
    assert (table["cited by data rows"] <= table["entries"]).all()
    assert table.set_index("class").loc["scholarship", "entries"] >= 40
