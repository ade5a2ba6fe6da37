"""Shared fixtures: a tiny, hand-made copy of the data package for unit and fault tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from helpers.paths import REPO_ROOT

TINY_BIB = """
@misc{src1, title = {A source}, url = {https://example.org/1}}
@misc{src2, title = {Another}, pages = {12--14}}
@misc{nolocator, title = {No locator}}
"""

TINY = {
    "states.csv": """iso3,name,cow_code,region,source_ids
AAA,Aland,901,Central Asia,src1
BBB,Bokonia,902,Central Asia,src1
CCC,Cedria,903,South Caucasus,src2
""",
    "organizations.csv": """org_id,name,short_name,kind,founding_date,founding_precision,in_force_date,end_date,successor,source_ids,note
OLD,Old Treaty,OT,collective_defence,1992-05-15,day,1994-04-20,2003-09-18,NEW,src1,
NEW,New Organization,NO,collective_defence,2002-10-07,day,2003-09-18,,,src1;src2,
CLUB,The Club,CL,regional_cooperation,2001-01-01,year,,,,src2,
""",
    "memberships.csv": """org_id,iso3,status,start_date,start_precision,end_date,end_precision,end_reason,source_ids,note
OLD,AAA,signatory,1992-05-15,day,1994-04-20,day,status_change,src1,
OLD,AAA,member,1994-04-20,day,2003-09-18,day,succession,src1,
OLD,BBB,member,1994-04-20,day,1999-04-20,day,non_renewal,src1,
NEW,AAA,signatory,2002-10-07,day,2003-09-18,day,status_change,src1,
NEW,AAA,member,2003-09-18,day,2024-02-01,month,status_change,src1,
NEW,AAA,participation_frozen,2024-02-01,month,,,,src1;src2,
NEW,CCC,observer,2010-01-01,year,,,,src2,
CLUB,BBB,member,2001-01-01,year,,,,src2,
""",
}


def write_package(folder: Path, files: dict[str, str] | None = None) -> Path:
    """Write the tiny package (with the real descriptor) into ``folder``; return it."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO_ROOT / "data" / "datapackage.json", folder / "datapackage.json")
    for name, text in {**TINY, **(files or {})}.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "references.bib").write_text(TINY_BIB, encoding="utf-8")
    return folder


@pytest.fixture()
def tiny(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A valid tiny package; the helpers are pointed at it through the environment."""
    folder = write_package(tmp_path / "data")
    monkeypatch.setenv("CSTO_BOOK_DATA", str(folder))
    monkeypatch.setenv("CSTO_BOOK_BIB", str(folder / "references.bib"))
    return folder
