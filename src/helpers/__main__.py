"""Command line: ``python -m helpers validate [--data DIR] [--bib FILE]``."""

from __future__ import annotations

import argparse
import sys

from .paths import chapters_dir
from .validate import check_package


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m helpers", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    val = sub.add_parser("validate", help="check the data package and its sources")
    val.add_argument("--data", help="the data package folder (default: data/)")
    val.add_argument("--bib", help="the bibliography (default: references.bib)")
    val.add_argument("--chapters", help="the chapters whose citations are checked too (default: chapters/)")
    args = parser.parse_args(argv)

    chapters = args.chapters or (chapters_dir() if chapters_dir().is_dir() else None)
    pkg = check_package(args.data, args.bib, chapters)
    problems = [str(p) for p in pkg.problems]
    if problems:
        print(f"{len(problems)} problem(s) in the data package:", file=sys.stderr)
        for p in problems:
            print(f"  {p}", file=sys.stderr)
        return 1
    rows = sum(len(t.rows) for t in pkg.tables.values())
    print(f"ok: {len(pkg.tables)} tables, {rows} rows, every check passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
