"""Execute the book's notebooks in parallel into the execution cache, before Sphinx reads them.

myst-nb executes a notebook when Sphinx reads its page, one page after another. This step
runs first (``scripts/book.py`` calls it): it reads every executable page exactly as myst-nb
does, finds the ones the cache (jupyter-cache, ``_build/.jupyter_cache``) does not hold, and
executes those in a pool of worker processes, one kernel each, adding each result to the
cache as myst-nb would. Sphinx then finds every notebook in the cache and executes none.

Nothing about the outputs changes: the same function (jupyter-cache's
``single_nb_execution``) runs the same notebook in the same folder, and the cache holds it
under the same key. A notebook that fails here is left out of the cache, so Sphinx executes
it again itself and reports the failing cell where it always has.

    python scripts/execute.py [--source DIR] [--out DIR] [--jobs N]   (N=1: one after another)
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
# jupyter-cache imports nbformat, and nbformat jsonschema, whose optional IRI checker compiles
# some forty grammars on import (about 2 s); nothing here checks an IRI (see scripts/book.py).
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]


def _config(source: Path) -> dict[str, Any]:
    import yaml

    return yaml.safe_load((source / "_config.yml").read_text(encoding="utf-8"))


def executable_pages(source: Path) -> list[Path]:
    """The pages in the table of contents that are notebooks (a kernelspec in their front matter)."""
    import yaml

    sys.path.insert(0, str(source / "src"))
    from book_ext.downloads import is_executable  # the build's own test of "a notebook page"

    toc = yaml.safe_load((source / "_toc.yml").read_text(encoding="utf-8"))
    files = [toc["root"], *(c["file"] for part in toc.get("parts", []) for c in part["chapters"])]
    return [source / f"{f}.md" for f in files if is_executable(source, f)]


def read_notebook(path: Path) -> Any:
    """The page as the notebook myst-nb makes of it (same reader, same cells, same metadata)."""
    from myst_nb.core.read import read_myst_markdown_notebook
    from myst_parser.config.main import MdParserConfig

    return read_myst_markdown_notebook(path.read_text(encoding="utf-8"), MdParserConfig(), path=path)


def _execute(args: tuple[str, int]) -> tuple[str, Any, float, str | None]:
    """Worker: execute one page's notebook in its own folder; (path, notebook, seconds, error)."""
    from jupyter_cache.executors.utils import single_nb_execution

    path, timeout = Path(args[0]), args[1]
    notebook = read_notebook(path)
    result = single_nb_execution(notebook, cwd=str(path.parent), allow_errors=False, timeout=timeout,
                                 meta_override=True)
    error = f"{result.err.__class__.__name__}: {result.err}" if result.err else None
    return str(path), notebook, result.time, error


def execute(source: Path, out: Path | None = None, jobs: int | None = None) -> list[str]:
    """Execute the pages the cache lacks, ``jobs`` at a time; return the pages executed."""
    sys.path.insert(0, str(source / "src"))
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    from book_ext.execution_inputs import DEFAULT_INPUTS, guard_cache

    config = _config(source)
    execute_config = config.get("execute", {})
    if execute_config.get("execute_notebooks", "auto") != "cache":
        return []
    inputs = config.get("sphinx", {}).get("config", {}).get("book_execution_inputs", DEFAULT_INPUTS)
    cache_dir = Path(execute_config.get("cache") or ((out or source) / "_build" / ".jupyter_cache"))
    guard_cache(source, inputs, cache_dir)  # as the build will: new inputs, empty cache
    cache = get_cache(str(cache_dir))
    missing = []
    for page in executable_pages(source):
        try:
            cache.match_cache_notebook(read_notebook(page))
        except KeyError:
            missing.append(page)
    if not missing:
        return []
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(missing)))
    timeout = int(execute_config.get("timeout", 30))
    work = [(str(p), timeout) for p in missing]
    start = time.perf_counter()
    if jobs == 1:
        results = map(_execute, work)
    else:
        pool = ProcessPoolExecutor(max_workers=jobs)
        results = pool.map(_execute, work)
    executed = []
    for path, notebook, seconds, error in results:
        name = Path(path).relative_to(source)
        if error:  # left out of the cache: the build executes it again and reports where it failed
            print(f"[execute] {name}: failed ({error.splitlines()[0][:200]}); the build will report it", flush=True)
            continue
        cache.cache_notebook_bundle(CacheBundleIn(notebook, path, data={"execution_seconds": seconds}),
                                    check_validity=False, overwrite=True)
        executed.append(str(name))
        print(f"[execute] {name}: {seconds:.1f} s", flush=True)
    if jobs > 1:
        pool.shutdown()
    print(f"[execute] {len(executed)} of {len(missing)} notebook(s) executed, {jobs} at a time, "
          f"in {time.perf_counter() - start:.1f} s", flush=True)
    return executed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, default=ROOT)
    parser.add_argument("--out", type=Path, help="the build folder's parent, as scripts/book.py --out")
    parser.add_argument("--jobs", type=int, help="notebooks at a time (default: the machine's cores; 1: in turn)")
    args = parser.parse_args(argv)
    execute(args.source.resolve(), args.out, args.jobs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
