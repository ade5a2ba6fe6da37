"""Build the book: HTML (executing notebooks through the cache), then the PDF if TeX is present.

    python scripts/book.py html [--out DIR]
    python scripts/book.py pdf  [--out DIR] [--require-pdf]
    python scripts/book.py all  [--out DIR] [--require-pdf] [--jobs N]

By default the build keeps every core busy (N = the machine's cores, or BOOK_JOBS=N):

1. the notebooks the execution cache lacks are executed N at a time (``scripts/execute.py``);
2. Sphinx reads the pages once, in the LaTeX build, and writes the book's and each
   chapter's ``.tex``;
3. the PDFs are typeset, N documents at a time and the book's first (it takes longest),
   while the HTML build writes the pages from the same environment (``book_ext.handoff``
   has it write what the LaTeX build read).

With ``--jobs 1`` everything runs one after another, as Jupyter Book alone would: the HTML
build, in which myst-nb executes the notebooks as it reads them; the LaTeX; the PDFs, one
at a time (the benchmark's reference). When no input has changed since the last
successful build of a format (every file of the book's folder but its build folder,
virtual environments, git data and tests, fingerprinted), that format is not built
again: nothing is executed, written or typeset.

Warnings are errors. On failure the script ends with a short list of what went
wrong and where (file, and for a notebook the code cell and its line; for the PDF the
document and the line of its ``.tex``), after Jupyter Book's full output. Without TeX
the PDF step explains which Debian packages add it and succeeds, unless --require-pdf
(or BOOK_REQUIRE_PDF=1 or CI=true) is set.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APT_FILE = ROOT / ".ci" / "apt-packages.txt"


def pdf_name(source: Path = ROOT) -> str:
    """The PDF's file name, from the LaTeX target in ``_config.yml`` (its one place)."""
    import yaml

    config = yaml.safe_load((source / "_config.yml").read_text(encoding="utf-8"))
    target = config["latex"]["latex_documents"]["targetname"]
    return Path(target).with_suffix(".pdf").name
FONT = Path("/usr/share/fonts/opentype/freefont/FreeSerif.otf")
#: Where a format's build folder records the input fingerprint it was built from.
STAMP = ".book-inputs"
#: Folders of the book's folder that are not inputs of the book.
NOT_INPUTS = {"_build", ".git", "tests", "__pycache__", ".pytest_cache", ".ipynb_checkpoints", "node_modules"}


