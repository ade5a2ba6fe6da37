"""No number derived from the data is typed into the prose: it is computed and glued.

The test reads the prose of every page in ``chapters/`` (front matter and code cells
left out, paragraphs joined) and flags every digit and every cardinal number word
that is not

- inside a role (``{glue:text}``, ``{cite:p}``, ``{ref}``, ...), inline code or a label;
- inside a quotation ("...", “...”);
- part of a date (``6 January 2022``, ``14 to 17 September``, ``May 1992``, ``1990s``),
  an article number (``Article 4``) or a document symbol (``ES-11/4``, ``68/262``);
- the anaphoric "the two"/"both" that refers back to a pair just named;
- covered by an entry of :data:`ALLOWED`, each with the reason it is not a number
  derived from the data (a name, a constant of the book, or a figure that a cited
  source gives and the data do not hold).

A flagged number is to be glued from a helper, reworded, or, when it is a sourced
figure that is not in the data, allowed here with its source key.
"""

from __future__ import annotations

import re

import pytest

from helpers.paths import REPO_ROOT

PAGES = sorted(p.stem for p in (REPO_ROOT / "chapters").glob("*.md"))

_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_CARDINALS = ("two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
              "sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|"
              "ninety|hundred|hundreds|thousand|thousands|million|dozen|dozens|twice|thrice|half")
_NUMBER = re.compile(rf"\b(?:\d[\d,.]*\d|\d|(?:{_CARDINALS}))\b", re.I)

#: Spans that are never a typed number (applied in order, each replaced by a space).
_EXEMPT = [
    r"\{[a-z:-]+\}`[^`]*`",                      # roles: glue, cite, ref, numref, term, ...
    r"`[^`]*`",                                  # inline code
    r"^\([a-z0-9-]+\)=$",                        # labels
    r"\"[^\"]*\"", r"“[^”]*”",                   # quotations
    rf"\b\d{{1,2}}(?:(?:–| to | and )\d{{1,2}})? (?:{_MONTHS})(?: \d{{4}})?",  # days of a month
    rf"\b(?:{_MONTHS}) \d{{4}}",                 # month and year
    r"\b(?:1[89]|20)\d\d(?:s|–\d{2,4})?\b",      # years, decades, year ranges
    r"\bArticles? \d+(?:(?:,| and| or) \d+)*",   # article numbers of a treaty
    r"\b(?:ES-)?\d+/\d+\b",                      # UN document symbols
    r"\b[Tt]he two\b", r"\b[Bb]oth\b",           # a pair just named
]

#: (page, phrase, reason). The phrase is matched literally in the joined paragraph.
#: Every entry must still match somewhere: stale entries fail the test.
ALLOWED: list[tuple[str, str, str]] = [
    # Names and symbols that contain a number.
    ("*", "Shanghai Five", "the organization's name"),
    ("*", "France 24", "a broadcaster's name"),
    ("intro", "ISO 8601", "a standard's name"),
    ("intro", "Python 3.11", "a software version"),
    ("data-and-methods", "1:110m", "the scale of Natural Earth's product, part of its name"),
    ("kazakhstan-2022", "Il-76", "an aircraft type"),
    # Constants of the book itself, not facts from the data.
    ("*", "five texts", "the five source texts the book starts from (its design)"),
    ("*", "five seed texts", "the five source texts"),
    ("*", "five source texts", "the five source texts"),
    ("*", "five published", "the five source texts"),
    ("*", "of the five", "the five source texts"),
    ("*", "the five foresaw", "the five source texts"),
    ("*", "five starting texts", "the five source texts"),
    ("*", "five short texts", "the five source texts"),
    ("conclusion", "Five verdicts", "the five source texts' verdicts"),
    ("conclusion", "five vantage points", "the five source texts"),
    ("conclusion", "all five", "the five source texts"),
    ("failures", "Five readings", "the five source texts"),
    ("intro", "six chapters, a conclusion and five appendices", "the book's own structure"),
    ("intro", "three kinds of reader", "the book's intended readers"),
    ("intro", "three conventions", "the book's data conventions, listed after it"),
    ("intro", "two commands", "the README's two commands"),
    ("data-and-methods", "header being row 1", "row numbering of the error messages"),
    ("data-and-methods", "UTF-8", "the name of a character encoding"),
    ("glossary", "It is 1 when", "definition of the Jaccard index"),
    ("glossary", "and 0 when", "definition of the Jaccard index"),
    ("sco-overlap", "It is 1 when two organizations", "definition of the Jaccard index"),
    ("sco-overlap", "and 0 when", "definition of the Jaccard index"),
    ("sco-overlap", "Two organizations", "definition of the projection"),
    ("sco-overlap", "three or more of the", "the book's definition of a bridging state"),
    ("data-and-methods", "armed conflict between two", "definition in the crisis typology"),
    ("glossary", "between two organizations", "definition of the Jaccard index"),
    ("failures", "makes two promises", "Articles 2 and 4, named in the next sentences"),
    ("kazakhstan-2022", "sentenced Masimov to 18 years", "the sentence as reported (diplomat2023massimov, intellinews2023masimov)"),
    ("failures", "from about a fifth to three-quarters", "the literature's rates: berkemeier2018reassessing, leeds2000reevaluating"),
    ("failures", "killed at least 25 people", "UCDP's threshold, a constant of the inclusion rule (ucdpnddefinitions)"),
    ("failures", "version 4.01", "the ATOP release read (atopndalliancelevel)"),
    ("failures", "the 95 per cent interval", "the statistical convention of the interval, not a count"),
    ("kazakhstan-2022", "joined two instruments", "Article 4 and the peacekeeping agreement, named next"),
    ("sco-overlap", "One agenda, two structures", "section title"),
    ("capabilities", "approved three regional groupings", "the decision of 2000 as Jamestown reports it (jamestown2000regionalgroups)"),
    ("sco-overlap", "two agendas", "the two organizations' agendas"),
    ("origins", "three directions", "Bescotti's three directions, named in the sentence (bescotti2017limits)"),
    ("origins", "the three directions", "Bescotti's three directions (bescotti2017limits)"),
    ("*", "the three Baltic states", "Estonia, Latvia and Lithuania: a fixed set"),
    ("*", "four Central Asian", "Kazakhstan, Kyrgyzstan, Tajikistan and Uzbekistan: a fixed set"),
    # Figures that a cited source gives and the data do not hold.
    ("failures", "three and a half kilometres", "asbarez2021syunik"),
    ("origins", "signatories at eight", "a source's count, reported as its claim and cited"),
    ("origins", "had nine members", "Krasheninnikov's count, reported as his claim (krasheninnikov2022dw)"),
    ("conclusion", "five observable developments", "the book's own list, set out in the paragraphs that follow"),
    ("origins", "concluded for five years", "Article 11 of the treaty (cislegislation1992treaty)"),
    ("origins", "five-year term", "Article 11 of the treaty (cislegislation1992treaty)"),
    ("origins", "five years", "Article 11 of the treaty (cislegislation1992treaty)"),
    ("*", "half the", "Russia's share of the 2006 budget of the rapid deployment forces' command (itartass2005crdf)"),
    ("kazakhstan-2022", "more than a thousand people", "the cited reports of the Zhanaozen rally"),
    ("kazakhstan-2022", "hundreds of protesters", "the cited reports of Almaty on 4 January"),
    ("kazakhstan-2022", "two-week state of emergency", "Tokayev's decree (its cited sources)"),
    ("kazakhstan-2022", "within two days and take no more than ten", "Tokayev's announcement (its cited sources)"),
    ("kazakhstan-2022", "The last four aircraft", "the cited report of the last flights"),
    ("sco-overlap", "the heads of the three bodies", "the CSTO, CIS and SCO (named in the section)"),
    ("sco-overlap", "among the three bodies", "the CSTO, CIS and SCO"),
    ("sco-overlap", "position of three bodies and a roadmap among three", "the CSTO, CIS and SCO"),
    ("sco-overlap", "were all held twice", "the cited record of joint exercises"),
    ("sco-overlap", "four of the six CSTO members were in the SCO", "Bohdan's count (bohdan2020raisons)"),
    ("after-2022", "three-year term", "the secretary general's term (kg242025masadykov)"),
    ("after-2022", "four more Ukrainian provinces", "the annexation of 30 September 2022 (its cited sources)"),
]


