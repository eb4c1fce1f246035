# Every target creates the virtualenv (.venv) on first use; nothing else is needed.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-dev

.PHONY: run test test-slow lint fixtures expected bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev,fixtures]'
	touch $(STAMP)

## run: the pipeline on every PDF in raw/ -> output/
run: $(STAMP)
	$(VENV)/bin/iom-pipeline run raw/ --out output/

## test: the whole test suite (long fuzzing excluded: see test-slow)
test: $(STAMP)
	$(PY) -m pytest -q

## test-slow: the long runs only (extended fuzzing)
test-slow: $(STAMP)
	$(PY) -m pytest -q -m slow

lint: $(STAMP)
	$(VENV)/bin/ruff check pipeline tests $(wildcard bench)
	$(VENV)/bin/ruff format --check pipeline
	$(VENV)/bin/mypy

## fixtures: regenerate the fixture PDFs (needs LibreOffice: apt-get install libreoffice-writer)
fixtures: $(STAMP)
	$(PY) -m tests.fixtures.generators.docx_libreoffice --out raw/iom-iscm-events-2016-2017.pdf
	$(MAKE) expected

## expected: rebuild the expected outputs from the transcriptions (review the diff by eye)
expected: $(STAMP)
	$(PY) -m tests.fixtures.build_expected

## bench: speed and memory figures against plain pdfplumber, measured in the same run
bench: $(STAMP)
	$(PY) -m bench.run

clean:
	rm -rf $(VENV) output/*.csv output/*.parquet output/*.json output/stages output/tables
