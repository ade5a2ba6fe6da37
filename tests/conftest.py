"""Shared fixtures: a tiny, hand-made copy of the data package for unit and fault tests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers.paths import REPO_ROOT

#: The tiny package's own cut-off and chronology-complete date, set in its copy of the real
#: descriptor, so that no test on it depends on the real data's dates.
TINY_CUTOFF = "2025-07-01"

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
CST,Old Treaty,OT,collective_defence,1992-05-15,day,1994-04-20,2003-09-18,CSTO,src1,
CSTO,New Organization,NO,collective_defence,2002-10-07,day,2003-09-18,,,src1;src2,
CLUB,The Club,CL,regional_cooperation,2001-01-01,year,,,,src2,
""",
    "memberships.csv": """org_id,iso3,status,start_date,start_precision,end_date,end_precision,end_reason,source_ids,note
CST,AAA,signatory,1992-05-15,day,1994-04-20,day,status_change,src1,
CST,AAA,member,1994-04-20,day,2003-09-18,day,succession,src1,
CST,BBB,member,1994-04-20,day,1999-04-20,day,non_renewal,src1,
CSTO,AAA,signatory,2002-10-07,day,2003-09-18,day,status_change,src1,
CSTO,AAA,member,2003-09-18,day,2024-02-01,month,status_change,src1,
CSTO,AAA,participation_frozen,2024-02-01,month,,,,src1;src2,
CSTO,CCC,observer,2010-01-01,year,,,,src2,
CLUB,BBB,member,2001-01-01,year,,,,src2,
""",
    "events.csv": """event_id,date,date_precision,title,kind,theme,states,summary,crisis_id,ratifies,source_ids,note
1992-05-15-signed,1992-05-15,day,Treaty signed,treaty_agreement,origins,AAA;BBB,Two states sign.,,,src1,
2010-06-12-request,2010-06-12,day,Aland asks for help,request_for_assistance,failures,AAA,"A request for about 1,200 troops.",aaa-2010,,src1;src2,
""",
    "crises.csv": """crisis_id,name,start_date,start_precision,end_date,end_precision,location,states,affected,place,inclusion,crisis_type,request_to,requesting_state,request_date,request_basis,treaty_article,csto_response,offer_declined,russia_response,russia_level,rationale,rationale_type,obligation,obligation_reason,fatalities_low,fatalities_high,fatalities_source_ids,source_ids,note
aaa-2010,Aland unrest,2010-06-10,day,2010-06-14,day,Aland,AAA,AAA,member_territory,violence;alliance,ethnic_violence,csto,AAA,2010-06-12,Article 4 of the Collective Security Treaty,4,consultations,,aid,mission,An internal matter (the council).,internal_affair,article2,A threat to its security.,400,470,src1;src2,src1,
ccc-2012,Cedria clash,2012-01-01,month,,,Cedria,CCC,CCC,forces_abroad,violence,insurgency_incursion,none,,,,,none,,,none,,none_given,none,An observer's clash.,,,,src2,
""",
    "first_coding.csv": """crisis_id,crisis_type,request_to,treaty_article,csto_response,russia_level,rationale_type,obligation,remarks
aaa-2010,ethnic_violence,csto,4,consultations,mission,internal_affair,article2,
ccc-2012,insurgency_incursion,none,,none,none,none_given,none,
""",
    "coding_decisions.csv": """crisis_id,field,decision,reason,source_ids
ccc-2012,csto_response,none,No statement was found.,
ccc-2012,rationale_type,none_given,No reason was found.,src1
""",
    "crisis_exclusions.csv": """candidate_id,name,start_date,start_precision,states,fails,reason,source_ids
bbb-2011,Borea scuffle,2011-05-01,month,BBB,threshold,No one died and no one asked.,src1
""",
    "second_coding.csv": """crisis_id,crisis_type,request_to,treaty_article,csto_response,russia_level,rationale_type,obligation,remarks
aaa-2010,ethnic_violence,csto,4,consultations,mission,internal_affair,article2,
ccc-2012,insurgency_incursion,none,,statement,none,,none,The reason was not settled.
""",
    "contingents.csv": """iso3,personnel_low,personnel_high,personnel_basis,equipment_units,arrival_date,departure_date,source_ids,note
AAA,100,150,official,,2010-06-15,2010-06-20,src1,
""",
    "resolutions.csv": """resolution_id,series,symbol,date,title,yes,no,abstain,source_ids,no_list_complete,note
r-1,ukraine,A/RES/1/1,2014-03-27,Integrity,100,11,58,src1,,
""",
    "un_votes.csv": """resolution_id,iso3,vote,source_ids,note
r-1,AAA,no,src1,
r-1,BBB,abstain,src1,
""",
    "exercises.csv": """exercise_id,organization,series,kind,name,start_date,start_precision,end_date,end_precision,host,place,participants,troops_declared,troops_basis,status,reason,source_ids,note
drill-2011,CSTO,Drill,exercise,Drill-2011,2011-09-01,month,,,AAA,,AAA;BBB,500,the ministry,held,,src1,
""",
    "security_functions.csv": """function_id,organizations,function,name,start_date,start_precision,end_date,end_precision,source_ids,note
club-terror,CLUB,counter_terrorism,The Club's anti-terror centre,2004-01-01,year,,,src2,
""",
    "forces.csv": """force_id,name,kind,parties,agreed_date,agreed_precision,founding_text,source_ids,note
CRF,Club Rapid Force,collective,AAA;BBB,2009-02-04,day,a decision of the Club,src1,
""",
    "force_sizes.csv": """size_id,force_id,measure,value,qualifier,as_of,as_of_precision,reported_by,source_ids,note
crf-2009,CRF,personnel,1000,about,2009-02-04,day,the Club's secretary,src1,
crf-2012,CRF,personnel,2000,about,2012-01-01,year,a scholar,src2,
""",
    "bases.csv": """base_id,name,kind,host,place,lat,lon,unit,first_agreement,first_precision,agreement_date,agreement_precision,term_end,legal_basis,source_ids,note
AAA-1,First base,base,AAA,Alton,45.0,65.0,1st division,1995-03-16,day,2010-08-20,day,2044,a treaty and a protocol,src1,
""",
    "base_personnel.csv": """personnel_id,base_id,value,qualifier,as_of,as_of_precision,reported_by,source_ids,note
aaa-1-2005,AAA-1,3000,about,2005-01-01,year,a newspaper,src2,
""",
    "figures.csv": """figure_id,event_id,measure,value,qualifier,as_of,as_of_precision,reported_by,source_ids,note
aaa-2010-troops,2010-06-12-request,troops asked for,1200,about,2010-06-12,day,Aland's government,src2,
""",
    "claims.csv": """claim_id,topic,source_id,locator,version,verdict,resolution,evidence_ids
who-signed,Who signed,src1,para. 4,Aland alone.,contradicted,Both signed.,src2
who-signed,Who signed,src2,p. 12,Aland and Bokonia.,supported,Both signed.,src2
""",
    "boundaries.csv": """iso3,name,geometry,source_ids
AAA,Aland,"{""type"":""Polygon"",""coordinates"":[[[60,40],[70,40],[70,50],[60,50],[60,40]]]}",src1
BBB,Bokonia,"{""type"":""MultiPolygon"",""coordinates"":[[[[70,40],[80,40],[80,50],[70,50],[70,40]]]]}",src1
,No Code Land,"{""type"":""Polygon"",""coordinates"":[[[80,40],[90,40],[90,50],[80,50],[80,40]]]}",src1
""",
}


def write_package(folder: Path, files: dict[str, str] | None = None, source_policy: bool = False) -> Path:
    """Write the tiny package (with the real descriptor) into ``folder``; return it.

    The tiny bibliography is untyped and unclassed, so the descriptor's source policy is left
    out unless ``source_policy`` asks for it (tests/test_source_policy.py).
    """
    folder.mkdir(parents=True, exist_ok=True)
    descriptor = json.loads((REPO_ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["csto:cutoff"] = descriptor["csto:chronology_complete_to"] = TINY_CUTOFF
    if not source_policy:
        descriptor.pop("csto:source_policy", None)
    (folder / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False, indent=2), encoding="utf-8")
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


# The build-side extensions are tested on tiny Sphinx projects in tests/roots (sphinx.testing).
pytest_plugins = ["sphinx.testing.fixtures"]


@pytest.fixture(scope="session")
def rootdir() -> Path:
    return Path(__file__).parent / "roots"