def input_fingerprint(source: Path) -> str:
    """A SHA-256 over the name and content of every input file of the book, and the checked-out
    commit, which a development build names on every page (book_ext.release_record)."""
    from book_ext.release_record import commit

    digest = hashlib.sha256(commit(source).encode())
    for path in sorted(source.rglob("*")):
        rel = path.relative_to(source)
        if any(part in NOT_INPUTS or part.startswith(".venv") for part in rel.parts) or not path.is_file():
            continue
        if path.suffix == ".pyc":
            continue
        digest.update(str(rel).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def up_to_date(folder: Path, product: Path, fingerprint: str) -> bool:
    """True if ``product`` exists and ``folder`` was last built from inputs with this fingerprint."""
    stamp = folder / STAMP
    return product.exists() and stamp.exists() and stamp.read_text(encoding="utf-8").strip() == fingerprint


#: Where a format's build folder records the fingerprint of the build side it was built with.
BUILD_SIDE_STAMP = ".book-build-side"


def record_inputs(folder: Path, fingerprint: str, build_side: str = "") -> None:
    (folder / STAMP).write_text(fingerprint + "\n", encoding="utf-8")
    (folder / BUILD_SIDE_STAMP).write_text(build_side + "\n", encoding="utf-8")


def build_side_fingerprint(source: Path) -> str:
    """The fingerprint of the book's Sphinx extensions (``src/book_ext``), or "" without them."""
    folder = source / "src" / "book_ext"
    return input_fingerprint(folder) if folder.is_dir() else ""


def fresh_build_needed(folder: Path, build_side: str) -> bool:
    """True if ``folder`` holds a build made with other extensions than ``build_side``.

    Sphinx decides what to rewrite from the pages' sources; a change to an extension (a
    transform, the translator, a stylesheet) changes no source, so Sphinx would write nothing
    and the old output would stand. Such a build starts from a fresh environment (pages read
    again, notebooks taken from the cache, none executed).
    """
    stamp = folder / BUILD_SIDE_STAMP
    if not folder.exists():
        return False
    return not stamp.exists() or stamp.read_text(encoding="utf-8").strip() != build_side


ANSI = re.compile(r"\x1b\[[0-9;]*m")


def apt_packages() -> list[str]:
    """The Debian packages the PDF needs (one list, in .ci/apt-packages.txt)."""
    lines = APT_FILE.read_text(encoding="utf-8").splitlines()
    return [w for line in lines for w in line.split("#")[0].split()]


def apt_line() -> str:
    return "sudo apt-get install --no-install-recommends " + " ".join(apt_packages())


def missing_tex() -> list[str]:
    """What the PDF build lacks on this machine (empty when all is there)."""
    missing = [tool for tool in ("xelatex", "latexmk", "xindy") if shutil.which(tool) is None]
    if not FONT.exists():
        missing.append("the FreeSerif font")
    return missing


def _cell_line(source: Path, index: int) -> int | None:
    """Line of the ``index``-th (1-based) code cell in a MyST notebook."""
    count = 0
    for number, line in enumerate(source.read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith("```{code-cell}"):
            count += 1
            if count == index:
                return number
    return None


def summarise(output: str, source: Path = ROOT) -> list[str]:
    """Turn Jupyter Book's output into one line per problem, saying where it is."""
    text = ANSI.sub("", output)
    problems: list[str] = []
    for match in re.finditer(r"^(\S+): WARNING: Executing notebook failed", text, re.M):
        path = Path(match.group(1))
        tail = text[match.end():]
        cell = re.search(r"In\[(\d+)\], line (\d+)", tail)
        error = re.search(r"^(\w+(?:Error|Exception|Exit)\w*): (.*)$", tail, re.M)
        where = str(path.relative_to(source)) if path.is_relative_to(source) else str(path)
        if cell:
            n = int(cell.group(1))
            start = _cell_line(path, n) if path.suffix == ".md" and path.exists() else None
            where += f", code cell {n}" + (f" (starting at line {start})" if start else "")
            where += f", line {cell.group(2)} of the cell"
        what = f"{error.group(1)}: {error.group(2)}" if error else "the notebook raised an error"
        problems.append(f"{where}: {what}")
    for line in text.splitlines():
        if "WARNING:" in line and "Executing notebook failed" not in line:
            problems.append(line.strip())
        elif line.startswith("ERROR:") or ": ERROR:" in line:
            problems.append(line.strip())
    return list(dict.fromkeys(problems))


#: Jupyter Book's command, run as its own ``main`` with the same arguments, with two changes:
#: - jsonschema's optional IRI checker is not imported: importing it compiles some forty
#:   grammars (about 2 s a run), and Jupyter Book checks no IRI;
#: - once the build has returned and the exit handlers have run, the process ends at once.
#:   Python's own teardown, freeing the environment's hundreds of thousands of objects one
#:   by one, takes another 2.4 s a run and writes nothing.
JUPYTER_BOOK = """\
import atexit, os, sys
sys.modules['rfc3987_syntax'] = None
sys.argv[0] = 'jupyter-book'
from jupyter_book.cli.main import main
try:
    main()
    code = 0
except SystemExit as end:
    code = end.code if isinstance(end.code, int) else (0 if end.code is None else 1)
atexit._run_exitfuncs()
sys.stdout.flush()
sys.stderr.flush()
os._exit(code)
"""


class JupyterBook:
    """One Jupyter Book build with warnings as errors, run in the background.

    Its output is kept for the summary and shown as it comes (``live``; a clean build takes
    minutes) or, for a build beside another, all at once when it ends.
    """

    def __init__(self, source: Path, args: list[str], live: bool = True,
                 on_line: Callable[[str], None] | None = None,
                 env: dict[str, str] | None = None) -> None:
        cmd = [sys.executable, "-c", JUPYTER_BOOK, "build", str(source), "-W", "-n", "--keep-going", *args]
        self.source, self.live, self.on_line = source, live, on_line
        self.lines: list[str] = []
        self.process = subprocess.Popen(cmd, cwd=source, text=True, stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT,
                                        env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})})
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line)
            if self.live:
                print(line, end="", flush=True)
            if self.on_line is not None:
                self.on_line(line)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait()
        self.reader.join()

    def wait(self) -> int:
        """The build's exit status; on failure, a summary of what went wrong and where."""
        status = self.process.wait()
        self.reader.join()
        if not self.live:
            print("".join(self.lines), end="", flush=True)
        if status != 0:
            problems = summarise("".join(self.lines), self.source)
            print("\nThe book did not build. What went wrong, and where:", file=sys.stderr)
            for p in problems or ["see the output above"]:
                print(f"  - {p}", file=sys.stderr)
        return status


