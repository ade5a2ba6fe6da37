"""The book's Sphinx extensions: build-side code, run by Sphinx, never by a notebook.

Notebooks import :mod:`helpers` (the kernel side); Sphinx loads these modules (the
build side), listed one by one under ``sphinx.local_extensions`` in ``_config.yml``,
which puts this folder on Sphinx's path. Each module is one extension with one
concern:

* :mod:`book_ext.metadata`: the book's title, authors, version and date, read once
  from ``CITATION.cff``, as substitutions and Sphinx's ``release``;
* :mod:`book_ext.citation`: the "Cite this chapter" box, the citation files and the
  ``citation_*`` meta tags, from the one source in :mod:`book_ext.cite_formats`;
* :mod:`book_ext.site`: a sitemap and OpenGraph tags, only when the book has an address;
* :mod:`book_ext.pdf_front`: the book's citation and licence on the back of the PDF's title page;
* :mod:`book_ext.downloads`: the data package zip (and the names of the downloads);
* :mod:`book_ext.notebooks`: each executable page as a notebook with its outputs, its
  MyST roles written out for plain Jupyter, and a download line on every such page;
* :mod:`book_ext.parameters`: the book is built with each page's default parameters, or
  refuses the page (file and line);
* :mod:`book_ext.kit`: the notebook kit (every notebook, the data, ``helpers`` as a wheel and
  the pinned requirements), one download to run any chapter without the repository;
* :mod:`book_ext.execution_inputs`: re-execute the notebooks when the data, the
  helpers or the bibliography change (jupyter-cache keys on a notebook's own code);
* :mod:`book_ext.handoff`: the HTML build writes the pages the LaTeX build read before it
  (``make book`` reads the pages once);
* :mod:`book_ext.numbering`: figures and tables outside the numbered chapters numbered
  behind their part's letter (Fig. I.1, Table A.3), in HTML and (with pdf_parts) the PDF;
* :mod:`book_ext.pdf_parts`: the book's parts, front matter and numbering in the PDF;
* :mod:`book_ext.chapter_pdfs`: a PDF of each chapter, numbered as in the book;
* :mod:`book_ext.print_edition`: no code cells in print, and the sources listed once;
* :mod:`book_ext.web_sources`: on the web, each chapter's sources list is short (citation and
  title, linked to the Bibliography);
* :mod:`book_ext.web_figures`: figures readable on a phone (a readable size, a full-size link);
* :mod:`book_ext.print_alt`: each figure's alt text in the PDF, as the /Alt of a span;
* :mod:`book_ext.print_tables`: table cells ragged right in print, no stranded rows;
* :mod:`book_ext.bibliography`: the house citation style, and no re-formatting of the
  bibliography on a no-op rebuild;
* :mod:`book_ext.web_tables`: web tables readable at any width (cards on a phone);
* :mod:`book_ext.chronology`: the Chronology's filters by theme, kind and state (a bundled script);
* :mod:`book_ext.links`: link addresses escaped once;
* :mod:`book_ext.sections`: headings asked for by generated pages (rubrics made sections);
* :mod:`book_ext.offline`: no live-code (Thebe) scripts naming a remote service;
* :mod:`book_ext.csp`: a Content-Security-Policy on every page;
* :mod:`book_ext.languages`: the language of every run of non-Latin text (HTML ``lang``,
  polyglossia in the PDF) and the PDF's own language;
* :mod:`book_ext.theme_fixes`: the theme's faults mended (navigation on a phone, accessible
  names), each in the register of third-party patches.

:mod:`book_ext.toc` reads the parts from the table of contents Sphinx already holds.
Nothing here is among the execution inputs: editing it never re-runs a notebook.
"""

from pathlib import Path
from typing import Any

#: The version each extension reports to Sphinx.
__version__ = "1.0"

#: The book's stylesheets, for the extensions that add one.
STATIC = Path(__file__).with_name("static")


def add_static_folder(app: Any, config: Any) -> None:
    """``config-inited``: serve :data:`STATIC` with the HTML (once, however many extensions ask)."""
    if str(STATIC) not in map(str, config.html_static_path):
        config.html_static_path = [*config.html_static_path, str(STATIC)]
