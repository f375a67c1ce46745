# pouch — `make run` and `make test` work on a fresh machine (they create .venv themselves).
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
SEEDS  := $(wildcard ../shared/seeds)

export PREFECT_HOME ?= $(CURDIR)/.prefect
export PREFECT_SERVER_ANALYTICS_ENABLED := false
export PREFECT_LOGGING_LEVEL ?= WARNING
export GX_ANALYTICS_ENABLED := false

.PHONY: run test install clean samples dictionary server bench bench-scaling bench-validation

$(BIN)/.installed: pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "needs $(PYTHON) (set PYTHON=...)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -e ".[test]"
	@touch $@

install: $(BIN)/.installed

run: $(BIN)/.installed
	$(BIN)/pouch ingest samples $(SEEDS) --warehouse warehouse

test: $(BIN)/.installed
	$(BIN)/pytest -q

# Prefect server + UI on http://127.0.0.1:$(PREFECT_PORT), state in .prefect/ (then: pouch serve ...)
PREFECT_PORT ?= 4200
server: $(BIN)/.installed
	$(BIN)/prefect server start --host 127.0.0.1 --port $(PREFECT_PORT)

# The scale benchmark (bench/scale.py; never part of `make test`): N generated documents, the floor,
# pouch ingest, a no-op rerun, +1 % files, a cables.csv of N rows. `make bench N=100000`.
N ?= 10000
bench: $(BIN)/.installed
	$(BIN)/python bench/scale.py --docs $(N)

# What GX validation costs a document at each batch size, against the floor's budget (bench/validation_cost.py)
bench-validation: $(BIN)/.installed
	$(BIN)/python bench/validation_cost.py

# 1 vs 2 workers, local processes and a Dask LocalCluster (bench/scaling.py), on 5,000 documents
bench-scaling: $(BIN)/.installed
	$(BIN)/python bench/scaling.py --docs 5000

samples: $(BIN)/.installed
	$(BIN)/pouch samples --out samples

dictionary: $(BIN)/.installed
	$(BIN)/pouch dictionary --write

clean:
	rm -rf $(VENV) .prefect .pytest_cache warehouse/_snapshots warehouse/_staging warehouse/_current \
	       warehouse/reports warehouse/documents warehouse/paragraphs warehouse/entities warehouse/ledger \
	       warehouse/quarantine warehouse/runs warehouse/files warehouse/.lock