def jupyter_book(source: Path, args: list[str]) -> int:
    """Run Jupyter Book with warnings as errors; print a summary of problems on failure."""
    return JupyterBook(source, args).wait()


def _output(out: Path | None) -> list[str]:
    return ["--path-output", str(out)] if out else []


def html_args(out: Path | None, fresh: bool = False) -> list[str]:
    return [*_output(out), *(["--all"] if fresh else [])]


def latex_args(out: Path | None, fresh: bool = False) -> list[str]:
    """Sphinx's LaTeX build: the book's and each chapter's ``.tex``, typeset afterwards by make."""
    return ["--builder", "latex", *_output(out), *(["--all"] if fresh else [])]


def build_html(source: Path, out: Path | None, fresh: bool = False) -> int:
    return jupyter_book(source, html_args(out, fresh))


def write_latex(source: Path, out: Path | None, fresh: bool = False) -> int:
    return jupyter_book(source, latex_args(out, fresh))


#: Formats the bibliography for the LaTeX build, in a process of its own (book_ext.bibliography.preformat).
PREFORMAT = ("import sys; sys.path.insert(0, sys.argv[1]); from book_ext.bibliography import preformat; "
             "preformat(sys.argv[3:], sys.argv[2])")


def preformat_bibliography(source: Path, out: Path | None) -> subprocess.Popen[bytes] | None:
    """Format the bibliography beside the LaTeX build's reading (on a core the reading leaves idle);
    the build uses what is ready when it formats, and formats the rest itself."""
    import yaml

    config = yaml.safe_load((source / "_config.yml").read_text(encoding="utf-8"))
    bibfiles = [str(source / f) for f in config.get("bibtex_bibfiles", [])]
    if not bibfiles or not (source / "src" / "book_ext" / "bibliography.py").exists():
        return None
    doctrees = (out or source) / "_build" / ".doctrees"
    return subprocess.Popen([sys.executable, "-c", PREFORMAT, str(source / "src"), str(doctrees), *bibfiles],
                            cwd=source, stdout=subprocess.DEVNULL)


