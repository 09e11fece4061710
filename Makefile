# Every target sets up its own virtual environment in .venv/ first (Python 3.11.5+ needed),
# installed from requirements.lock: every package pinned, every file checked against its hash.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LOCK := requirements.lock
# The lock tool, pinned (and locked itself, so a venv from the lock can regenerate the lock).
# uv: resolves once for every platform and Python (--universal), hashing every file, and as one
# self-contained wheel it does not break with a new pip release the way pip-tools can.
UV := uv==0.13.8
export NO_MKDOCS_2_WARNING := 1
# The engine that builds: mkdocs (MkDocs 1.6.1) or properdocs (ProperDocs, its maintained fork),
# e.g. make build ENGINE=properdocs. Both are installed; the tests build under both.
ENGINE ?= mkdocs

.PHONY: serve build test check bench audit clean lock

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11, 5) and "Python 3.11.5 or newer is needed (pymdown-extensions asks for it); set PYTHON=python3.11")'
	$(PYTHON) -m venv $(VENV)

# Everything from the lock (pip and the build backend setuptools among it), then the project
# itself, editable, built with that locked setuptools: nothing unlocked is fetched.
$(STAMP): $(LOCK) pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

# Regenerates the lock from pyproject.toml: its dependencies, test, bench and audit extras, its build backend,
# pip and the lock tool, for every platform. Versions already locked are kept; to move them on:
# make lock LOCK_ARGS=--upgrade (or LOCK_ARGS="--upgrade-package NAME").
lock: | $(BIN)/python
	$(BIN)/python -m pip install --quiet '$(UV)'
	{ $(BIN)/python -c 'import tomllib; print(*tomllib.load(open("pyproject.toml", "rb"))["build-system"]["requires"], sep="\n")'; \
	  echo pip; echo '$(UV)'; } | \
	$(BIN)/uv pip compile --quiet pyproject.toml - --extra test --extra bench --extra audit --universal --python-version 3.11.5 \
	  --generate-hashes --custom-compile-command 'make lock' --output-file $(LOCK) $(LOCK_ARGS)

serve: $(STAMP)
	$(BIN)/$(ENGINE) serve --dirty --dev-addr 127.0.0.1:8000

build: $(STAMP)
	$(BIN)/$(ENGINE) build --strict

check: $(STAMP)
	$(BIN)/briefs check

test: $(STAMP)
	$(BIN)/python -m pytest

# Builds synthetic archives of 1,000 and 10,000 briefs (in .cache/bench/) with and without the
# archive, and with Hugo (the bench extra, in the lock), and prints the tables; takes many
# minutes. e.g. make bench BENCH_ARGS="--sizes 1000"
bench: $(STAMP)
	$(BIN)/python -m bench.run --json .cache/bench/results.json $(BENCH_ARGS)

# The sample site as readers' tools meet it (audit/run.py): Lighthouse (mobile), the Nu HTML checker
# and axe-core on every page kind, one table, exit 1 under issue 18's targets; a few minutes.
# Needs Debian's chromium, a Java runtime and npm; Lighthouse and axe-core come from
# audit/package-lock.json. e.g. make audit AUDIT_ARGS="--pages home,topic --keep .cache/audit"
AUDIT_NODE := audit/node_modules/.installed
$(AUDIT_NODE): audit/package.json audit/package-lock.json
	npm ci --prefix audit --no-audit --no-fund --loglevel=error
	touch $(AUDIT_NODE)

audit: $(STAMP) $(AUDIT_NODE)
	$(BIN)/python -m audit.run $(AUDIT_ARGS)

clean:
	rm -rf site .pytest_cache
