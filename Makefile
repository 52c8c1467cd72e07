# Two entry points: `make docs` builds the example handbook, `make test` runs every test.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: docs test lint-example bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

docs: $(STAMP)
	$(BIN)/sphinx-build -b html example_docs example_docs/_build/html
	@echo
	@echo "Handbook:  example_docs/_build/html/index.html"
	@echo "Step list: example_docs/_build/html/runbooks.json"

test: $(STAMP)
	$(BIN)/python tests/browser_setup.py
	$(BIN)/python -m pytest

# the benchmark of the README's Performance section (several minutes on 2 cores)
bench: $(STAMP)
	$(BIN)/python benchmarks/run.py --pages 500 --runbooks 100 --steps 2000
	$(BIN)/python benchmarks/run.py --scaling --runbooks 25 --steps 500

clean:
	rm -rf example_docs/_build .pytest_cache