class ReadOnce:
    """The LaTeX build, which reads the pages once, and (``html``) the HTML build beside it.

    Both start before they may read: each loads its extensions, then waits
    (``book_ext.handoff``) for a file this script creates. The LaTeX build waits until the
    notebooks are executed (:meth:`go`); the HTML build until the LaTeX build says the pages
    are read and the environment saved, after which it reads no page and writes those the
    LaTeX build read, while the LaTeX build writes. The bibliography is formatted in a third
    process meanwhile. So the start-ups take cores that would otherwise wait.
    """

    def __init__(self, source: Path, out: Path | None, fresh: bool, html: bool) -> None:
        sys.path.insert(0, str(source / "src"))
        from book_ext.handoff import READY

        build = (out or source) / "_build"
        build.mkdir(parents=True, exist_ok=True)
        self.executed, self.saved = build / ".book-notebooks-executed", build / ".book-environment-saved"
        for flag in (self.executed, self.saved):
            flag.unlink(missing_ok=True)
        self.source, self.out, self.wants_html, self.ready = source, out, html, READY
        self.latex = JupyterBook(source, latex_args(out, fresh), on_line=self._said,
                                 env={"BOOK_HANDOFF_WAIT": str(self.executed)})
        self.preformatting = preformat_bibliography(source, out)
        self.html: JupyterBook | None = None

    def _said(self, line: str) -> None:
        if self.ready in line:
            self.saved.touch()

    def go(self) -> None:
        """The notebooks are in the cache: the LaTeX build may read, and the HTML build start."""
        self.executed.touch()
        if self.wants_html:
            self.html = JupyterBook(self.source, html_args(self.out), live=False,
                                    env={"BOOK_HANDOFF_WAIT": str(self.saved)})

    def stop(self) -> None:
        for build in (self.latex, self.html):
            if build is not None:
                build.stop()
        if self.preformatting is not None:
            self.preformatting.terminate()
            self.preformatting.wait()

    def wait(self) -> tuple[int, JupyterBook | None]:
        """The LaTeX build's status, and the HTML build, still running, for the caller to wait for."""
        status = self.latex.wait()
        if self.preformatting is not None:
            self.preformatting.wait()
        html = self.html
        if html is not None and (status or not self.saved.exists()):
            html.stop()  # the LaTeX build failed, or never saved the environment: the HTML after it
            html = None if status else JupyterBook(self.source, html_args(self.out), live=False)
        # The signals stay until the next build: the HTML build may not have looked yet.
        return status, html


#: The typesetting's output (one latexmk per document), kept in the LaTeX folder.
TYPESET_LOG = "typeset.log"


def typeset_order(latex: Path, book_pdf: str) -> list[str]:
    """The PDFs to typeset, the book's first: it takes longest (three passes over some 150 pages),
    so it starts at once and the chapters' PDFs fill the other cores."""
    chapters = sorted(p.with_suffix(".pdf").name for p in latex.glob("*.tex") if p.with_suffix(".pdf").name != book_pdf)
    return [book_pdf, *chapters]


def start_typesetting(latex: Path, book_pdf: str, jobs: int) -> subprocess.Popen[bytes]:
    """Start typesetting every LaTeX document, ``jobs`` at a time, in the background.

    Sphinx's Makefile runs one latexmk per document, which typesets a document again only if
    its source or its cross-references changed, in as many passes as they need.
    """
    make = os.environ.get("MAKE", "make")
    # TeX never stops to ask (nobody would see the question in the log): it stops at the first error.
    env = {**os.environ, "LATEXOPTS": os.environ.get("LATEXOPTS", "-interaction=nonstopmode -halt-on-error")}
    with open(latex / TYPESET_LOG, "wb") as log:
        return subprocess.Popen([make, f"-j{jobs}", *typeset_order(latex, book_pdf)], cwd=latex, env=env,
                                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)


def latex_errors(latex: Path, documents: list[str]) -> list[str]:
    """Each document's TeX errors, from its log: the message and the line of the ``.tex`` file."""
    problems = []
    for pdf in documents:
        log = latex / Path(pdf).with_suffix(".log").name
        if not log.exists():
            continue
        text = log.read_text(encoding="utf-8", errors="replace").splitlines()
        for i, line in enumerate(text):
            if line.startswith("! "):
                where = next((m.group(1) for m in (re.match(r"l\.(\d+)", t) for t in text[i + 1:i + 12]) if m), None)
                tex = Path(pdf).with_suffix(".tex").name
                problems.append(f"{latex / tex}" + (f", line {where}" if where else "") + f": {line[2:].strip()}")
    return list(dict.fromkeys(problems))


