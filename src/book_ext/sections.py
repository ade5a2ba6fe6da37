"""Sphinx extension: headings that a generated page asks for become real sections.

A notebook's output cannot hold headings: myst-nb renders Markdown outputs inside the cell,
where a heading is not allowed. The generated appendices (the Chronology's years, the
reconciliation's contested points) therefore write a rubric with the class ``book-section``;
this transform, run as each page is read, turns every such rubric into a section holding what
follows it up to the next one, and moves them out of the cell to the page's own level. So the
years and the points appear in the page's contents, in the PDF's bookmarks and as headings
in print, and keep their labels (``claim-...``, ``chronology-2022``), which now name a section
with a title, as ``{ref}`` expects.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform

from . import __version__

#: The class a rubric carries when it stands for a heading.
SECTION_CLASS = "book-section"


def _holder(parent: nodes.Element) -> tuple[nodes.section, nodes.Element | None]:
    """The section the new sections go in, and the child of it that holds the rubrics (None if none)."""
    if isinstance(parent, nodes.section):
        return parent, None
    holder = parent
    while not isinstance(holder.parent, nodes.section):
        holder = holder.parent
    return holder.parent, holder


class RubricSections(SphinxTransform):
    """Each ``book-section`` rubric, and what follows it, becomes a section."""

    default_priority = 700  # after docutils has moved labels onto the rubrics they precede (260)

    def apply(self, **kwargs: Any) -> None:
        groups: dict[int, tuple[nodes.Element, list[nodes.rubric]]] = {}
        for rubric in self.document.findall(nodes.rubric):
            if SECTION_CLASS in rubric["classes"]:
                groups.setdefault(id(rubric.parent), (rubric.parent, []))[1].append(rubric)
        for parent, rubrics in groups.values():
            section, holder = _holder(parent)
            children = list(parent.children)
            made: list[nodes.section] = []
            for child in children[children.index(rubrics[0]):]:
                parent.remove(child)
                if isinstance(child, nodes.rubric) and SECTION_CLASS in child["classes"]:
                    ids = child["ids"] or [nodes.make_id("section " + child.astext())]
                    new = nodes.section("", ids=ids, names=child["names"], classes=[SECTION_CLASS])
                    new += nodes.title(child.rawsource, "", *child.children)
                    new.source, new.line = child.source, child.line
                    for name in child["names"]:
                        self.document.nameids[name] = ids[0]
                    for i in ids:
                        self.document.ids[i] = new
                    made.append(new)
                else:
                    made[-1] += child
            at = len(section) if holder is None else section.index(holder) + 1
            for offset, new in enumerate(made):
                section.insert(at + offset, new)
            if holder is not None and not holder.astext().strip():
                section.remove(holder)


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_transform(RubricSections)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
