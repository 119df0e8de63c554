# The README's two commands are `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
export PACKAGER_XSD_DIR ?= $(abspath ../shared/xsd)

.PHONY: install demo test lint bench

$(BIN)/packager: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	@touch $@

node_modules/.installed: package.json
	npm ci --no-audit --no-fund --silent || npm install --no-audit --no-fund --silent
	@touch $@

install: $(BIN)/packager

demo: install
	$(BIN)/packager validate content/
	$(BIN)/packager export --format all --skip-unsupported content/

test: install node_modules/.installed
	$(BIN)/ruff check packager tests
	$(BIN)/mypy packager
	$(BIN)/python -m pytest -q

bench: install
	$(BIN)/pip install -q -e '.[bench]'
	$(BIN)/python bench/bench.py
