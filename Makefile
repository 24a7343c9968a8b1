# Two commands do all the set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test check lint types unit bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/guichet run

lint: $(STAMP)
	$(BIN)/ruff check bot flows locales tests bench
	$(BIN)/ruff format --check bot flows locales tests bench

types: $(STAMP)
	$(BIN)/mypy bot flows

check: lint types

unit: $(STAMP)
	$(BIN)/python -m pytest

test: check unit

# Speed and memory figures (not a test): prints a table and writes bench/results.json.
bench: $(STAMP)
	$(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
