# Every target sets up its own virtual environment in .venv/ first (Python 3.11+ needed).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve build test check bench clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Python 3.11 or newer is needed; set PYTHON=python3.11")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

serve: $(STAMP)
	$(BIN)/mkdocs serve --dirty --dev-addr 127.0.0.1:8000

build: $(STAMP)
	$(BIN)/mkdocs build --strict

check: $(STAMP)
	$(BIN)/briefs check

test: $(STAMP)
	$(BIN)/python -m pytest

# Builds synthetic archives of 1,000 and 10,000 briefs (in .cache/bench/) with and without the
# archive and prints the table; takes many minutes. e.g. make bench BENCH_ARGS="--sizes 1000"
bench: $(STAMP)
	$(BIN)/python -m bench.run --json .cache/bench/results.json $(BENCH_ARGS)

clean:
	rm -rf site .pytest_cache
