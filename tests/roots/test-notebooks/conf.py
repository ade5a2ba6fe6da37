"""A tiny executed book for book_ext.notebooks (tests/test_book_ext.py)."""

extensions = [
    "myst_nb",
    "sphinx_external_toc",
    "sphinxcontrib.bibtex",
    "book_ext.metadata",
    "book_ext.citation",
    "book_ext.downloads",
    "book_ext.notebooks",
    "book_ext.sections",
]
external_toc_path = "_toc.yml"
bibtex_bibfiles = ["refs.bib"]
bibtex_reference_style = "author_year"
html_theme = "basic"
numfig = True
nb_execution_mode = "force"
myst_enable_extensions = ["substitution", "colon_fence"]
# A dict of its own: Sphinx merges registered suffixes into the default dict, which another
# test app (myst_parser's ".md" -> "markdown") may already have changed.
source_suffix = {".rst": "restructuredtext", ".md": "myst-nb"}
nb_render_markdown_format = "myst"  # as the book: outputs are MyST (book_ext.sections)
