# Every target creates the virtualenv (.venv) on first use; nothing else is needed.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-dev

.PHONY: run test test-slow lint fixtures expected bench bench-peers clean tesseract

# Scanned PDFs are read by Tesseract OCR, a program of the OS (not a Python package).
TESSERACT_PKGS := tesseract-ocr tesseract-ocr-fra tesseract-ocr-spa

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev,fixtures]'
	touch $(STAMP)

## run: the pipeline on every PDF in raw/ -> output/
run: $(STAMP)
	$(VENV)/bin/iom-pipeline run raw/ --out output/

## test: the whole test suite (long fuzzing excluded: see test-slow)
test: $(STAMP) tesseract
	$(PY) -m pytest -q

## test-slow: the long runs only (extended fuzzing, the other scans read by OCR)
test-slow: $(STAMP) tesseract
	$(PY) -m pytest -q -m slow

## tesseract: Tesseract OCR and its English, French and Spanish data, installed with
## apt-get when missing (as root; otherwise the command to run is printed)
tesseract:
	@langs="$$(tesseract --list-langs 2>/dev/null)"; \
	if printf '%s\n' "$$langs" | grep -qx eng && printf '%s\n' "$$langs" | grep -qx fra \
	  && printf '%s\n' "$$langs" | grep -qx spa; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "installing $(TESSERACT_PKGS)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(TESSERACT_PKGS) >/dev/null; \
	else \
	  echo "Tesseract OCR or its language data is missing: sudo apt-get install $(TESSERACT_PKGS)" >&2; \
	  exit 1; \
	fi

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

## bench: speed and memory figures against plain pdfplumber, measured in the same run,
## and seconds per page of a scan read by OCR
bench: $(STAMP) tesseract
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
