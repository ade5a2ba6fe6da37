"""The Content-Security-Policy extension, on a tiny Sphinx project and on strings."""

from __future__ import annotations

import base64
import hashlib
import subprocess
import sys
from pathlib import Path

from book_ext.csp import policy, protect
from helpers.paths import REPO_ROOT

PAGE = """<!DOCTYPE html>
<html>
  <head>
    <meta charset="utf-8" />
    <title>x</title>
    <script src="_static/a.js"></script>
    <script>var a = 1;</script>
  </head>
  <body><script>
    var b = 2;
  </script></body>
</html>
"""


def _hash(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode() + "'"


def test_the_policy_allows_only_own_files_and_the_pages_inline_scripts() -> None:
    out = protect(PAGE)
    head = out.split("<head>", 1)[1]
    assert head.lstrip().startswith('<meta charset="utf-8" />\n    <meta http-equiv="Content-Security-Policy"')
    csp = out.split('content="', 1)[1].split('"', 1)[0]
    assert f"script-src 'self' {' '.join(sorted([_hash('var a = 1;'), _hash(chr(10) + '    var b = 2;' + chr(10) + '  ')]))}" in csp
    for part in ("default-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-src 'none'"):
        assert part in csp
    assert "unsafe-eval" not in csp and "script-src 'self' 'unsafe-inline'" not in csp
    assert protect(out) == out  # a page built before is given a fresh policy, not a second one
    assert policy([]) .startswith("default-src 'self'; script-src 'self'; ")


CONF = (
    "import sys\nsys.path.insert(0, " + repr(str(REPO_ROOT / "src")) + ")\n"
    "extensions = [\"book_ext.csp\"]\nhtml_theme = \"basic\"\n"
)
INDEX = """Tiny
====

.. raw:: html

   <script>document.title = "ran";</script>

"""


def test_every_page_of_a_build_gets_its_policy(tmp_path: Path) -> None:
    (tmp_path / "conf.py").write_text(CONF)
    (tmp_path / "index.rst").write_text(INDEX)
    out = tmp_path / "_build"
    run = subprocess.run([sys.executable, "-m", "sphinx", "-W", "-q", "-b", "html", str(tmp_path), str(out)],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    pages = sorted(out.glob("*.html"))
    assert {p.name for p in pages} >= {"index.html", "search.html"}
    for page in pages:
        assert page.read_text().count('http-equiv="Content-Security-Policy"') == 1, page.name
    assert _hash('document.title = "ran";') in (out / "index.html").read_text()


def test_an_inline_event_handler_fails_a_strict_build(tmp_path: Path) -> None:
    (tmp_path / "conf.py").write_text(CONF)
    (tmp_path / "index.rst").write_text("Tiny\n====\n\n.. raw:: html\n\n   <img src=x onerror=\"alert(1)\">\n")
    run = subprocess.run([sys.executable, "-m", "sphinx", "-W", "-q", "-b", "html", str(tmp_path),
                          str(tmp_path / "_build")], capture_output=True, text=True)
    assert run.returncode != 0
    assert "index.html has an inline event handler, which the page's CSP blocks" in run.stderr
