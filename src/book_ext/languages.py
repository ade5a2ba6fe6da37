"""Sphinx extension: every run of text in another script carries its language.

A screen reader reads a run of Russian or Armenian with an English voice unless the page
says what language it is in, and TeX hyphenates it by English rules. The book's prose is
English; its non-English text is titles of sources, names and quoted words in Cyrillic,
Armenian or Georgian script, in the chapters, the data's tables and the Bibliography alike.
A post-transform finds each such run (:func:`runs`) and wraps it in an inline node with
the class ``language-<tag>`` (:func:`language_of`), which docutils' HTML writer turns into
``lang="<tag>"`` and Sphinx's LaTeX writer into ``\\DUrole{language-<tag>}``, defined in
the preamble as polyglossia's language switch (:func:`latex_preamble`). Latin-script
words in other languages are not detected; there are few, in source titles.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform

from . import __version__

_LETTER = "\u0400-\u04ff\u0500-\u052f\u0530-\u058f\u10a0-\u10ff"
#: A run: letters of those scripts, with the digits, spaces and punctuation between them.
RUN = re.compile(rf"[{_LETTER}](?:[{_LETTER}0-9\s\-‐–—.,:;!?«»\"'„“”()№/]*[{_LETTER}])?")

#: BCP 47 tag -> polyglossia's name, for the languages TeX Live's polyglossia can set.
POLYGLOSSIA = {"ru": "russian", "bg": "bulgarian", "uk": "ukrainian", "be": "belarusian",
               "hy": "armenian", "ka": "georgian"}

#: Nodes whose text is not prose: code, raw output, addresses shown as link text.
_SKIP = (nodes.literal, nodes.literal_block, nodes.raw, nodes.comment, nodes.math,
         nodes.math_block, nodes.FixedTextElement)


def language_of(run: str) -> str:
    """The BCP 47 tag of a run of non-Latin text, from its script and its telling letters.

    Cyrillic is Russian unless a letter says otherwise: Kazakh (ә ғ қ ұ һ), Kyrgyz (ң ө ү
    without those), Ukrainian (є ї ґ, or і without ы or э), Bulgarian (ъ before a
    consonant, as in "към", which Russian spelling never has). Belarusian is told by ў, or by
    і beside ы or э.
    """
    low = run.lower()
    if re.search("[\u0530-\u058f]", low):
        return "hy"
    if re.search("[\u10a0-\u10ff]", low):
        return "ka"
    if re.search("[әғқұһ]", low):
        return "kk"
    if re.search("[ңөү]", low):
        return "ky"
    if "ў" in low or ("і" in low and re.search("[ыэ]", low)):
        return "be"
    if re.search("[єїґ]", low) or ("і" in low and "ы" not in low):
        return "uk"
    if re.search("ъ[бвгджзйклмнпрстфхцчшщ]", low):
        return "bg"
    return "ru"


def runs(text: str) -> Iterator[tuple[int, int, str]]:
    """``(start, end, tag)`` of each run of non-Latin text in ``text``."""
    for match in RUN.finditer(text):
        yield match.start(), match.end(), language_of(match.group())


def _is_address(node: nodes.Text) -> bool:
    parent = node.parent
    return isinstance(parent, nodes.reference) and node.astext().strip() == parent.get("refuri", "")


def mark(doctree: nodes.Node) -> int:
    """Wrap each run of non-Latin text in ``doctree`` in a language inline; return how many."""
    count = 0
    for text in list(doctree.findall(nodes.Text)):
        parent = text.parent
        if parent is None or any(isinstance(n, _SKIP) for n in _ancestors(parent)):
            continue
        if _is_address(text) or any("language-" in c for c in parent.get("classes", [])):
            continue
        found = list(runs(str(text)))
        if not found:
            continue
        pieces: list[nodes.Node] = []
        at = 0
        source = str(text)
        for start, end, tag in found:
            if start > at:
                pieces.append(nodes.Text(source[at:start]))
            pieces.append(nodes.inline(source[start:end], source[start:end], classes=[f"language-{tag}"]))
            at = end
            count += 1
        if at < len(source):
            pieces.append(nodes.Text(source[at:]))
        index = parent.index(text)
        parent.remove(text)
        for offset, piece in enumerate(pieces):
            parent.insert(index + offset, piece)
    return count


def _ancestors(node: nodes.Node) -> Iterator[nodes.Node]:
    while node is not None:
        yield node
        node = node.parent


class MarkLanguages(SphinxPostTransform):
    """After every other transform (the Bibliography's entries included), mark the runs."""

    default_priority = 990

    def run(self, **kwargs: Any) -> None:
        mark(self.document)


def latex_preamble() -> str:
    """polyglossia's other languages and ``\\DUrole{language-<tag>}`` for each of them."""
    lines = [r"\setotherlanguages{" + ",".join(POLYGLOSSIA.values()) + "}",
             # The document's own language, in the PDF's catalogue (/Lang), for screen readers.
             r"\hypersetup{pdflang=en}"]  # hyperref is loaded before the preamble
    for tag, name in POLYGLOSSIA.items():
        lines.append(rf"\expandafter\def\csname DUrolelanguage-{tag}\endcsname#1{{\foreignlanguage{{{name}}}{{#1}}}}")
    return "\n".join(lines) + "\n"


def _latex(app: Sphinx, config: Any) -> None:
    elements = dict(config.latex_elements)
    elements["preamble"] = elements.get("preamble", "") + latex_preamble()
    config.latex_elements = elements


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_post_transform(MarkLanguages)
    app.connect("config-inited", _latex)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
