# Every target creates the virtualenv (.venv) on first use; nothing else is needed.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-dev

.PHONY: run test test-slow lint fixtures expected bench bench-peers clean

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

## fixtures: regenerate every fixture PDF, then the expected outputs. Needs the producers:
##   apt-get install libreoffice-writer chromium fonts-liberation; pip install weasyprint
fixtures: $(STAMP)
	$(PY) -m tests.fixtures.generators.docx_libreoffice --out raw/iom-iscm-events-2016-2017.pdf
	$(PY) -m tests.fixtures.generators.reportlab_tables --out-dir tests/fixtures/pdfs
	$(PY) -m tests.fixtures.generators.html_print --out-dir tests/fixtures/pdfs
	$(PY) -m tests.fixtures.generators.docx_variants --out-dir tests/fixtures/pdfs
	@if [ -f tests/fixtures/generators/redteam.py ]; then \
	  $(PY) -m tests.fixtures.generators.redteam --out-dir tests/fixtures/pdfs; fi
	$(MAKE) expected

## expected: rebuild the expected outputs from the transcriptions (review the diff by eye)
expected: $(STAMP)
	$(PY) -m tests.fixtures.build_expected

## bench: speed and memory figures against plain pdfplumber, measured in the same run
bench: $(STAMP)
	$(PY) -m bench.run

## bench-peers: the generic profile on the peers' 32 test tables (needs ../shared/peers)
PEERS ?= ../shared/peers
bench-peers: $(STAMP)
	@if [ -f $(PEERS)/score_peers.py ]; then \
	  $(PY) $(PEERS)/score_peers.py --cmd $(VENV)/bin/iom-pipeline --tools ours \
	    --work $${TMPDIR:-/tmp}/peers-bench --rerun | tail -1; \
	else echo "bench-peers: $(PEERS) not found, skipped"; fi

clean:
	rm -rf $(VENV) output/*.csv output/*.parquet output/*.json output/stages output/tables output/.cache inspect
