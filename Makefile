# framelens: one command to set up, one to build the report, one to test.
#   make report   create .venv, install framelens, write the seed article's report to reports/
#   make test     create .venv if needed and run the whole test suite (offline)
#   make build    rebuild the reports of reports.yml whose inputs changed
#   make fuzz     the property tests of the readers and the segmenter, with many more examples
#   make test-min the test suite on the minimum versions pyproject.toml declares (.venv-min)
#   make lock     re-resolve requirements.lock after a change of pyproject.toml's dependencies
#                 (UPGRADE=--upgrade: move every pin to the newest allowed release; then make test)
#
# .venv installs the exact versions of requirements.lock (the tested set, with the [dev]
# extra), so a report does not change overnight because a dependency released.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.framelens-installed
LOCK    = requirements.lock
MIN_VENV ?= .venv-min
ARTICLE ?= data/articles/global-times-2025-09-05-ai-public-good.txt
CODEBOOK ?= ai
OUT     ?= reports

.PHONY: install report build test test-min lock fuzz lint bench clean

install: $(STAMP)

$(STAMP): pyproject.toml $(LOCK)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

report: $(STAMP)
	$(BIN)/framelens report $(ARTICLE) --codebook $(CODEBOOK) --out $(OUT)

build: $(STAMP)
	$(BIN)/framelens build

test: $(STAMP)
	$(BIN)/python -m pytest -q

# every dependency at the floor pyproject.toml declares (.ci/floors.py), in a venv of its own
test-min:
	$(PYTHON) -m venv $(MIN_VENV)
	$(MIN_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(PYTHON) .ci/floors.py pyproject.toml dev > $(MIN_VENV)/floors.txt
	$(MIN_VENV)/bin/python -m pip install --quiet -c $(MIN_VENV)/floors.txt -e '.[dev]'
	$(MIN_VENV)/bin/python -m pytest -q -p no:cacheprovider

lock:
	$(PYTHON) -m venv $(VENV)-lock
	$(VENV)-lock/bin/python -m pip install --quiet pip-tools
	$(VENV)-lock/bin/pip-compile --quiet --extra dev --strip-extras --no-emit-index-url \
	    --no-emit-find-links $(UPGRADE) --output-file $(LOCK) pyproject.toml

# tests/test_properties.py runs 40 examples per property with a fixed seed in `make test`;
# here 2,000 each, from a random seed (a failure prints the input to replay it)
fuzz: $(STAMP)
	HYPOTHESIS_PROFILE=fuzz $(BIN)/python -m pytest -q -p no:cacheprovider tests/test_properties.py

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks training notebooks

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_articles.py

clean:
	rm -rf $(VENV) $(MIN_VENV) $(VENV)-lock build src/*.egg-info .pytest_cache
