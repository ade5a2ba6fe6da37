"""Sphinx extension: each executable page as a notebook with its outputs, readable in plain Jupyter.

The downloads are the notebooks as the build executed them (myst-nb's ``jupyter_execute``
folder: every output, figures and tables included), with their Markdown written out for any
Jupyter: a reader of a downloaded notebook has no Sphinx to resolve the book's MyST roles, so

* ``{glue:text}`` becomes the value glued in the notebook itself;
* ``{cite:p}`` and ``{cite:t}`` become author–year citations, "(Ambrosio 2024; Bohdan 2020)"
  and "Ambrosio (2024)", from the bibliography Sphinx parsed; a "References" cell lists them;
* ``{numref}`` becomes the number the book prints ("Fig. 2.1", "Table 6.3"), ``{ref}`` the
  section title, ``{term}`` the term; labels ``(name)=`` are dropped, admonitions and
  captioned tables become bold headings, and substitutions (``{{ version }}``) are filled in;
* each figure's caption follows its figure, numbered as in the book;
* a first cell says what the notebook is and what it needs to run again.

Converting rather than shipping a JupyterLab extension means the notebook reads the same in
JupyterLab, Notebook, VS Code, GitHub's viewer or nbviewer. Every role left unconverted is a
build error, so no raw ``{glue:text}`` reaches a reader.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util import logging

from . import __version__
from .bibliography import labels, sort_key
from .cite_formats import label
from .downloads import DOWNLOADS, is_executable, notebook_name

logger = logging.getLogger(__name__)

ROLE = re.compile(r"\{(?P<role>[a-z]+(?::[a-z]+)?)\}`(?P<body>[^`]*)`")
LABEL = re.compile(r"^\([^)\s]+\)=[ \t]*\n?", re.M)
SUBSTITUTION = re.compile(r"\{\{\s*([A-Za-z_]+)\s*\}\}")
OPENING = re.compile(r"^(?P<fence>:{3,}|`{3,})\{(?P<name>[a-z-]+)\}[ \t]*(?P<arg>.*)$")
EXPLICIT = re.compile(r"^(?P<text>.*?)\s*<(?P<target>[^<>]+)>$", re.S)


_PUNCTUATION = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


def literal_markdown(text: str) -> str:
    """Text as literal Markdown: every ASCII punctuation character backslash-escaped (CommonMark).

    Glued values can come from the data, and data text never becomes markup.
    """
    return "".join("\\" + c if c in _PUNCTUATION else c for c in text).replace("\n", " ")


def _strip_braces(text: str) -> str:
    return re.sub(r"[{}]", "", text).strip()


def reference_line(entry: Any, label: tuple[str, str]) -> str:
    """One line of a notebook's reference list: names (year, suffixed as in the book). Title. Where. Address."""
    who, year = label
    title = _strip_braces(entry.fields.get("title", ""))
    where = _strip_braces(entry.fields.get("journal") or entry.fields.get("howpublished")
                          or entry.fields.get("publisher") or entry.fields.get("organization") or "")
    url = entry.fields.get("url", "")
    return " ".join(p for p in [f"{who} ({year}). *{title}*.", f"{where}." if where else "",
                                f"<{url}>" if url else ""] if p)


class Resolver:
    """Turns the book's roles into plain text for one page, recording the works it cites."""

    def __init__(self, app: Sphinx, docname: str, glue: dict[str, str]) -> None:
        self.app, self.docname, self.glue = app, docname, glue
        self.entries = app.env.get_domain("cite").bibdata.data.entries
        self.labels = labels(self.entries.values())  # the Bibliography's labels, "TASS 2022a"
        self.cited: list[str] = []

    def _citation(self, key: str) -> tuple[str, str]:
        if key not in self.entries:
            raise ExtensionError(f"{self.docname}: citation key {key!r} is not in the bibliography")
        self.cited.append(key)
        return self.labels[key]

    def _number(self, label: str) -> str:
        std = self.app.env.get_domain("std")
        docname, labelid = std.anonlabels.get(label, (None, None))
        fignumbers = self.app.env.toc_fignumbers.get(docname, {})
        for figtype, numbers in fignumbers.items():
            if labelid in numbers:
                form = self.app.config.numfig_format.get(figtype, "%s")
                return form % ".".join(str(n) for n in numbers[labelid])
        raise ExtensionError(f"{self.docname}: {{numref}} target {label!r} has no number")

    def role(self, role: str, body: str) -> str:
        explicit = EXPLICIT.match(body)
        if role == "glue:text":
            if body not in self.glue:
                raise ExtensionError(f"{self.docname}: {{glue:text}} {body!r} was not glued")
            return literal_markdown(self.glue[body])
        if role in ("cite:p", "cite:t"):
            cites = [self._citation(k.strip()) for k in body.split(",")]
            if role == "cite:p":
                return "(" + "; ".join(f"{who} {year}" for who, year in cites) + ")"
            return "; ".join(f"{who} ({year})" for who, year in cites)
        if role == "numref":
            return self._number(explicit.group("target") if explicit else body)
        if role == "ref":
            if explicit:
                return explicit.group("text")
            label = self.app.env.get_domain("std").labels.get(body)
            if label is None:
                raise ExtensionError(f"{self.docname}: {{ref}} target {body!r} is unknown")
            return label[2]
        if role == "term":
            return explicit.group("text") if explicit else body
        raise ExtensionError(f"{self.docname}: no plain-text form for the role {{{role}}}")


