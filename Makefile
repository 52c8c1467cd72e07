# Two entry points: `make docs` builds the example handbook, `make test` runs the test suite
# (all but the slow integration tests, which `make test-integration` runs).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# the test suite against the lowest versions of the dependencies that pyproject.toml allows
OLDEST_VENV ?= .venv-oldest
OLDEST_PINS := .ci/oldest-versions.txt
OLDEST_STAMP := $(OLDEST_VENV)/.installed

.PHONY: docs test test-integration site test-oldest dist bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

$(OLDEST_STAMP): pyproject.toml $(OLDEST_PINS)
	$(PYTHON) -m venv $(OLDEST_VENV)
	$(OLDEST_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(OLDEST_VENV)/bin/python -m pip install --quiet -c $(OLDEST_PINS) -e ".[test]"
	touch $(OLDEST_STAMP)

docs: $(STAMP)
	$(BIN)/sphinx-build -b html example_docs example_docs/_build/html
	@echo
	@echo "Handbook:  example_docs/_build/html/index.html"
	@echo "Step list: example_docs/_build/html/runbooks.json"

test: $(STAMP)
	$(BIN)/python tests/browser_setup.py
	$(BIN)/python -m pytest -m "not integration" --numprocesses 2

# the slow end-to-end tests: the built wheel installed in a new environment, the
# pre-commit hook run by pre-commit, the GitHub Action's steps, long fuzz runs
test-integration: $(STAMP)
	$(BIN)/python -m pytest -m integration

# the documentation site (docs/), built with sphinx-incident itself; every warning fails it
site: $(STAMP)
	$(BIN)/sphinx-build -W --keep-going -n -b html docs docs/_build/html
	@echo
	@echo "Site: docs/_build/html/index.html"

# The browser tests run in `make test` only: they exercise the page's JavaScript,
# which does not depend on the Sphinx version. So do ruff and mypy
# (tests/test_quality.py): they check the code against the newest releases'
# type annotations, not how it runs on old ones.
test-oldest: $(OLDEST_STAMP)
	$(OLDEST_VENV)/bin/pip list --format freeze | grep -i -E '^(sphinx|docutils|myst-parser|sphinx-design|sphinx_design|jinja2|pyyaml|requests|idna|roman-numerals|roman_numerals)=='
	$(OLDEST_VENV)/bin/python -m pytest -m "not browser and not integration" --deselect tests/test_quality.py --numprocesses 2

# the wheel and sdist a release uploads, in dist/
dist: $(STAMP)
	rm -rf dist
	$(BIN)/python -m build --outdir dist .
	$(BIN)/python -m twine check --strict dist/*

# the benchmark of the README's Performance section (several minutes on 2 cores)
bench: $(STAMP)
	$(BIN)/python benchmarks/run.py --pages 500 --runbooks 100 --steps 2000
	$(BIN)/python benchmarks/run.py --scaling --runbooks 25 --steps 500

clean:
	rm -rf example_docs/_build docs/_build .pytest_cache build dist
