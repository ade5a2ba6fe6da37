"""Sphinx extension: the notebook kit, one download with which a reader runs every chapter.

A downloaded notebook needs the data, the ``helpers`` package its cells import and the Python
packages those import. ``_downloads/csto-book-notebooks.zip`` holds all of it:

* ``notebooks/``: every executable page as the book offers it (:mod:`book_ext.notebooks`), its
  kernel the plain ``python3`` one;
* ``data/``: the data package and the bibliography; ``chapters/``: the chapters' MyST sources,
  from which each chapter's list of sources reads its citations;
* the ``helpers`` package as a wheel, written here from ``src/helpers`` (:func:`helpers_wheel`:
  the files, their hashes and the package's metadata, so that building it needs no tool);
* ``requirements.txt``: the wheel and, pinned as the book pins them, the packages ``helpers``
  imports with everything they need (:func:`kit_requirements`), JupyterLab included;
* a README with the three commands that set it up and open the notebooks.

``helpers`` installed from the wheel finds the kit's ``data/`` and ``chapters/`` from the
notebook's folder.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
import tomllib
import zipfile
from importlib import metadata
from pathlib import Path
from typing import Any

from packaging.markers import default_environment
from packaging.requirements import Requirement
from sphinx.application import Sphinx

from . import __version__
from .cite_formats import label
from .downloads import DOWNLOADS, is_executable, notebook_name

KIT_ZIP = "csto-book-notebooks.zip"
KIT = "csto-book-notebooks"
#: What the notebooks' cells import, directly or through helpers, and the front end to run them in.
ROOTS = ("pandas", "matplotlib", "networkx", "pybtex", "latexcodec", "jsonschema", "ipython", "ipykernel",
         "jupyterlab")

README = """# {title}: the notebooks

Version {version}. Every chapter of the book as a notebook with its outputs, with what it needs to
run again: the data package (`data/`), the book's `helpers` package (the wheel) and the Python
packages they use, pinned as the book pins them (`requirements.txt`).

With Python 3.11, in this folder:

```bash
python3.11 -m venv .venv
.venv/bin/python -m pip install -r requirements.txt
.venv/bin/jupyter lab notebooks
```

The notebooks run on the plain `python3` kernel of that environment. Each one's first code cell
sets `cutoff = None`, the data's own cut-off; an ISO date such as `"2010-01-01"` runs it as of
that day. `helpers` reads `data/` from the notebook's folder upwards (or the folder named by the
environment variable `CSTO_BOOK_DATA`).

The text, figures and data are licensed under CC BY 4.0, the code under the MIT licence
(`LICENSE.md`); `CITATION.cff` says how to cite the book.
"""


def _b64(digest: bytes) -> str:
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def helpers_wheel(source: Path) -> tuple[str, bytes]:
    """The ``helpers`` package as a wheel (name, bytes), from the project's ``pyproject.toml``."""
    project = tomllib.loads((source / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    dist, version = project["name"].replace("-", "_"), project["version"]
    info = f"{dist}-{version}.dist-info"
    files: dict[str, bytes] = {}
    package = source / "src" / "helpers"
    for path in sorted(package.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".mplstyle", ".json"):  # pyproject's package-data too
            files[f"helpers/{path.relative_to(package).as_posix()}"] = path.read_bytes()
    files[f"{info}/METADATA"] = (f"Metadata-Version: 2.1\nName: {project['name']}\nVersion: {version}\n"
                                 f"Summary: {project['description']}\nRequires-Python: "
                                 f"{project['requires-python']}\n").encode()
    files[f"{info}/WHEEL"] = b"Wheel-Version: 1.0\nGenerator: book_ext.kit\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    files[f"{info}/top_level.txt"] = b"helpers\n"
    record = "".join(f"{name},sha256={_b64(hashlib.sha256(data).digest())},{len(data)}\n"
                     for name, data in files.items()) + f"{info}/RECORD,,\n"
    files[f"{info}/RECORD"] = record.encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as wheel:
        for name, data in files.items():
            wheel.writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), data)
    return f"{dist}-{version}-py3-none-any.whl", buffer.getvalue()


def _pins(requirements: Path) -> dict[str, str]:
    pins = {}
    for line in requirements.read_text(encoding="utf-8").splitlines():
        if "==" in line and not line.startswith("#"):
            name, version = line.split("#", 1)[0].strip().split("==")
            pins[re.sub(r"[-_.]+", "-", name).lower()] = f"{name}=={version}"
    return pins


def kit_requirements(requirements: Path, roots: tuple[str, ...] = ROOTS) -> list[str]:
    """The pinned lines of ``requirements`` for ``roots`` and everything they require (read from the
    installed packages' metadata, extras and other platforms' markers left out), sorted."""
    pins, env = _pins(requirements), default_environment()
    wanted, pending = set(), [re.sub(r"[-_.]+", "-", r).lower() for r in roots]
    while pending:
        name = pending.pop()
        if name in wanted:
            continue
        wanted.add(name)
        for line in metadata.requires(name) or []:
            req = Requirement(line)
            if req.marker is None or req.marker.evaluate({**env, "extra": ""}):
                pending.append(re.sub(r"[-_.]+", "-", req.name).lower())
    missing = sorted(w for w in wanted if w not in pins)
    if missing:
        raise RuntimeError(f"the notebook kit needs packages requirements.txt does not pin: {missing}")
    return sorted((pins[w] for w in wanted), key=str.lower)


def _kit_notebook(path: Path) -> str:
    nb = json.loads(path.read_text(encoding="utf-8"))
    nb["metadata"]["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
    return json.dumps(nb, ensure_ascii=False, indent=1) + "\n"


def write_kit(source: Path, outdir: Path, docnames: list[str], meta: dict[str, Any]) -> Path:
    """Write the kit into the build's downloads; return its path."""
    downloads = outdir / DOWNLOADS
    wheel_name, wheel = helpers_wheel(source)
    lines = [f"./{wheel_name}", *kit_requirements(source / "requirements.txt")]
    target = downloads / KIT_ZIP
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as kit:
        kit.writestr(f"{KIT}/README.md", README.format(title=meta["title"], version=label(meta)))
        kit.writestr(f"{KIT}/requirements.txt", "\n".join(lines) + "\n")
        kit.writestr(f"{KIT}/{wheel_name}", wheel)
        for docname in docnames:
            notebook = downloads / notebook_name(docname)
            if notebook.exists():
                kit.writestr(f"{KIT}/notebooks/{notebook.name}", _kit_notebook(notebook))
        for path in sorted((source / "data").glob("*")):
            if path.is_file():
                kit.write(path, f"{KIT}/data/{path.name}")
        for path in sorted((source / "chapters").glob("*.md")):  # the sources lists read their citations
            kit.write(path, f"{KIT}/chapters/{path.name}")
        for extra, where in (("references.bib", "data/references.bib"), ("CITATION.cff", "CITATION.cff"),
                             ("LICENSE.md", "LICENSE.md")):
            if (source / extra).exists():
                kit.write(source / extra, f"{KIT}/{where}")
    return target


def _write(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    source = Path(app.srcdir)
    if not all((source / p).exists() for p in ("src/helpers", "pyproject.toml", "requirements.txt")):
        return  # a book without the helpers package (the tests' small books) has no kit to offer
    docnames = [d for d in app.env.found_docs if is_executable(source, d)]
    write_kit(source, Path(app.outdir), sorted(docnames), app.config.book_metadata)


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("book_ext.metadata")
    app.setup_extension("book_ext.notebooks")  # the notebooks the kit packs are written first
    app.connect("build-finished", _write, priority=900)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
