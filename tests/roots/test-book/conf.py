"""A tiny book for the build-side extensions (tests/test_book_ext.py)."""

extensions = [
    "myst_parser",
    "sphinx_external_toc",
    "sphinxcontrib.bibtex",
    "book_ext.metadata",
    "book_ext.citation",
    "book_ext.site",
    "book_ext.downloads",
    "book_ext.execution_inputs",
    "book_ext.handoff",
    "book_ext.pdf_parts",
    "book_ext.pdf_front",
    "book_ext.chapter_pdfs",
    "book_ext.print_edition",
    "book_ext.print_tables",
    "book_ext.bibliography",
    "book_ext.offline",
    "book_ext.links",
    "book_ext.web_tables",
    "book_ext.sections",
    "book_ext.csp",
    "book_ext.languages",
    "book_ext.theme_fixes",
]
external_toc_path = "_toc.yml"
bibtex_bibfiles = ["refs.bib"]
bibtex_default_style = "book"
book_execution_inputs = ["data", "refs.bib"]
html_theme = "basic"
latex_documents = [("index", "tiny.tex", "Tiny", "Tester", "manual")]
myst_enable_extensions = ["substitution"]
bibtex_reference_style = "book"
numfig = True
book_part_letters = {"Front matter": "P", "Conclusion": "C"}  # "Notes & sources" takes "N"