def plain_markdown(text: str, role: Callable[[str, str], str], substitutions: dict[str, str],
                   number: Callable[[str], str]) -> str:
    """MyST Markdown written out for plain Jupyter (see the module's description)."""
    text = LABEL.sub("", text)
    text = SUBSTITUTION.sub(lambda m: str(substitutions.get(m.group(1), m.group(0))), text)
    out: list[str] = []
    fences: list[str] = []
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        opening = OPENING.match(line)
        if opening:
            fences.append(opening.group("fence"))
            options = {}
            while i + 1 < len(lines) and lines[i + 1].startswith(":") and not lines[i + 1].startswith(":::"):
                name, _, value = lines[i + 1][1:].partition(":")
                options[name.strip()] = value.strip()
                i += 1
            heading = opening.group("arg") or opening.group("name").capitalize()
            if "name" in options and opening.group("name") != "rubric":  # a rubric's label has no number
                heading = f"{number(options['name'])}. {heading}"
            if opening.group("name") != "container":  # a container only groups; it has no heading
                out += [f"**{heading}**", ""]
        elif fences and line.strip() == fences[-1]:
            fences.pop()
        else:
            out.append(line)
        i += 1
    return ROLE.sub(lambda m: role(m.group("role"), m.group("body")), "\n".join(out))


def _source(cell: dict[str, Any]) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def _glued(path: Path) -> dict[str, str]:
    """Every value glued in an executed notebook, as plain text (strings without their quotes).

    myst-nb moves the glue outputs out of the notebook into ``<name>.glue.json`` beside it.
    """
    glue_file = path.with_suffix(".glue.json")
    if not glue_file.exists():
        return {}
    out = {}
    for name, output in json.loads(glue_file.read_text(encoding="utf-8")).items():
        text = next(v for k, v in output["data"].items() if k.endswith("text/plain"))
        text = "".join(text) if isinstance(text, list) else text
        out[name] = text[1:-1] if len(text) > 1 and text[0] == text[-1] and text[0] in "'\"" else text
    return out


def _markdown_cell(text: str) -> dict[str, Any]:
    return {"cell_type": "markdown", "metadata": {}, "source": text}


def about_cell(meta: dict[str, Any], title: str) -> str:
    """The first cell of a downloaded notebook: what it is and what it needs to run again."""
    where = f" The book is published at <{meta['url']}>." if meta.get("url") else ""
    return (
        f"This notebook is “{title}”, a page of *{meta['title']}*, version {label(meta)} "
        f"({meta['date'].isoformat()}), as the book's build executed it: its outputs are the book's figures "
        f"and tables.{where}\n\n"
        "**To run it again**, download the notebook kit, `csto-book-notebooks.zip`, linked from every "
        "page of the book beside this notebook: it holds every chapter's notebook, the data package, the "
        "book's `helpers` package and the pinned Python packages they need. Unzip it and, with Python 3.11, "
        "run in its folder:\n\n"
        "```bash\npython3.11 -m venv .venv\n.venv/bin/python -m pip install -r requirements.txt\n"
        ".venv/bin/jupyter lab notebooks\n```\n\n"
        "The notebook runs on that environment's plain `python3` kernel. From a copy of the book's "
        "repository, `make lab` does the same."
    )


