# The two commands a newcomer needs: `make run` and `make test`. Both set everything up.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

# Prefect: ephemeral mode (no server to start), state kept inside the project, no telemetry.
export PREFECT_HOME := $(CURDIR)/.prefect
export PREFECT_SERVER_ANALYTICS_ENABLED := false

.PHONY: setup run check test test-fast lint score compare serve report clean

setup: $(STAMP)

# Reinstall when the dependency declarations change; requirements.lock pins what was tested.
$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[dev]'
	touch $@

run: setup
	$(BIN)/newsfigures run --seeds seeds --warehouse warehouse

# Run on prefect.yaml's schedule until Ctrl-C (starts a Prefect server on 127.0.0.1 unless
# PREFECT_API_URL is set). README: "Run on a schedule".
serve: setup
	$(BIN)/newsfigures serve

# The analyst report of the last run (every run writes it too): warehouse/report.html.
report: setup
	$(BIN)/newsfigures report --warehouse warehouse

check: setup
	$(BIN)/newsfigures check --seeds seeds

score: setup
	$(BIN)/newsfigures score --seeds seeds --gold tests/annotations/seeds

# newsfigures vs quantulum3, side by side (quantulum3 lives in its own venv, not a dependency).
BENCH := .venv-bench
compare: setup
	test -x $(BENCH)/bin/python || ($(PYTHON) -m venv $(BENCH) && $(BENCH)/bin/python -m pip install \
	  --quiet -c requirements.lock -e . 'quantulum3[classifier]==0.10.0' 'scikit-learn==1.8.0')
	$(BENCH)/bin/python benchmarks/compare_quantulum.py

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The seeds must pass their own contracts, then the suite runs.
test: setup lint check
	$(BIN)/pytest

# The unit lane: no Prefect flow, no fault suite.
test-fast: setup
	$(BIN)/pytest -m "not prefect and not faults"

clean:
	rm -rf $(VENV) $(BENCH) .prefect warehouse/*.duckdb warehouse/*.duckdb.wal warehouse/parquet \
	  warehouse/staging warehouse/.state warehouse/.lock warehouse/report.html
