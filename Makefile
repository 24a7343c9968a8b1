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
	$(BIN)/ruff check bot flows locales tests
	$(BIN)/ruff format --check bot flows locales tests

types: $(STAMP)
	$(BIN)/mypy bot flows

check: lint types

unit: $(STAMP)
	$(BIN)/python -m pytest

test: check unit

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