def stop_typesetting(run: subprocess.Popen[bytes]) -> None:
    """Stop make and every latexmk and TeX under it."""
    if run.poll() is None:
        os.killpg(run.pid, signal.SIGTERM)
        run.wait()


def finish_typesetting(run: subprocess.Popen[bytes], latex: Path, book_pdf: str, source: Path,
                       out: Path | None) -> int:
    """Wait for the typesetting; on failure show its output and say which document failed where."""
    try:
        status = run.wait()
    except BaseException:  # interrupted: the typesetting runs in a session of its own, so stop it here
        stop_typesetting(run)
        raise
    log = latex / TYPESET_LOG
    if status != 0:
        print(log.read_text(encoding="utf-8", errors="replace"), end="")
        print("\nThe PDF did not build. What went wrong, and where:", file=sys.stderr)
        for p in latex_errors(latex, typeset_order(latex, book_pdf)) or [f"see the output above ({log})"]:
            print(f"  - {p}", file=sys.stderr)
        return status
    print(f"\nPDF: {offer_pdfs(source, out)} and each chapter's (the typesetting's output: {log})")
    return 0


def no_tex(require: bool) -> int:
    print(
        f"\nNo PDF: this machine lacks {', '.join(missing_tex())}. The HTML book is built.\n"
        f"To add the PDF on Debian or Ubuntu, install:\n    {apt_line()}\n"
        "then run `make book` again.",
        file=sys.stderr,
    )
    return 1 if require else 0


def build_pdf(source: Path, out: Path | None, require: bool, jobs: int | None = None, fresh: bool = False) -> int:
    """Write the LaTeX and typeset the book's PDF and each chapter's, ``jobs`` documents at a time."""
    if missing_tex():
        return no_tex(require)
    status = write_latex(source, out, fresh)
    if status:
        return status
    latex = (out or source) / "_build" / "latex"
    book_pdf = pdf_name(source)
    return finish_typesetting(start_typesetting(latex, book_pdf, jobs or os.cpu_count() or 1), latex, book_pdf,
                              source, out)


def offer_pdfs(source: Path, out: Path | None) -> Path:
    """Copy the book's and each chapter's PDF where the HTML pages link to them; the book's PDF."""
    pdf = (out or source) / "_build" / "latex" / pdf_name(source)
    downloads = (out or source) / "_build" / "html" / "_downloads"
    if downloads.parent.exists():
        downloads.mkdir(exist_ok=True)
        for each in sorted(pdf.parent.glob(f"{pdf.stem}*.pdf")):
            if not (downloads / each.name).exists() or (downloads / each.name).stat().st_mtime < each.stat().st_mtime:
                shutil.copy2(each, downloads / each.name)
    return pdf


def validate_data(source: Path) -> int:
    """Check the data package before anything is executed; print every fault, located."""
    from helpers.validate import check_package

    if not (source / "data").is_dir():  # a book without a data package (the fault tests' books)
        return 0
    chapters = source / "chapters"
    problems = check_package(source / "data", source / "references.bib",
                             chapters if chapters.is_dir() else None).problems
    if problems:
        print(f"The book was not built: the data package has {len(problems)} problem(s) "
              "(the same list as `make validate`):", file=sys.stderr)
        for p in problems:
            print(f"  - {p}", file=sys.stderr)
    return 1 if problems else 0


@dataclass(frozen=True)
class Plan:
    """What one run of ``make book`` will do, decided before anything runs."""

    target: str
    source: Path
    out: Path | None
    jobs: int
    require: bool
    html: Path
    latex: Path
    inputs: str
    build_side: str
    need_html: bool
    need_pdf: bool
    tex: bool
    book_pdf: str
    fresh_html: bool
    fresh_latex: bool


