# Two commands do all the set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test setup lint eval clean bench

# torch first: 2.13.0 is a local CPU wheel; anything else would pull gigabytes of CUDA packages.
$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check torch==2.13.0
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)
	$(PY) -m bot model build
	$(PY) -m bot index build

run: setup
	$(PY) -m bot run

test: setup
	$(PY) -m pytest

lint: $(STAMP)
	$(VENV)/bin/ruff check bot index tests
	$(VENV)/bin/ruff format --check bot index tests
	$(VENV)/bin/mypy

eval: setup
	$(PY) -m bot eval tests/eval/*.jsonl

# Speed and scale figures, written to docs/benchmarks.md (about 12 minutes; QUICK=1: about 6).
bench: setup
	$(PY) bench/run.py $(if $(QUICK),--quick)

clean:
	rm -rf var
