"""Defence in depth: hostile rows that slipped past validation show as text in HTML, LaTeX and PDF.

Validation is bypassed on purpose; the generated appendices and a data table are
built by Sphinx with MyST, as in the book, and read back.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from bs4 import BeautifulSoup

import helpers
import helpers.load
from conftest import write_package
from helpers.text import address_text, escape_text

SCRIPT = '<script>alert("x")</script>'
HANDLER = '<img src=x onerror="alert(2)">'
LINK = "[click](javascript:alert(3))"
DIRECTIVE = "```{raw} html\n<b>bold-raw</b>\n```"
ROLE = "{raw}`<i>role-raw</i>`"
LATEX = r"\textbf{latex-bold}\input{/etc/passwd}"
ADDRESS = 'URL: https://example.org/a_b?c=1&d=2"onmouseover="alert(4) <script>alert(5)</script>'
HOSTILE = " ".join([SCRIPT, HANDLER, LINK, DIRECTIVE, ROLE, LATEX, "nul\x00here $x$ &amp; *em*"])

SRC = Path(__file__).resolve().parents[1] / "src"
STRAIGHT = str.maketrans({"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'"})

CONF = """
extensions = ["myst_parser", "sphinxcontrib.bibtex", "book_ext.links", "book_ext.web_tables"]  # as the book renders them
myst_enable_extensions = ["colon_fence", "deflist", "substitution"]
bibtex_bibfiles = ["references.bib"]
bibtex_reference_style = "author_year"
numfig = True
latex_engine = "xelatex"
latex_documents = [("index", "hostile.tex", "Hostile", "Test", "manual")]
"""


@pytest.fixture()
def hostile_markdown(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    folder = write_package(tmp_path / "data")
    events = (folder / "events.csv").read_text(encoding="utf-8")
    quoted = '"' + HOSTILE.replace('"', '""') + '"'
    events = events.replace("Two states sign.,,,src1,", f"{quoted},,,src1,{quoted}")
    events = events.replace("Treaty signed", quoted)
    (folder / "events.csv").write_text(events, encoding="utf-8")
    claims = (folder / "claims.csv").read_text(encoding="utf-8").replace("Aland alone.", quoted)
    claims = claims.replace("para. 4", '"' + ADDRESS.replace('"', '""') + '"')  # a locator with an address
    (folder / "claims.csv").write_text(claims, encoding="utf-8")
    monkeypatch.setenv("CSTO_BOOK_DATA", str(folder))
    monkeypatch.setenv("CSTO_BOOK_BIB", str(folder / "references.bib"))
    real = helpers.load.check_package
    assert real(folder, folder / "references.bib").problems  # validation does reject these rows
    monkeypatch.setattr(helpers.load, "check_package",
                        lambda d, b: dataclasses.replace(real(d, b), problems=[]))
    helpers.load._CACHE.clear()
    table = helpers.show_table(pd.DataFrame({"name": [HOSTILE], HOSTILE: ["x"]}), "A table.", "tab-hostile")
    parts = [helpers.chronology_markdown().data, helpers.reconciliation_markdown().data, table._repr_markdown_()]
    helpers.load._CACHE.clear()
    return "\n\n".join(parts)


def _build(src: Path, builder: str) -> Path:
    out = src / "_build" / builder
    run = subprocess.run([sys.executable, "-m", "sphinx", "-W", "-q", "-b", builder, str(src), str(out)],
                         capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(SRC)})
    assert run.returncode == 0, run.stderr
    return out


def test_hostile_rows_are_text_in_html_latex_and_pdf(tmp_path: Path, hostile_markdown: str) -> None:
    src = tmp_path / "site"
    src.mkdir()
    (src / "conf.py").write_text(CONF, encoding="utf-8")
    shutil.copy(Path(os.environ["CSTO_BOOK_BIB"]), src / "references.bib")
    (src / "index.md").write_text(f"# Hostile\n\n{hostile_markdown}\n\n```{{bibliography}}\n```\n", encoding="utf-8")

    html = (_build(src, "html") / "index.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    body = soup.find("div", class_="body") or soup.body
    assert not [s for s in soup.find_all("script") if "alert" in s.get_text()]
    assert not soup.find_all(attrs={"onerror": True})
    assert not [a for a in soup.find_all("a") if a.get("href", "").lower().startswith("javascript")]
    assert not soup.find_all("b", string="bold-raw") and not soup.find_all("i", string="role-raw")
    assert not soup.find_all("em", string="em") and not soup.find_all("strong", string="latex-bold")
    # Sphinx's smart quotes curl straight quotes in all text, the data's included (typography, not markup).
    text = body.get_text().translate(STRAIGHT)
    for visible in (SCRIPT, HANDLER, LINK, "```{raw} html <b>bold-raw</b> ```", ROLE, LATEX, "nul\u2400here",
                    "$x$ &amp; *em*"):
        assert text.count(visible) >= 5, visible  # chronology title, summary, note, claim, table

    # A locator's address is a link to exactly that address; the text around it stays text.
    links = [a for a in soup.find_all("a") if "a_b" in a.get("href", "")]
    assert [a["href"] for a in links] == ["https://example.org/a_b?c=1&d=2%22onmouseover=%22alert(4)"]
    assert not soup.find_all(attrs={"onmouseover": True}) and "<script>alert(5)</script>" in text
    # A hostile column name is a cell's data-label as text, not markup.
    labels = {td["data-label"] for td in soup.find_all("td", attrs={"data-label": True})}
    assert " ".join(HOSTILE.replace("\x00", "\u2400").split()) in \
        {" ".join(label.translate(STRAIGHT).split()) for label in labels}, labels

    tex = (_build(src, "latex") / "hostile.tex").read_text(encoding="utf-8")
    assert r"\input{/etc/passwd}" not in tex and r"\textbf{latex-bold}" not in tex
    assert r"\textbackslash{}input\{/etc/passwd\}" in tex

    if not shutil.which("latexmk"):
        if os.environ.get("BOOK_REQUIRE_PDF") == "1":
            pytest.fail("TeX is required (BOOK_REQUIRE_PDF=1) but latexmk is missing")
        return
    latex = src / "_build" / "latex"
    run = subprocess.run(["latexmk", "-xelatex", "-interaction=nonstopmode", "-halt-on-error", "hostile.tex"],
                         cwd=latex, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout[-3000:]
    pdf_text = subprocess.run(["pdftotext", "-layout", str(latex / "hostile.pdf"), "-"],
                              capture_output=True, text=True, check=True).stdout
    flat = " ".join(pdf_text.translate(STRAIGHT).split())
    for visible in ('<script>alert("x")</script>', "onerror=", "javascript:alert(3)", r"\input{/etc/passwd}"):
        assert visible.replace(" ", "") in flat.replace(" ", ""), visible


def test_addresses_in_data_text_become_links_and_nothing_else_does() -> None:
    def link(address: str) -> str:
        return f"[{escape_text(address)}](<{address}>)"

    assert address_text("URL: https://e.org/a_b?x=1&y=2.") == "URL\\: " + link("https://e.org/a_b?x=1&y=2") + "\\."
    assert address_text("see https://e.org/a). Then") == "see " + link("https://e.org/a") + "\\)\\. Then"
    assert address_text("(https://e.org/w/X_(y))") == "\\(" + link("https://e.org/w/X_(y)") + "\\)"
    assert address_text("para. 6") == escape_text("para. 6")
    assert address_text("javascript:alert(1) <https://e.org>") == \
        escape_text("javascript:alert(1) <") + link("https://e.org") + escape_text(">")  # only http(s) links


def test_escape_text_targets() -> None:
    assert escape_text("a<b>*c*") == "a\\<b\\>\\*c\\*"
    assert escape_text("line\nbreak\x00") == "line break\u2400"
    assert escape_text('<a href="x">', "html") == "&lt;a href=&quot;x&quot;&gt;"
    assert escape_text("costs $5 or $x$") == r"costs \$5 or \$x\$"
    with pytest.raises(ValueError):
        escape_text("x", "rtf")  # type: ignore[arg-type]


def test_figure_labels_from_the_data_are_drawn_as_text() -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from helpers.plotting import use_house_style

    use_house_style()
    fig, ax = plt.subplots()
    label = ax.set_title("Over $200 and $x^2$")
    fig.canvas.draw()
    assert label.get_parse_math() is False and label.get_text() == "Over $200 and $x^2$"
    plt.close(fig)


def test_the_cite_policy_allows_only_citation_roles_with_known_keys() -> None:
    from helpers.text import cite_role, cite_text, text_faults

    keys = frozenset({"src1", "src2"})
    assert text_faults("As {cite:t}`src1` argues {cite:p}`src1,src2`.", "cite", keys) == []
    assert text_faults("As {cite:t}`src1` argues.", "plain", keys) != []  # plain text takes no role
    assert text_faults("See {ref}`x`.", "cite", keys) == ["the role {ref} is not allowed (only cite:p, cite:t)"]
    assert text_faults("{cite:p}`ghost`", "cite", keys) == ["'ghost' in {cite:p} is not a key in references.bib"]
    assert any("HTML tag" in f for f in text_faults("{cite:p}`src1` <b>x</b>", "cite", keys))
    assert cite_text("A *b* {cite:p}`src1` {ref}`x`") == "A \\*b\\* {cite:p}`src1` \\{ref\\}\\`x\\`"
    with pytest.raises(ValueError):
        cite_role(("src1`} <script>",))