def with_cached_outputs(app: Sphinx, nb: dict[str, Any]) -> dict[str, Any]:
    """``nb`` with the outputs the execution cache holds for it, glue outputs left out as myst-nb does.

    myst-nb (pinned 1.4.0) writes ``jupyter_execute/<page>.ipynb`` from the notebook it read, which
    gets its outputs only when myst-nb executes it: when the cache already held the page (a prose
    edit, a re-read, a notebook executed ahead by ``scripts/execute.py``), the file has none. The
    cache is where the outputs are, so they are taken from there whenever it holds the notebook.
    """
    config = app.env.mystnb_config  # with the cache's folder as myst-nb resolved it (in the build folder)
    if config.execution_mode != "cache" or not config.execution_cache_path:
        return nb
    import nbformat
    from jupyter_cache import get_cache

    cache = get_cache(str(config.execution_cache_path))
    try:
        _, merged = cache.merge_match_into_notebook(nbformat.from_dict(nb))
    except KeyError:
        return nb
    for cell in merged.cells:
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.outputs if "scrapbook" not in o.get("metadata", {})
                            or not o["metadata"]["scrapbook"].get("mime_prefix")]
    return json.loads(nbformat.writes(merged))


def executed_notebook(app: Sphinx, docname: str) -> dict[str, Any]:
    """The page's executed notebook with Markdown for plain Jupyter and its figure captions."""
    path = Path(app.outdir).parent / "jupyter_execute" / f"{docname}.ipynb"
    if not path.exists():
        raise ExtensionError(f"{docname}: the executed notebook {path} is missing")
    nb = with_cached_outputs(app, json.loads(path.read_text(encoding="utf-8")))
    resolver = Resolver(app, docname, _glued(path))
    subs = {k: str(v) for k, v in (app.config.myst_substitutions or {}).items()}

    def plain(text: str) -> str:
        return plain_markdown(text, resolver.role, subs, resolver._number)

    cells = []
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            cell["source"] = plain(_source(cell))
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "text/markdown" in data:
                md = data["text/markdown"]
                data["text/markdown"] = plain("".join(md) if isinstance(md, list) else md)
        cells.append(cell)
        figure = cell.get("metadata", {}).get("mystnb", {}).get("figure", {})
        if figure.get("caption"):
            label = f"{resolver._number(figure['name'])}. " if figure.get("name") else ""
            cells.append(_markdown_cell(f"*{label}{plain(figure['caption']).strip()}*"))
    if resolver.cited:
        cited = sorted((resolver.entries[k] for k in dict.fromkeys(resolver.cited)), key=sort_key)
        refs = [reference_line(e, resolver.labels[e.key]) for e in cited]
        cells.append(_markdown_cell("## References\n\n" + "\n".join(f"- {r}" for r in refs)))
    title = app.env.titles[docname].astext()
    nb["cells"] = [_markdown_cell(about_cell(app.config.book_metadata, title)), *cells]
    nb["metadata"].pop("source_map", None)
    # Every cell an id, as nbformat 4.5 asks (a reader's Jupyter would otherwise warn, and later refuse).
    nb["nbformat"], nb["nbformat_minor"] = 4, max(int(nb.get("nbformat_minor", 0)), 5)
    for number, cell in enumerate(nb["cells"]):
        cell.setdefault("id", f"cell-{number}")
    return nb


def _write_notebooks(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    out = Path(app.outdir) / DOWNLOADS
    out.mkdir(parents=True, exist_ok=True)
    for docname in sorted(app.env.found_docs):
        if is_executable(Path(app.srcdir), docname):
            nb = executed_notebook(app, docname)
            (out / notebook_name(docname)).write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n",
                                                      encoding="utf-8")
            logger.info("notebook with outputs: %s", notebook_name(docname))


def _download_links(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """A "Downloads" line on every executable page without a cite box, and on the front page."""
    from .citation import citable_pages
    from .downloads import DATA_ZIP

    if app.builder.format != "html" or docname in citable_pages(app) or docname == app.config.root_doc:
        return
    up = "../" * docname.count("/")
    links = []
    if is_executable(Path(app.srcdir), docname):
        links.append(f'<a href="{up}{DOWNLOADS}/{notebook_name(docname)}" download>this page as a notebook '
                     "with its outputs (.ipynb)</a>")
    if links:
        links.append(f'<a href="{up}{DOWNLOADS}/{DATA_ZIP}" download>the data package (.zip): the CSV tables, '
                     "their Frictionless descriptor and the bibliography</a>")
    if links:
        doctree.append(nodes.raw("", '<p class="page-downloads">Download: ' + " · ".join(links) + ".</p>",
                                 format="html"))


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("book_ext.metadata")
    app.connect("doctree-resolved", _download_links)
    app.connect("build-finished", _write_notebooks, priority=600)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
