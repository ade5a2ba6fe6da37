"""scripts/book.py: what it says when TeX is missing, and how it summarises failures."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from helpers.paths import REPO_ROOT

spec = importlib.util.spec_from_file_location("book", REPO_ROOT / "scripts" / "book.py")
assert spec and spec.loader
book = importlib.util.module_from_spec(spec)
sys.modules[spec.name] = book  # a dataclass needs its module registered
spec.loader.exec_module(book)


def test_without_tex_the_pdf_step_names_the_packages(monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(book, "missing_tex", lambda: ["xelatex", "latexmk"])
    assert book.build_pdf(REPO_ROOT, None, require=False) == 0
    err = capsys.readouterr().err
    assert "No PDF: this machine lacks xelatex, latexmk. The HTML book is built." in err
    assert book.apt_line() in err
    assert "texlive-xetex" in book.apt_line() and "fonts-freefont-otf" in book.apt_line()
    assert book.build_pdf(REPO_ROOT, None, require=True) == 1


def test_summary_names_notebook_cell_and_error(tmp_path: Path) -> None:
    nb = tmp_path / "chapters" / "x.md"
    nb.parent.mkdir()
    nb.write_text("# X\n\n```{code-cell} ipython3\na = 1\n```\n\n```{code-cell} ipython3\nb = a / 0\n```\n")
    output = (
        f"\x1b[91m{nb}: WARNING: Executing notebook failed: CellExecutionError\n"
        "Traceback ...\nCell In[2], line 1\n----> 1 b = a / 0\n"
        "ZeroDivisionError: division by zero\n [mystnb.exec]\x1b[39;49;00m\n"
        f"{tmp_path}/chapters/y.md:4: WARNING: undefined label: 'nowhere'\n"
    )
    assert book.summarise(output, tmp_path) == [
        "chapters/x.md, code cell 2 (starting at line 7), line 1 of the cell: "
        "ZeroDivisionError: division by zero",
        f"{tmp_path}/chapters/y.md:4: WARNING: undefined label: 'nowhere'",
    ]


def test_parallel_and_sequential_execution_give_the_same_outputs(tmp_path: Path) -> None:
    """Two chapters executed by the pre-execution pool and one after another: identical outputs,
    figures included (their PDFs carry no time of drawing)."""
    import json
    import shutil
    import sys

    sys.path.insert(0, str(REPO_ROOT / "scripts"))
    import execute

    pages = ["conclusion", "kazakhstan-2022"]
    results = {}
    for jobs in (1, 2):
        book = tmp_path / f"jobs{jobs}"
        (book / "chapters").mkdir(parents=True)
        for name in ("_config.yml", "references.bib", "requirements.txt"):
            shutil.copy(REPO_ROOT / name, book / name)
        shutil.copytree(REPO_ROOT / "src", book / "src", ignore=shutil.ignore_patterns("__pycache__"))
        shutil.copytree(REPO_ROOT / "data", book / "data")
        (book / "_toc.yml").write_text("format: jb-book\nroot: chapters/conclusion\nparts:\n  - chapters:\n"
                                       "      - file: chapters/kazakhstan-2022\n")
        for page in pages:
            shutil.copy(REPO_ROOT / "chapters" / f"{page}.md", book / "chapters" / f"{page}.md")
        executed = execute.execute(book, None, jobs)
        assert sorted(executed) == [f"chapters/{p}.md" for p in sorted(pages)]
        from jupyter_cache import get_cache

        cache = get_cache(str(book / "_build" / ".jupyter_cache"))
        outputs = {}
        for page in pages:
            record = cache.match_cache_notebook(execute.read_notebook(book / "chapters" / f"{page}.md"))
            nb = cache.get_cache_bundle(record.pk).nb
            outputs[page] = json.dumps([c.get("outputs", []) for c in nb.cells], sort_keys=True)
        assert execute.execute(book, None, jobs) == []  # all cached now: nothing runs again
        results[jobs] = outputs
    assert '"application/pdf"' in results[1]["kazakhstan-2022"]  # a chapter with figures
    for page in pages:
        a, b = results[1][page], results[2][page]
        i = next((k for k in range(min(len(a), len(b))) if a[k] != b[k]), None)
        assert a == b, (page, i, a[i - 150:i + 150] if i else None, b[i - 150:i + 150] if i else None)


def test_the_book_is_typeset_first_and_tex_errors_name_document_and_line(tmp_path: Path) -> None:
    for name in ("csto-book-origins.tex", "csto-book.tex", "csto-book-after-2022.tex"):
        (tmp_path / name).write_text("")
    assert book.typeset_order(tmp_path, "csto-book.pdf") == [
        "csto-book.pdf", "csto-book-after-2022.pdf", "csto-book-origins.pdf"]
    (tmp_path / "csto-book-origins.log").write_text(
        "(./csto-book-origins.tex\n! Undefined control sequence.\nl.42 \\foo\n\n")
    assert book.latex_errors(tmp_path, ["csto-book.pdf", "csto-book-origins.pdf"]) == [
        f"{tmp_path / 'csto-book-origins.tex'}, line 42: Undefined control sequence."]


# --- the two changes the launcher makes to Jupyter Book's own process --------------------------

def test_the_launcher_still_has_an_iri_checker_to_keep_out_and_builds_without_it() -> None:
    """The launcher hides jsonschema's optional IRI checker (rfc3987_syntax) from Jupyter Book's
    process. The pinned environment still ships that module (else the line is dead and goes), and
    jsonschema and Jupyter Book's configuration still load, with a format checker, without it."""
    import subprocess
    import sys
    from importlib.machinery import PathFinder

    # Looked for on the path itself: scripts/execute.py, imported by other tests, hides it in this process.
    assert PathFinder.find_spec("rfc3987_syntax") is not None, "nothing left to hide: drop the line"
    probe = ("import sys; sys.modules['rfc3987_syntax'] = None\n"
             "import jsonschema\n"
             "assert 'iri' not in jsonschema.FormatChecker().checkers\n"
             "from jupyter_book.config import get_final_config\n"
             "print('loaded')")
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0 and run.stdout.strip() == "loaded", run.stderr[-2000:]


def test_the_launcher_ends_at_once_with_jupyter_books_own_exit_code_and_output() -> None:
    """The launcher ends the process with os._exit after the exit handlers: the exit code Jupyter
    Book gave and everything it printed still arrive (a success and a failure)."""
    import subprocess
    import sys

    ok = subprocess.run([sys.executable, "-c", book.JUPYTER_BOOK, "build", "--help"],
                        capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0 and "Usage:" in ok.stdout and "--builder" in ok.stdout, ok.stderr[-2000:]
    bad = subprocess.run([sys.executable, "-c", book.JUPYTER_BOOK, "build", str(REPO_ROOT / "no-such-book")],
                         capture_output=True, text=True, timeout=120)
    assert bad.returncode != 0 and "no-such-book" in bad.stdout + bad.stderr
