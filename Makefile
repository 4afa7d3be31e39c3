# Two commands for staff: `make run` builds this month's workbook, `make test`
# checks the tool. Both create the .venv folder on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# pip compiles installed libraries but not the sources of an editable install:
# compile them once, or a shell with PYTHONDONTWRITEBYTECODE set would
# recompile the whole package at every command (three times slower to start).
COMPILE = $(BIN)/python -m compileall -q spes_report

.PHONY: run test check lint bench pictures clean

# Options for build pass through ARGS, e.g. make run ARGS="--replace".
run: $(VENV)/.installed
	$(BIN)/spes-report build $(ARGS)

test: $(VENV)/.installed-test
	$(BIN)/ruff check spes_report tests benchmarks scripts
	$(BIN)/mypy
	$(BIN)/pytest

bench: $(VENV)/.installed-test
	$(BIN)/python benchmarks/bench.py

# The README's pictures, made by the tool itself (needs LibreOffice and pdftoppm, and
# Pillow from the test extras for their frame).
pictures: $(VENV)/.installed-test
	$(BIN)/python scripts/make_doc_pictures.py

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	$(COMPILE)
	touch $@

$(VENV)/.installed-test: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(COMPILE)
	touch $@ $(VENV)/.installed

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache
