"""Sphinx extension: figures and tables outside the numbered chapters carry their part's letter.

Sphinx numbers the figures of numbered chapters by chapter (Fig. 2.1) and those of every
other page in one running sequence (Fig. 5), so an appendix's "Fig. 5" sat beside chapter
5's "Fig. 5.1". Here each part the toc does not number numbers its figures and tables on
their own, behind a letter: ``book_part_letters`` maps a part's caption to its letter (the
introduction "I", the conclusion "C", the appendices "A"); a part not listed takes the first
letter of its caption. Fig. I.1, Table C.2 and Table A.13 cannot be read as chapter numbers.

HTML, ``{numref}`` and everything else that reads ``env.toc_fignumbers`` gets the lettered
numbers; the PDF gets the same from ``book_ext.pdf_parts``, which sets LaTeX's counters with
:func:`part_letter`. Sphinx's own numbering is kept aside and put back before Sphinx assigns
numbers again, so that its comparison of old and new numbers (which decides the pages to
rewrite) compares like with like.
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from . import __version__
from .toc import Part, parts

#: ``env.toc_fignumbers``: docname -> figure type -> node id -> number.
FigNumbers = dict[str, dict[str, dict[str, tuple[Any, ...]]]]


def part_letter(part: Part, letters: dict[str, str]) -> str:
    """The letter before the numbers of an unnumbered part's figures and tables."""
    letter = letters.get(part.caption) or part.caption.strip()[:1].upper()
    if not letter:
        raise ValueError("an unnumbered part has no caption to take a figure letter from")
    return letter


def lettered(numbers: FigNumbers, book_parts: list[Part], letters: dict[str, str]) -> FigNumbers:
    """Sphinx's numbers with each unnumbered part's figures and tables renumbered 1, 2, ...
    behind the part's letter, in the order Sphinx numbered them (the book's order)."""
    result = {doc: {kind: dict(ids) for kind, ids in kinds.items()} for doc, kinds in numbers.items()}
    for part in book_parts:
        if part.numbered:
            continue
        letter = part_letter(part, letters)
        counts: dict[str, int] = {}
        for doc in part.docnames:
            for kind, ids in result.get(doc, {}).items():
                for node_id, _number in sorted(ids.items(), key=lambda item: item[1]):
                    counts[kind] = counts.get(kind, 0) + 1
                    ids[node_id] = (letter, counts[kind])
    return result


def _restore_sphinx_numbers(app: Sphinx, env: BuildEnvironment) -> list[str]:
    env.toc_fignumbers = getattr(env, "book_sphinx_fignumbers", env.toc_fignumbers)
    return []


def _letter_the_numbers(app: Sphinx, env: BuildEnvironment) -> list[str]:
    before = getattr(env, "book_lettered_fignumbers", {})
    env.book_sphinx_fignumbers = env.toc_fignumbers  # type: ignore[attr-defined]
    env.toc_fignumbers = lettered(env.toc_fignumbers, parts(app), app.config.book_part_letters)
    env.book_lettered_fignumbers = env.toc_fignumbers  # type: ignore[attr-defined]
    return [doc for doc, numbers in env.toc_fignumbers.items() if numbers != before.get(doc)]


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("book_ext.toc")
    app.add_config_value("book_part_letters", {}, "env")
    # Sphinx assigns numbers in its toctree collector's env-get-updated listener (priority 500).
    app.connect("env-get-updated", _restore_sphinx_numbers, priority=400)
    app.connect("env-get-updated", _letter_the_numbers, priority=900)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
