"""Benchmark the book's builds (a script, not a timed test): `make bench`.

Works on a temporary copy of the repository's tracked files, so the working tree
and its _build folder are never touched. Reports, with the machine it ran on:

1. load and validate the dataset (median of several runs, no cache);
2. clean HTML build, executing every notebook;
3. no-op rebuild;
4. rebuild after editing one chapter's prose, then one of its code cells (and how
   many notebooks were executed each time);
5. PDF build (after the HTML build), if TeX is present.
"""

from __future__ import annotations

import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BOOK = ROOT / "scripts" / "book.py"
EDITED = "chapters/data-and-methods.md"


def _copy_repo(dest: Path) -> Path:
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT,
                           capture_output=True, text=True, check=True).stdout.split()
    for rel in files:
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / rel, target)
    return dest


def _timed_build(source: Path, target: str) -> tuple[float, str]:
    start = time.perf_counter()
    run = subprocess.run([sys.executable, str(BOOK), target, "--source", str(source)],
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
    return output.count("Executing notebook using")


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
    with tempfile.TemporaryDirectory(prefix="csto-bench-") as tmp:
        src = _copy_repo(Path(tmp) / "book")
        seconds, out = _timed_build(src, "html")
        rows.append(("Clean HTML build, executing notebooks", f"{seconds:.1f} s",
                     f"{_executed(out)} notebook(s) executed; goal < 60 s"))
        seconds, out = _timed_build(src, "html")
        rows.append(("No-op rebuild", f"{seconds:.1f} s", f"{_executed(out)} executed; goal < 3 s"))
        chapter = src / EDITED
        chapter.write_text(chapter.read_text() + "\nA sentence added by the benchmark.\n")
        seconds, out = _timed_build(src, "html")
        rows.append((f"Rebuild after editing the prose of {EDITED}", f"{seconds:.1f} s",
                     f"{_executed(out)} executed (the cache keys on code)"))
        chapter.write_text(_edit_first_code_cell(chapter.read_text()))
        seconds, out = _timed_build(src, "html")
        rows.append((f"Rebuild after editing a code cell of {EDITED}", f"{seconds:.1f} s",
                     f"{_executed(out)} executed; goal < 15 s, only that chapter"))
        if shutil.which("xelatex") and shutil.which("latexmk"):
            seconds, _ = _timed_build(src, "pdf")
            rows.append(("PDF build (after the HTML build)", f"{seconds:.1f} s", ""))
        else:
            rows.append(("PDF build", "skipped", "no TeX on this machine"))
    print(f"Machine: {_machine()}\n")
    print("| step | time | notes |\n|---|---|---|")
    for step, seconds_text, note in rows:
        print(f"| {step} | {seconds_text} | {note} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
