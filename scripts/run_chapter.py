"""``make run``: one chapter run again as of another day, written as a notebook and a readable page.

    python scripts/run_chapter.py CHAPTER CUTOFF     (make run CHAPTER=failures CUTOFF=2020-01-01)

Before any kernel starts, the chapter must be one of the book's notebooks with a ``cutoff``
parameter and the cut-off an ISO date within the data (``helpers.parse_cutoff``); otherwise one
line says what is accepted and nothing is written. The chapter runs through papermill in a
temporary folder, with ``cutoff`` as a string, and only a run that succeeds is moved into
``_build/runs/``: ``<chapter>-<cutoff>.ipynb`` (the executed notebook) and ``.html`` (the same,
with the code hidden, every glued number written into the prose and the MyST roles read as
plain words), so that the new numbers can be read without building the book.
"""

from __future__ import annotations

import ast
import re
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUNS = ROOT / "_build" / "runs"
KERNEL = "csto-book"

#: MyST roles as plain words: {role}`text <target>` keeps the text, {role}`target` the target.
_ROLE = re.compile(r"\{(?:term|ref|numref|doc)\}`([^`<]*?)(?:\s*<([^`>]+)>)?`")
_CITE = re.compile(r"\{cite:(p|t)\}`([^`]+)`")
_GLUE = re.compile(r"\{glue:text\}`([^`]+)`")


#: The readable page around nbconvert's body: no script, no font or style from another host.
PAGE = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>{title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body {{ max-width: 46rem; margin: 2rem auto; padding: 0 1rem; font: 1rem/1.5 sans-serif; }}
img {{ max-width: 100%; height: auto; }} table {{ border-collapse: collapse; }}
td, th {{ border: 1px solid #767676; padding: 0.2rem 0.4rem; }}</style></head>
<body>
{body}
</body>
</html>
"""


def fail(message: str) -> int:
    print(f"make run: {message}", file=sys.stderr)
    return 2


def chapters() -> list[str]:
    """The chapters that take a cut-off: notebooks whose parameters cell sets ``cutoff``."""
    names = []
    for path in sorted((ROOT / "chapters").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        if text.startswith("---\njupytext:") and re.search(r":tags: \[parameters[^\n]*\n\n[^`]*^cutoff = ",
                                                          text, re.M):
            names.append(path.stem)
    return names


def glued_values(nb: dict) -> dict[str, str]:
    """Each value the notebook glued, as the book prints it (a string without its quotes)."""
    values = {}
    for cell in nb["cells"]:
        for output in cell.get("outputs", []):
            name = output.get("metadata", {}).get("scrapbook", {}).get("name")
            data = output.get("data", {})
            text = next((v for k, v in data.items() if k.endswith("text/plain")), None)
            if name and text is not None:
                text = "".join(text) if isinstance(text, list) else text
                try:
                    value = ast.literal_eval(text)
                    values[name] = value if isinstance(value, str) else text
                except (ValueError, SyntaxError):
                    values[name] = text
    return values


def plain_markdown(text: str, values: dict[str, str]) -> str:
    """A Markdown cell with glued numbers filled in and MyST roles and fences read as plain Markdown."""
    text = _GLUE.sub(lambda m: values.get(m.group(1), m.group(1)), text)
    text = _CITE.sub(lambda m: ("(" + "; ".join(k.strip() for k in m.group(2).split(",")) + ")")
                     if m.group(1) == "p" else "; ".join(k.strip() for k in m.group(2).split(",")), text)
    text = _ROLE.sub(lambda m: m.group(1).strip() or (m.group(2) or ""), text)
    text = re.sub(r"^:::\{admonition\}\s*(.*)$", r"**\1**", text, flags=re.M)
    text = re.sub(r"^:::\{[^}]+\}.*$|^:::\s*$|^:class:.*$|^\([a-z0-9-]+\)=\s*$", "", text, flags=re.M)
    return text


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        return fail("usage: make run CHAPTER=<chapter> CUTOFF=<YYYY-MM-DD>")
    chapter, cutoff = argv
    known = chapters()
    if chapter not in known:
        return fail(f"no chapter {chapter!r} takes a cut-off; the chapters are: {', '.join(known)}")
    sys.path.insert(0, str(ROOT / "src"))
    import helpers

    try:
        day = helpers.parse_cutoff(cutoff)
    except helpers.CutoffError as error:
        return fail(str(error))
    assert day is not None  # parse_cutoff gives None only for None, and the command line gives a string
    import jupytext
    import nbformat
    import papermill
    from nbconvert import HTMLExporter

    stem = f"{chapter}-{day.date()}"
    with tempfile.TemporaryDirectory(prefix="run-", dir=ROOT / "_build" if (ROOT / "_build").exists() else None) as tmp:
        source, executed = Path(tmp) / f"{chapter}.ipynb", Path(tmp) / f"{stem}.ipynb"
        nbformat.write(jupytext.read(ROOT / "chapters" / f"{chapter}.md"), source)
        try:
            papermill.execute_notebook(str(source), str(executed), parameters={"cutoff": str(day.date())},
                                       kernel_name=KERNEL, cwd=str(ROOT / "chapters"), progress_bar=False,
                                       log_output=False)
        except papermill.PapermillExecutionError as error:
            return fail(f"{chapter} failed at {day.date()} in cell {error.exec_count}: "
                        f"{error.ename}: {error.evalue}")
        nb = nbformat.read(executed, as_version=4)
        values = glued_values(nb)
        readable = nbformat.from_dict(nb)
        for cell in readable.cells:
            if cell.cell_type == "markdown":
                cell.source = plain_markdown(cell.source, values)
            else:  # glued values are in the prose now; their records show nothing
                cell.outputs = [o for o in cell.get("outputs", []) if "scrapbook" not in o.get("metadata", {})]
                for output in cell.outputs:
                    if "text/markdown" in output.get("data", {}):
                        output["data"]["text/markdown"] = plain_markdown(output["data"]["text/markdown"], values)
        exporter = HTMLExporter(template_name="basic", exclude_input=True, exclude_input_prompt=True,
                                exclude_output_prompt=True)
        body, _ = exporter.from_notebook_node(readable)  # the basic template loads nothing from other hosts
        page = PAGE.format(title=f"{chapter} as of {day.date()}", body=body)
        RUNS.mkdir(parents=True, exist_ok=True)
        shutil.move(str(executed), RUNS / f"{stem}.ipynb")
        (RUNS / f"{stem}.html").write_text(page, encoding="utf-8")
    print(f"written: {(RUNS / f'{stem}.ipynb').relative_to(ROOT)} and .html (the chapter as of {day.date()}, "
          "its numbers filled in)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
