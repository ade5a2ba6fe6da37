# The book's two commands: `make book` (set up, execute, build HTML and PDF) and
# `make test` (the whole test suite). Both create the virtual environment first.

PYTHON ?= python3.11
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed.stamp
KERNEL := csto-book
# make run: one chapter, with another cut-off date, through papermill
CHAPTER ?= origins
CUTOFF  ?= 2010-01-01

.DEFAULT_GOAL := help
.PHONY: help book html pdf test test-fast lab lab-copies run site release release-record validate bench lock clean distclean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | expand -t 12

book: $(STAMP)  ## execute the notebooks (cached) and build the HTML and, if TeX is present, the PDF
	$(BIN)/python scripts/book.py all

html: $(STAMP)  ## the HTML book only
	$(BIN)/python scripts/book.py html

pdf: $(STAMP)  ## the PDF book only
	$(BIN)/python scripts/book.py pdf

test: $(STAMP)  ## run every test (unit, data, the linter, and a build of the book from scratch)
	$(BIN)/python -m pytest

test-fast: $(STAMP)  ## the tests that build nothing (a minute or two): the loop while writing code
	$(BIN)/python -m pytest -m "not build"

# make lab opens reader copies of the chapters (in LAB_DIR, kept between sessions; an existing copy
# is never overwritten: delete it to start afresh); AUTHOR=1 opens the book's own files instead.
LAB_DIR ?= _build/lab
LAB_ROOT = $(if $(AUTHOR),$(CURDIR),$(abspath $(LAB_DIR)))

lab: $(STAMP) $(if $(AUTHOR),,lab-copies)  ## JupyterLab on localhost: reader copies of the chapters (AUTHOR=1: the book's own files)
	mkdir -p $(VENV)/share/jupyter/lab/settings
	cp jupyter/lab-overrides.json $(VENV)/share/jupyter/lab/settings/overrides.json
	@echo "make lab: $(if $(AUTHOR),AUTHOR mode: saving edits the book's own files in chapters/,reader copies in $(LAB_DIR)/chapters: the book's files are not touched (AUTHOR=1 edits them))"
	$(BIN)/jupyter lab --no-browser --ServerApp.ip=127.0.0.1 --ServerApp.root_dir="$(LAB_ROOT)" \
	  --MultiKernelManager.default_kernel_name=$(KERNEL) $(if $(filter 0,$(shell id -u)),--allow-root)

lab-copies:  # the reader copies make lab opens; a copy already there is kept as the reader left it
	@mkdir -p $(LAB_DIR)/chapters
	@for f in chapters/*.md; do [ -e "$(LAB_DIR)/$$f" ] || cp "$$f" "$(LAB_DIR)/$$f"; done

run: $(STAMP)  ## run one chapter with another cut-off: make run CHAPTER=failures CUTOFF=2020-01-01 (an ISO date)
	@$(BIN)/python scripts/run_chapter.py "$(CHAPTER)" "$(CUTOFF)"

site: book  ## the publishable folder _build/site (HTML, PDF, notebooks, data zip, citations)
	$(BIN)/python scripts/release.py site

release-record: $(STAMP)  ## record the sources as the release CITATION.cff names (release.json), to commit
	$(BIN)/python scripts/release.py record

release: $(STAMP)  ## from a clean, recorded tree: build, write _build/release/csto-book-<version>.zip
	$(BIN)/python scripts/release.py check
	$(MAKE) --no-print-directory book
	$(BIN)/python scripts/release.py archive

validate: $(STAMP)  ## check the data package and report every faulty cell
	$(BIN)/python -m helpers validate

bench: $(STAMP)  ## time clean, no-op and one-chapter builds, the PDF and the data load
	$(BIN)/python scripts/benchmark.py

lock:  ## regenerate requirements.txt from requirements.in in a fresh venv
	rm -rf $(VENV)-lock && $(PYTHON) -m venv $(VENV)-lock
	$(VENV)-lock/bin/python -m pip install --quiet pip==24.3.1 && $(VENV)-lock/bin/python -m pip install --quiet -r requirements.in
	{ sed -n '1,3p' requirements.txt; $(VENV)-lock/bin/python -m pip freeze --exclude-editable; \
	  grep -E '^(setuptools|wheel)==' requirements.txt; } > requirements.lock.tmp
	mv requirements.lock.tmp requirements.txt && rm -rf $(VENV)-lock

$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "Python 3.11 is required; found " + sys.version.split()[0] + ". Set PYTHON=/path/to/python3.11")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet pip==24.3.1
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python 3.11 (CSTO book)"
	touch $@

clean:  ## remove every build output and cache (the virtual environment stays)
	rm -rf _build .pytest_cache
	find . -name __pycache__ -not -path './$(VENV)/*' -prune -exec rm -rf {} +
	rm -rf src/*.egg-info

distclean: clean  ## also remove the virtual environment
	rm -rf $(VENV)