def _paragraphs(page: str) -> list[tuple[int, str]]:
    """The page's prose paragraphs, each with the line it starts on."""
    lines = (REPO_ROOT / "chapters" / f"{page}.md").read_text(encoding="utf-8").split("\n")
    start = 0
    if lines and lines[0].strip() == "---":
        start = lines.index("---", 1) + 1
    paras: list[tuple[int, str]] = []
    fence: str | None = None
    current: list[str] = []
    first = 0
    for n in range(start, len(lines)):
        line = lines[n]
        opening = re.match(r"^(`{3,}|:{3,})\{(code-cell|glue:figure)\}", line.strip())
        if fence is None and opening:
            fence = opening.group(1)
            continue
        if fence is not None:
            if line.strip() == fence:
                fence = None
            continue
        if not line.strip() or re.match(r"^(:{3,}|`{3,})", line.strip()) or line.startswith(":class:"):
            if current:
                paras.append((first, " ".join(current)))
            current = []
            continue
        if not current:
            first = n + 1
        current.append(line.strip())
    if current:
        paras.append((first, " ".join(current)))
    return paras


def typed_numbers(page: str) -> list[str]:
    """Each typed number on a page, as 'page.md, line N: 'x' in «context»'."""
    found = []
    for line, text in _paragraphs(page):
        for allowed_page, phrase, _ in ALLOWED:
            if allowed_page in ("*", page):
                text = text.replace(phrase, " " * len(phrase))
        for pattern in _EXEMPT:
            text = re.sub(pattern, lambda m: " " * len(m.group(0)), text, flags=re.M)
        for m in _NUMBER.finditer(text):
            context = re.sub(r"\s+", " ", text[max(0, m.start() - 50): m.end() + 30]).strip()
            found.append(f"chapters/{page}.md, paragraph at line {line}: '{m.group(0)}' in «{context}»")
    return found


@pytest.mark.parametrize("page", PAGES)
def test_no_number_is_typed_by_hand(page: str) -> None:
    found = typed_numbers(page)
    assert not found, (
        "numbers typed into the prose (glue them from the data, reword, or allow them in "
        "tests/test_typed_numbers.py with the reason):\n  " + "\n  ".join(found)
    )


def test_every_allowance_is_used() -> None:
    pages = {p: " ".join(t for _, t in _paragraphs(p)) for p in PAGES}
    stale = [(page, phrase) for page, phrase, _ in ALLOWED
             if not any(phrase in text for p, text in pages.items() if page in ("*", p))]
    assert not stale, f"allow-list entries that match nothing any more: {stale}"


def test_the_scanner_catches_a_typed_duration() -> None:
    text = "The two Article 4 requests of 2022, nine months apart, got opposite answers."
    for pattern in _EXEMPT:
        text = re.sub(pattern, lambda m: " " * len(m.group(0)), text)
    assert [m.group(0) for m in _NUMBER.finditer(text)] == ["nine"]
