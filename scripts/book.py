"""Build the book: HTML (executing notebooks through the cache), then the PDF if TeX is present.

    python scripts/book.py html [--out DIR]
    python scripts/book.py pdf  [--out DIR] [--require-pdf]
    python scripts/book.py all  [--out DIR] [--require-pdf]

The notebooks the execution cache lacks are executed in parallel before the HTML build
(``scripts/execute.py``), as many at a time as the machine has cores, or N with ``--jobs N``
(BOOK_JOBS=N); with N = 1 myst-nb executes them one after another, as it would alone. When no input has changed since the last successful build of a format (every
file of the book's folder but its build folder, virtual environments, git data and
tests, fingerprinted), that format is not built again: nothing is executed, written or
typeset.

Warnings are errors. On failure the script ends with a short list of what went
wrong and where (file, and for a notebook the code cell and its line), after
Jupyter Book's full output. Without TeX the PDF step explains which Debian
packages add it and succeeds, unless --require-pdf (or BOOK_REQUIRE_PDF=1 or
CI=true) is set.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import shutil
import subprocess
import sys
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
    """A SHA-256 over the name and content of every input file of the book."""
    digest = hashlib.sha256()
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


#: Jupyter Book's command, without jsonschema's optional IRI checker: importing it compiles
#: some forty grammars (about 2 s per run, twice per `make book`), and Jupyter Book checks no
#: IRI. Nothing else changes: the same ``main`` runs with the same arguments.
JUPYTER_BOOK = ("import sys; sys.modules['rfc3987_syntax'] = None; sys.argv[0] = 'jupyter-book'; "
                "from jupyter_book.cli.main import main; sys.exit(main())")


def jupyter_book(source: Path, args: list[str], env: dict[str, str] | None = None) -> int:
    """Run Jupyter Book with warnings as errors; print a summary of problems on failure."""
    cmd = [sys.executable, "-c", JUPYTER_BOOK, "build", str(source), "-W", "-n", "--keep-going", *args]
    run = subprocess.run(cmd, cwd=source, text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         env={**os.environ, **(env or {})})
    print(run.stdout, end="")
    if run.returncode != 0:
        problems = summarise(run.stdout, source)
        print("\nThe book did not build. What went wrong, and where:", file=sys.stderr)
        for p in problems or ["see the output above"]:
            print(f"  - {p}", file=sys.stderr)
    return run.returncode


def build_html(source: Path, out: Path | None, fresh: bool = False) -> int:
    return jupyter_book(source, [*(["--path-output", str(out)] if out else []), *(["--all"] if fresh else [])])


def build_pdf(source: Path, out: Path | None, require: bool, jobs: int | None = None, fresh: bool = False) -> int:
    """Typeset the book's PDF and each chapter's; the documents are typeset ``jobs`` at a time.

    Jupyter Book runs ``make all-pdf`` in the LaTeX folder, one latexmk per document; make
    takes its parallelism from MAKEFLAGS, and latexmk re-runs only a document whose source
    or cross-references changed.
    """
    missing = missing_tex()
    if missing:
        print(
            f"\nNo PDF: this machine lacks {', '.join(missing)}. The HTML book is built.\n"
            f"To add the PDF on Debian or Ubuntu, install:\n    {apt_line()}\n"
            "then run `make book` again.",
            file=sys.stderr,
        )
        return 1 if require else 0
    status = jupyter_book(source, ["--builder", "pdflatex", *(["--path-output", str(out)] if out else []),
                                   *(["--all"] if fresh else [])],
                          env={"MAKEFLAGS": f"-j{os.cpu_count() or 1}"})
    if status == 0:
        print(f"\nPDF: {offer_pdfs(source, out)}")
    return status


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
    problems = check_package(source / "data", source / "references.bib").problems
    if problems:
        print(f"The book was not built: the data package has {len(problems)} problem(s) "
              "(the same list as `make validate`):", file=sys.stderr)
        for p in problems:
            print(f"  - {p}", file=sys.stderr)
    return 1 if problems else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("target", choices=["html", "pdf", "all"])
    parser.add_argument("--out", type=Path, help="build into DIR/_build instead of ./_build")
    parser.add_argument("--source", type=Path, default=ROOT, help="the book's folder (default: this repository)")
    parser.add_argument("--require-pdf", action="store_true", help="fail if TeX is missing")
    parser.add_argument("--jobs", type=int, help="notebooks executed at a time (default: the machine's cores; "
                        "1: one after another, by myst-nb)")
    args = parser.parse_args(argv)
    require = args.require_pdf or os.environ.get("BOOK_REQUIRE_PDF") == "1" or os.environ.get("CI") == "true"
    source = args.source.resolve()
    # Notebooks the cache lacks run in parallel, one per core, before Sphinx reads the pages;
    # --jobs 1 (or BOOK_JOBS=1) leaves them to myst-nb, one after another (the benchmark's reference).
    jobs = args.jobs or int(os.environ.get("BOOK_JOBS", "0") or 0) or os.cpu_count() or 1
    build = (args.out or source) / "_build"
    inputs = input_fingerprint(source)
    build_side = build_side_fingerprint(source)
    if args.target in ("html", "all"):
        if up_to_date(build / "html", build / "html" / "index.html", inputs):
            print("HTML: up to date (no input has changed since it was built); nothing executed or written.")
        else:
            if validate_data(source):
                return 1
            if jobs != 1:
                from execute import execute

                execute(source, args.out, jobs)
            fresh = fresh_build_needed(build / "html", build_side)
            if fresh:
                print("HTML: the book's extensions changed; every page is read and written again.")
            status = build_html(source, args.out, fresh)
            if status:
                return status
            record_inputs(build / "html", inputs, build_side)
    if args.target in ("pdf", "all"):
        if not missing_tex() and up_to_date(build / "latex", build / "latex" / pdf_name(source), inputs):
            print(f"PDF: up to date (no input has changed since it was typeset); nothing typeset: "
                  f"{offer_pdfs(source, args.out)}")
            return 0
        if args.target == "pdf" and validate_data(source):
            return 1
        status = build_pdf(source, args.out, require, jobs, fresh_build_needed(build / "latex", build_side))
        if status == 0 and not missing_tex():
            record_inputs(build / "latex", inputs, build_side)
        return status
    return 0


if __name__ == "__main__":
    sys.exit(main())
