"""A small Sphinx extension: give the PDF the book's parts, as ``_toc.yml`` declares them.

Sphinx's LaTeX writer knows nothing of Jupyter Book's parts. When the whole book
has been assembled into one document for LaTeX, this extension inserts, before
the first file of each part:

* the part captioned ``book_front_matter_caption``: nothing but its numbering (the
  table of contents opens ``\\frontmatter``, so roman page numbers run on from it);
* any other part: ``\\mainmatter`` (once) and ``\\part{...}``;
* numbering as the toc says: parts with ``numbered: true`` get chapter and section
  numbers and figures numbered by chapter (2.1); the others none, with their figures
  and tables in one running sequence (Fig. 5, Table 7), which is how Sphinx numbers
  them in the HTML edition, so the two editions agree.

In the HTML it only removes the live-code (Thebe) scripts that Jupyter Book adds
to every page even with launch buttons off, so that no page names a remote service.

It also keeps executed notebooks honest. jupyter-cache keys a notebook on its own
code only, so a change to the data, the helpers or the bibliography would leave
stale outputs in the book. The files named in ``book_execution_inputs`` are
therefore fingerprinted on every build: when the fingerprint changes the
execution cache is cleared, and every notebook lists those files as
dependencies, so Sphinx reads it again and it is re-executed.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path
from typing import Any

import yaml
from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx


def _latex_escape(text: str) -> str:
    for char, repl in (("\\", r"\textbackslash{}"), ("&", r"\&"), ("%", r"\%"), ("#", r"\#"),
                       ("_", r"\_"), ("{", r"\{"), ("}", r"\}"), ("$", r"\$")):
        text = text.replace(char, repl)
    return text


#: Entering a part the toc does not number: no chapter or section numbers, and figures and
#: tables numbered in one running sequence across all such parts, as Sphinx does in HTML.
ENTER_UNNUMBERED = (
    "\\setcounter{secnumdepth}{-1}\n"
    "\\counterwithout{figure}{chapter}\\counterwithout{table}{chapter}\n"
    "\\setcounter{figure}{\\value{bookunfigure}}\\setcounter{table}{\\value{bookuntable}}\n"
)
#: Leaving such parts for a numbered one: keep the running count, number by chapter again.
LEAVE_UNNUMBERED = (
    "\\setcounter{bookunfigure}{\\value{figure}}\\setcounter{bookuntable}{\\value{table}}\n"
    "\\counterwithin{figure}{chapter}\\counterwithin{table}{chapter}\n"
    "\\setcounter{secnumdepth}{1}\n"
)


def part_markers(toc: dict[str, Any], front: str, appendix: str) -> dict[str, str]:
    """Map the first docname of each part to the LaTeX that must open it.

    Parts with ``numbered: true`` in the toc get numbered chapters and sections and
    figures numbered by chapter (1.1, 1.2); all other parts are unnumbered, with
    figures and tables in one running sequence, matching the HTML edition.
    """
    markers: dict[str, str] = {}
    in_main = False
    numbered_now = False
    for part in toc.get("parts", []):
        caption = part.get("caption", "")
        first = part["chapters"][0]["file"]
        numbered = bool(part.get("numbered"))
        latex = ""
        if caption != front and not in_main:
            latex += "\\mainmatter\n"
            in_main = True
        if numbered and not numbered_now:
            latex += LEAVE_UNNUMBERED
        elif not numbered and (numbered_now or caption == front):
            latex += ENTER_UNNUMBERED
        numbered_now = numbered
        if caption != front:
            latex += f"\\part{{{_latex_escape(caption)}}}\n"
        markers[first] = latex
    return markers


def _insert_parts(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    if app.builder.format != "latex":
        return
    toc_path = Path(app.srcdir) / "_toc.yml"
    if not toc_path.exists():
        return
    toc = yaml.safe_load(toc_path.read_text(encoding="utf-8"))
    markers = part_markers(toc, app.config.book_front_matter_caption, app.config.book_appendix_caption)
    for start in list(doctree.findall(addnodes.start_of_file)):
        latex = markers.get(start["docname"])
        if latex:
            start.parent.insert(start.parent.index(start), nodes.raw("", latex, format="latex"))


FINGERPRINT_FILE = "book-inputs.sha256"


def input_files(srcdir: Path, inputs: list[str]) -> list[Path]:
    """Every file under the given paths (files or folders), sorted, caches left out."""
    files: list[Path] = []
    for entry in inputs:
        path = srcdir / entry
        candidates = [path] if path.is_file() else sorted(path.rglob("*"))
        files += [
            f for f in candidates
            if f.is_file() and "__pycache__" not in f.parts and not f.name.endswith(".pyc")
        ]
    return files


def fingerprint(srcdir: Path, inputs: list[str]) -> str:
    """A SHA-256 over the names and contents of the execution inputs."""
    digest = hashlib.sha256()
    for f in input_files(srcdir, inputs):
        digest.update(str(f.relative_to(srcdir)).encode() + b"\0" + f.read_bytes() + b"\0")
    return digest.hexdigest()


def _cache_dir(app: Sphinx) -> Path:
    configured = getattr(app.config, "nb_execution_cache_path", "")
    return Path(configured) if configured else Path(app.outdir).parent / ".jupyter_cache"


def _guard_cache(app: Sphinx, config: Any) -> None:
    """Clear the execution cache if the inputs changed since it was filled."""
    srcdir = Path(app.srcdir)
    current = fingerprint(srcdir, config.book_execution_inputs)
    cache = _cache_dir(app)
    stamp = cache / FINGERPRINT_FILE
    if cache.exists() and (not stamp.exists() or stamp.read_text().strip() != current):
        shutil.rmtree(cache)
        print(f"[book] execution inputs changed: cleared {cache}; notebooks will be re-executed")
    cache.mkdir(parents=True, exist_ok=True)
    stamp.write_text(current + "\n")


def _note_inputs(app: Sphinx, docname: str, source: list[str]) -> None:
    """Make every executed notebook depend on the execution inputs."""
    if "kernelspec" not in source[0][:2000]:
        return
    for f in input_files(Path(app.srcdir), app.config.book_execution_inputs):
        app.env.note_dependency(str(f))


#: Replaces Sphinx's table of contents, which switches to arabic page numbers after it.
TABLE_OF_CONTENTS = (
    "\\newcounter{bookunfigure}\\newcounter{bookuntable}\n"
    "\\frontmatter\n\\renewcommand{\\contentsname}{Contents}\n"
    "\\begingroup\\setlength{\\parskip}{0pt}\\tableofcontents\\endgroup\n"
)


def _front_matter_toc(app: Sphinx, config: Any) -> None:
    config.latex_elements = {**config.latex_elements, "tableofcontents": TABLE_OF_CONTENTS}


def _is_thebe(asset: Any) -> bool:
    name = str(getattr(asset, "filename", None) or asset or "")
    attrs = getattr(asset, "attributes", {}) or {}
    return "thebe" in name or attrs.get("type") == "text/x-thebe-config"


def _drop_thebe(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
                doctree: Any) -> None:
    """Remove live-code (Thebe) scripts and styles: the book launches nothing remote."""
    for key in ("script_files", "css_files"):
        if key in context:
            context[key] = [a for a in context[key] if not _is_thebe(a)]


def _drop_thebe_config(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Remove the raw Thebe configuration (a Binder repository) appended to each page."""
    for raw in list(doctree.findall(nodes.raw)):
        text = raw.astext()
        if "text/x-thebe-config" in text or text.startswith("<script>kernelName ="):
            raw.parent.remove(raw)


