# The README's two commands are `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# The official XSDs beside the checkout, when present (tests require them; demo uses them if there).
export PACKAGER_XSD_DIR ?= $(if $(wildcard ../shared/xsd/catalog.xml),$(abspath ../shared/xsd),)

.PHONY: install demo test fuzz lint bench bench-import system-deps

$(BIN)/packager: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	@touch $@

# Chromium and Node come from Debian packages (never a browser download); installed when
# missing and we may (root with apt-get), so a fresh machine runs the browser tests too.
system-deps:
	@need=""; command -v chromium >/dev/null 2>&1 || need="chromium"; \
	command -v npm >/dev/null 2>&1 || need="$$need nodejs npm"; \
	if [ -n "$$need" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing from Debian: $$need"; \
	    DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$need >/dev/null; \
	  else echo "please install: $$need (Debian: apt-get install $$need)"; exit 1; fi; \
	fi

node_modules/.installed: package.json | system-deps
	npm ci --no-audit --no-fund --silent || npm install --no-audit --no-fund --silent
	@touch $@

install: $(BIN)/packager

demo: install
	$(BIN)/packager validate content/
	$(BIN)/packager export --format all --skip-unsupported content/

test: install system-deps node_modules/.installed
	$(BIN)/ruff check packager tests
	$(BIN)/mypy packager
	$(BIN)/python -m pytest -q
	npm test --silent

# Long property runs (tests/properties) with new draws, e.g. make fuzz FUZZ_EXAMPLES=5000.
# Outside `make test` and CI; a failure becomes a fixed test (CONTRIBUTING.md).
fuzz: export FUZZ_EXAMPLES ?= 1000
fuzz: install
	$(BIN)/python -m pytest -q -p no:cacheprovider --hypothesis-profile fuzz \
	  --hypothesis-show-statistics tests/properties

# e.g. make bench BENCH_ARGS="--profiles rich --sizes 10000,50000 --runs 2"
bench: install
	$(BIN)/pip install -q -e '.[bench]'
	$(BIN)/python bench/bench.py $(BENCH_ARGS)

bench-import: install
	$(BIN)/python bench/import_bench.py
