# framelens: one command to set up, one to build the report, one to test.
#   make report   create .venv, install framelens, write the seed article's report to reports/
#   make test     create .venv if needed and run the whole test suite (offline)
#   make build    rebuild the reports of reports.yml whose inputs changed
#   make fuzz     the property tests of the readers and the segmenter, with many more examples
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.framelens-installed
ARTICLE ?= data/articles/global-times-2025-09-05-ai-public-good.txt
CODEBOOK ?= ai
OUT     ?= reports

.PHONY: install report build test fuzz lint bench clean

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

report: $(STAMP)
	$(BIN)/framelens report $(ARTICLE) --codebook $(CODEBOOK) --out $(OUT)

build: $(STAMP)
	$(BIN)/framelens build

test: $(STAMP)
	$(BIN)/python -m pytest -q

# tests/test_properties.py runs 40 examples per property with a fixed seed in `make test`;
# here 2,000 each, from a random seed (a failure prints the input to replay it)
fuzz: $(STAMP)
	HYPOTHESIS_PROFILE=fuzz $(BIN)/python -m pytest -q -p no:cacheprovider tests/test_properties.py

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks training notebooks

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_articles.py

clean:
	rm -rf $(VENV) build src/*.egg-info .pytest_cache