def _note_reading(app: Sphinx, env: Any, docnames: list[str]) -> None:
    env.book_docs_read = len(docnames)


def _reuse_formatted_citations() -> None:
    """Skip sphinxcontrib-bibtex's re-formatting of every entry when no document was read.

    Its ``env_updated`` formats the whole bibliography on every build, although the
    result is pickled with the environment. When no document is read (a no-op
    rebuild), nothing it depends on has changed: a changed .bib file makes the
    extension mark the citing documents as outdated, so they are read and the
    formatting runs again. This keeps the no-op rebuild fast as the bibliography grows.
    """
    from sphinxcontrib.bibtex.domain import BibtexDomain

    original = BibtexDomain.env_updated
    if getattr(original, "book_reuses_citations", False):
        return

    def env_updated(self: Any) -> Any:
        if getattr(self.env, "book_docs_read", None) == 0 and self.citations:
            return []
        return original(self)

    env_updated.book_reuses_citations = True  # type: ignore[attr-defined]
    BibtexDomain.env_updated = env_updated


def _register_citation_style() -> None:
    """The house bibliography style ``book``: pybtex's plain style, titles as written.

    The plain style sentence-cases titles, which lowercases names and acronyms in a
    bibliography full of them (CSTO, Armenia, Pashinyan) unless every one is braced.
    """
    import pybtex.plugin
    from pybtex.style.formatting.plain import Style as PlainStyle
    from pybtex.style.template import field, sentence

    class BookStyle(PlainStyle):  # type: ignore[misc]
        def format_title(self, e: Any, which_field: str, as_sentence: bool = True) -> Any:
            title = field(which_field)
            return sentence[title] if as_sentence else title

    try:
        pybtex.plugin.find_plugin("pybtex.style.formatting", "book")
    except pybtex.plugin.PluginNotFound:
        pybtex.plugin.register_plugin("pybtex.style.formatting", "book", BookStyle)


def setup(app: Sphinx) -> dict[str, Any]:
    _register_citation_style()
    _reuse_formatted_citations()
    app.connect("env-before-read-docs", _note_reading)
    app.connect("html-page-context", _drop_thebe, priority=900)
    app.connect("doctree-resolved", _drop_thebe_config, priority=900)
    app.add_config_value(
        "book_execution_inputs", ["data", "src/helpers", "references.bib", "requirements.txt"], "env"
    )
    app.connect("config-inited", _front_matter_toc)
    app.connect("config-inited", _guard_cache)
    app.connect("source-read", _note_inputs)
    app.add_config_value("book_front_matter_caption", "Front matter", "env")
    app.add_config_value("book_appendix_caption", "Appendices", "env")
    app.connect("doctree-resolved", _insert_parts)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
