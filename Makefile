# Two commands on a fresh machine: `make demo`, then `make test`.
# Both create .venv with the project installed (editable) on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: demo test lint format install clean-venv benchmarks notebooks lab fuzz libreoffice

install: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "hotline needs Python 3.11 or newer; set PYTHON=/path/to/python3.11")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,spark]'
	touch $(STAMP)

# The sample county into data/sample/raw and data/sample/processed, apart from your data.
demo: $(STAMP)
	$(BIN)/hotline demo

# The suite runs on PYTEST_WORKERS processes (pytest-xdist): `auto` is one per CPU this process
# may use, at most 4 (conftest.py says why); PYTEST_WORKERS=1 runs it serially in one
# process. --dist loadgroup keeps the tests marked xdist_group("spark") on one worker and one
# JVM. PYTEST_ARGS goes last: `make test PYTEST_ARGS="tests/test_cli.py -x"`.
PYTEST_WORKERS ?= auto
PYTEST_ARGS ?=
PYTEST_XDIST = $(if $(filter 0 1,$(PYTEST_WORKERS)),-n 0,-n $(PYTEST_WORKERS) --dist loadgroup)

test: $(STAMP) lint libreoffice
	$(BIN)/python -m pytest -q $(PYTEST_XDIST) $(PYTEST_ARGS)

# LibreOffice renders report.docx to PDF in tests/test_report_docx.py, which skip without it.
# Installed here when missing and the machine allows it (root with apt-get); never fails.
LIBREOFFICE_PACKAGES := libreoffice-writer-nogui fonts-noto-cjk
libreoffice:
	@command -v soffice >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 \
	  && { apt-get install -y -qq --no-install-recommends $(LIBREOFFICE_PACKAGES) >/dev/null 2>&1 \
	       || { apt-get update -qq >/dev/null 2>&1 \
	            && apt-get install -y -qq --no-install-recommends $(LIBREOFFICE_PACKAGES) >/dev/null 2>&1; }; } \
	  && echo "installed LibreOffice for the report.docx rendering tests"; } \
	  || echo "LibreOffice not installed: the report.docx rendering tests will be skipped"

# The fuzz suite with a long budget (make test runs 40 inputs per format); FUZZ_EXAMPLES=N to
# change it, HOTLINE_FUZZ_SEED=anything for new random inputs instead of the fixed sequence.
FUZZ_EXAMPLES ?= 2000
fuzz: $(STAMP)
	HOTLINE_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/python -m pytest -q tests/test_fuzz.py

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/pyright

format: $(STAMP)
	$(BIN)/ruff check --fix src tests benchmarks
	$(BIN)/ruff format src tests benchmarks

# Run notebooks 01-05 against your dataset (data/processed, from `hotline ingest data/raw/`),
# or, when there is none, the sample's (data/sample/processed, from `make demo`), which the
# notebooks then say in a note; 06 on a real 311 export when ../shared/data/real is there.
# Executed copies and HTML go to reports/notebooks/. DATASET=folder to choose another dataset.
notebooks: $(STAMP)
	$(BIN)/hotline notebooks 01 02 03 04 05 $(if $(DATASET),--dataset "$(DATASET)")
	@if [ -d ../shared/data/real ]; then $(BIN)/hotline notebooks 06; \
	else echo "notebook 06 skipped: it reads a 311 export from ../shared/data/real, not found"; fi

# JupyterLab with this environment registered as the "hotline" kernel.
lab: $(STAMP)
	$(BIN)/python -m ipykernel install --sys-prefix --name hotline --display-name "Python (hotline)"
	$(BIN)/jupyter lab --notebook-dir=notebooks

benchmarks: $(STAMP)
	$(BIN)/python benchmarks/ingest.py --matrix
	$(BIN)/python benchmarks/metrics.py
	$(BIN)/python benchmarks/scale.py

clean-venv:
	rm -rf $(VENV)