def plan(args: argparse.Namespace) -> Plan:
    """Decide what to build: which formats are out of date, and whether a build starts afresh."""
    require = args.require_pdf or os.environ.get("BOOK_REQUIRE_PDF") == "1" or os.environ.get("CI") == "true"
    source, out = args.source.resolve(), args.out
    jobs = args.jobs or int(os.environ.get("BOOK_JOBS", "0") or 0) or os.cpu_count() or 1
    build = (out or source) / "_build"
    html, latex = build / "html", build / "latex"
    inputs = input_fingerprint(source)
    build_side = build_side_fingerprint(source)
    need_html = need_pdf = False
    if args.target in ("html", "all"):
        need_html = not up_to_date(html, html / "index.html", inputs)
        if not need_html:
            print("HTML: up to date (no input has changed since it was built); nothing executed or written.")
    tex = not missing_tex()
    book_pdf = pdf_name(source) if args.target in ("pdf", "all") and tex else ""
    if args.target in ("pdf", "all") and tex:
        need_pdf = not up_to_date(latex, latex / book_pdf, inputs)
        if not need_pdf:
            print(f"PDF: up to date (no input has changed since it was typeset); nothing typeset: "
                  f"{offer_pdfs(source, out)}")
    fresh_html = need_html and fresh_build_needed(html, build_side)
    fresh_latex = need_pdf and fresh_build_needed(latex, build_side)
    if fresh_html or fresh_latex:
        print("The book's extensions changed; every page is read and written again.")
    return Plan(args.target, source, out, jobs, require, html, latex, inputs, build_side, need_html, need_pdf,
                tex, book_pdf, fresh_html, fresh_latex)


def run(p: Plan) -> int:
    """Carry out a plan: check the data, execute what the cache lacks, read once, write, typeset."""
    # By default the LaTeX build starts now and reads the pages once the notebooks are executed.
    reading = (ReadOnce(p.source, p.out, p.fresh_latex or p.fresh_html, p.need_html)
               if p.need_pdf and p.jobs != 1 else None)
    if p.need_html or p.need_pdf:
        if validate_data(p.source):
            if reading is not None:
                reading.stop()
            return 1
        if p.jobs != 1:
            # The notebooks the cache lacks, `jobs` at a time, before Sphinx reads the pages.
            from execute import execute

            try:
                execute(p.source, p.out, p.jobs)
            except BaseException:
                if reading is not None:  # no build left waiting for a word that will not come
                    reading.stop()
                raise
    typesetting = None
    if reading is not None:
        reading.go()
        status, html_build = reading.wait()
        if status:
            return status
        typesetting = start_typesetting(p.latex, p.book_pdf, p.jobs)
        if html_build is not None:
            try:
                status = html_build.wait()
            except BaseException:
                stop_typesetting(typesetting)
                raise
            if status:
                stop_typesetting(typesetting)
                return status
            record_inputs(p.html, p.inputs, p.build_side)
    elif p.need_html:  # one after another (or the HTML alone): myst-nb executes what the cache lacks
        status = build_html(p.source, p.out, p.fresh_html)
        if status:
            return status
        record_inputs(p.html, p.inputs, p.build_side)
    if p.need_pdf:
        if typesetting is not None:
            status = finish_typesetting(typesetting, p.latex, p.book_pdf, p.source, p.out)
        else:  # one after another: the LaTeX once the HTML is written
            status = build_pdf(p.source, p.out, p.require, p.jobs, p.fresh_latex)
        if status:
            return status
        record_inputs(p.latex, p.inputs, p.build_side)
    if p.target in ("pdf", "all") and not p.tex:
        return no_tex(p.require)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("target", choices=["html", "pdf", "all"])
    parser.add_argument("--out", type=Path, help="build into DIR/_build instead of ./_build")
    parser.add_argument("--source", type=Path, default=ROOT, help="the book's folder (default: this repository)")
    parser.add_argument("--require-pdf", action="store_true", help="fail if TeX is missing")
    parser.add_argument("--jobs", type=int, help="jobs at a time (default: the machine's cores; "
                        "1: everything one after another, the notebooks executed by myst-nb)")
    return run(plan(parser.parse_args(argv)))


if __name__ == "__main__":
    sys.exit(main())
