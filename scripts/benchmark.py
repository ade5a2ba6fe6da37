"""Benchmark the book's builds (a script, not a timed test): `make bench`.

Works on a temporary copy of the repository's tracked files, so the working tree
and its _build folder are never touched. Times what `make book` does (the HTML and,
with TeX, the PDF) and reports each figure beside its goal, as a share of the
reference: a clean build with everything one after another (``--jobs 1``: the notebooks
executed by myst-nb as the HTML build reads the pages, then the LaTeX, then the PDFs one
at a time), measured in the same run.

1. load and validate the dataset (median of several runs, no cache);
2. the reference: clean `make book`, everything one after another;
3. clean `make book` as `make book` runs it (the default: notebooks executed in parallel,
   the pages read once, the PDFs typeset beside the HTML), with the slowest notebook and
   the peak memory of the largest process;
4. no-op `make book`;
5. `make book` after editing one chapter's prose, then one of its code cells (and how
   many notebooks were executed each time);
6. the PDF alone, typeset from scratch after the HTML.
"""

from __future__ import annotations

import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BOOK = ROOT / "scripts" / "book.py"
EDITED = "chapters/origins.md"


def _copy_repo(dest: Path) -> Path:
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT,
                           capture_output=True, text=True, check=True).stdout.split()
    for rel in files:
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / rel, target)
    return dest


def _timed_build(source: Path, target: str, *extra: str) -> tuple[float, str]:
    start = time.perf_counter()
    run = subprocess.run([sys.executable, str(BOOK), target, "--source", str(source), *extra],
                         capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if run.returncode != 0:
        sys.exit(f"benchmark: the {target} build failed:\n{run.stdout[-3000:]}\n{run.stderr[-3000:]}")
    return elapsed, run.stdout


def _edit_first_code_cell(text: str) -> str:
    """Add a harmless statement at the end of the first code cell."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("```{code-cell}"))
    end = next(i for i in range(start + 1, len(lines)) if lines[i].strip() == "```")
    lines.insert(end, "_benchmark_edit = 1")
    return "\n".join(lines) + "\n"


def _executed(output: str) -> int:
    """Notebooks executed: by the parallel pre-execution step or by myst-nb itself."""
    return output.count("Executing notebook using") + len(re.findall(r"^\[execute\] \S+: [0-9.]+ s$", output, re.M))


def _slowest(output: str) -> str:
    times = [(float(t), name) for name, t in re.findall(r"^\[execute\] (\S+): ([0-9.]+) s$", output, re.M)]
    return f"{max(times)[1]} ({max(times)[0]:.1f} s)" if times else "n/a"


def _goal(seconds: float, reference: float, share: float) -> str:
    ratio = seconds / reference
    return f"{ratio:.2f} of the reference; goal ≤ {share:.2f}: {'met' if ratio <= share else 'NOT met'}"


def _load_seconds(runs: int = 7) -> float:
    code = (
        "import time, helpers.validate as v; t=time.perf_counter(); "
        "p=v.check_package(); assert not p.problems, p.problems; print(time.perf_counter()-t)"
    )
    times = [
        float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             check=True).stdout)
        for _ in range(runs)
    ]
    return statistics.median(times)


def _machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores, {cpu}, Python {platform.python_version()}, {platform.system()}"


def main() -> int:
    rows: list[tuple[str, str, str]] = []
    rows.append(("Load and validate the dataset (median of 7)", f"{_load_seconds():.2f} s", "goal < 0.5 s"))
    pdf = bool(shutil.which("xelatex") and shutil.which("latexmk"))
    target = "all" if pdf else "html"
    with tempfile.TemporaryDirectory(prefix="csto-bench-") as tmp:
        src = _copy_repo(Path(tmp) / "book")
        reference, out = _timed_build(src, target, "--jobs", "1")
        rows.append(("Reference: clean `make book`, everything one after another (`--jobs 1`)",
                     f"{reference:.1f} s", f"{_executed(out)} notebook(s) executed, one after another; "
                     "the PDFs typeset one at a time"))
        shutil.rmtree(src / "_build")
        parallel = ("--jobs", str(os.cpu_count() or 1))
        seconds, out = _timed_build(src, target, *parallel)
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        rows.append((f"Clean `make book` (the default: {os.cpu_count()} jobs at a time)", f"{seconds:.1f} s",
                     f"{_executed(out)} executed; slowest {_slowest(out)}; {_goal(seconds, reference, 0.60)}"))
        rows.append(("Peak memory (largest single process of the builds)", f"{peak:.0f} MB", ""))
        seconds, out = _timed_build(src, target)
        rows.append(("No-op `make book`", f"{seconds:.1f} s",
                     f"{_executed(out)} executed; {_goal(seconds, reference, 0.05)}"))
        chapter = src / EDITED
        chapter.write_text(chapter.read_text() + "\nA sentence added by the benchmark.\n")
        seconds, out = _timed_build(src, target)
        rows.append((f"`make book` after editing the prose of {EDITED}", f"{seconds:.1f} s",
                     f"{_executed(out)} executed (the cache keys on code); {_goal(seconds, reference, 0.15)}"))
        chapter.write_text(_edit_first_code_cell(chapter.read_text()))
        seconds, out = _timed_build(src, target)
        rows.append((f"`make book` after editing a code cell of {EDITED}", f"{seconds:.1f} s",
                     f"{_executed(out)} executed; {_goal(seconds, reference, 0.25)}"))
        if pdf:
            shutil.rmtree(src / "_build" / "latex")
            seconds, _ = _timed_build(src, "pdf")
            rows.append(("The PDF alone, from scratch (after the HTML)", f"{seconds:.1f} s", ""))
        else:
            rows.append(("PDF", "skipped", "no TeX on this machine: the figures above are the HTML alone"))
    print(f"Machine: {_machine()}\n")
    print("| step | time | notes |\n|---|---|---|")
    for step, seconds_text, note in rows:
        print(f"| {step} | {seconds_text} | {note} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
