# Why Muscles Twitch: every step of set-up is here, so a new machine needs only Python 3.11+ and make.
#   make lab    set up, then open JupyterLab on the series' first notebook
#   make test   set up, then run all three test layers (unit, notebooks, browser)
#   make bench  set up, then time the interactive panels and notebook runs
#   make present NB=02 [FONT=large]   classroom mode: one notebook in Voila (code hidden, widgets live)
#   make html   a static site of every notebook in build/html (no Python needed to read it)
#   make worksheets   one printable worksheet per notebook in build/worksheets (HTML, and PDF via Chromium)
# Every target is idempotent: set-up is skipped when requirements.txt and pyproject.toml are unchanged.

SHELL := /bin/bash
.DEFAULT_GOAL := help
.PHONY: help setup lab test lint test-browser-soak test-under-load test-unit test-fuzz test-notebooks test-browser browser bench present html worksheets student student-branch links axe lock clean

VENV  := .venv
BIN   := $(VENV)/bin
PY    := $(BIN)/python
STAMP := $(VENV)/.installed
# The first Python >= 3.11 on PATH (override with `make PYTHON=/path/to/python3.12 ...`).
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3 python; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
	2>/dev/null && { echo $$p; break; }; done)
FIRST_NOTEBOOK := $(firstword $(sort $(wildcard notebooks/[0-9][0-9]_*.ipynb)))
# Offline machines and CI use the ready cache of recordings beside the project.
ifneq ($(wildcard ../shared/data/SOURCES.md),)
export TWITCH_DATA_DIR ?= $(abspath ../shared/data)
endif
export NEURON_MODULE_OPTIONS := -nogui
export PIP_DISABLE_PIP_VERSION_CHECK := 1
export PYDEVD_DISABLE_FILE_VALIDATION := 1
NBVAL_FLAGS := --nbval-lax --nbval-cell-timeout=120 --nbval-sanitize-with tests/nbval_sanitize.cfg

help:
	@echo "make lab    - set up (first time only) and open JupyterLab on $(FIRST_NOTEBOOK)"
	@echo "make test   - set up and run every test layer (lint, unit and doctests, notebooks, browser)"
	@echo "make bench  - set up and time the panels and notebooks (writes benchmarks/results.json)"
	@echo "make present NB=02 [FONT=large] [PORT=8866]"
	@echo "            - classroom mode: notebook NB (number, name or path) in Voila for a projector"
	@echo "make test-browser-soak - every figure against the kernel, 5 runs per notebook and 3 under CPU load"
	@echo "make html   - static pages of every notebook in build/html (open build/html/index.html)"
	@echo "make worksheets - one printable worksheet per notebook in build/worksheets (HTML and PDF)"
	@echo "make student - student copies of the notebooks in build/student"
	@echo "make links HUB=https://hub.example.org [BRANCH=main]"
	@echo "            - one nbgitpuller link per notebook for a school's JupyterHub (docs/hub/README.md)"

$(STAMP): requirements.txt pyproject.toml
	@test -n "$(PYTHON)" || { echo "error: Python 3.11 or newer was not found on PATH." \
		"Install it (https://www.python.org/downloads/) or run: make PYTHON=/path/to/python3.11"; exit 1; }
	@test -x $(PY) || { echo "Creating $(VENV) with $(PYTHON)"; $(PYTHON) -m venv $(VENV); }
	$(PY) -m pip install --quiet --upgrade "pip>=24"
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps -e .
	@echo "Compiling the numba kernels once (cached on disk) ..."
	$(PY) -c "from utils import hh, muscle; hh.simulate(hh.Pulse(20), t_stop_ms=5); muscle.simulate_pool(10, duration_s=0.2)"
	@touch $@

# PlotlyFigure (utils/figures) loads plotly.js once per page from the local Jupyter server: enable the
# server extension that serves it (a file in the venv's etc/jupyter/jupyter_server_config.d).
FIGURES_CONFIG := $(VENV)/etc/jupyter/jupyter_server_config.d/why-muscles-twitch-figures.json
$(FIGURES_CONFIG): $(STAMP) utils/figures/server.py
	$(PY) -m utils.figures.server install

# The panels' precomputed tables (strength-duration, refractory, f-I, syndrome, ...) in the on-disk table
# cache beside numba's (utils/models/tablecache.py): rebuilt when model code, parameters or panels change.
TABLES := $(VENV)/.panel-tables
$(TABLES): $(STAMP) $(wildcard utils/models/*.py utils/panels/*.py utils/validation.py utils/sources/tables.py data/*.csv)
	@echo "Precomputing the panel tables once (cached on disk) ..."
	$(PY) -m utils.panels.precompute --quiet
	@touch $@

setup: $(STAMP) $(FIGURES_CONFIG) $(TABLES)

lab: setup
	$(BIN)/jupyter lab $(if $(filter 0,$(shell id -u)),--allow-root) $(FIRST_NOTEBOOK)

# Debian's Chromium for the browser tests (apt-get, as root, when it is missing).
browser:
	@bash tests/browser/ensure_chromium.sh

test: setup browser
	@rm -rf build/junit
	$(MAKE) --no-print-directory worksheets test-unit test-notebooks test-browser
	@$(PY) tools/junit_total.py build/junit/*.xml

# Style and hygiene: ruff's lint rules and formatter (config in pyproject.toml).
lint: setup
	$(BIN)/ruff check utils tests tools benchmarks
	$(BIN)/ruff format --check utils tests tools benchmarks

# Unit tests plus every docstring example in utils (--doctest-modules).
test-unit: setup lint
	timeout 1200 $(PY) -m pytest tests utils --doctest-modules --ignore=tests/browser -q --junitxml=build/junit/unit.xml

# The fuzz layer alone (it also runs in test-unit, hence in `make test`): every public callable of
# validation, sources and models with generated valid, edge and hostile values (~60 s); counts per
# outcome class in build/fuzz_counts.json.
test-fuzz: setup
	timeout 600 $(PY) -m pytest tests/unit/test_fuzz.py tests/unit/test_robustness.py tests/unit/test_network.py -q --junitxml=build/junit/fuzz.xml

test-notebooks: setup
	timeout 900 $(PY) -m pytest $(NBVAL_FLAGS) notebooks -q --junitxml=build/junit/notebooks.xml

# axe-core for the accessibility tests: `npm pack axe-core@<version>` once into build/axe-core (the browser
# tests inject it from there; nothing is loaded from a CDN at run time).
axe: setup
	@$(PY) tests/browser/axe.py >/dev/null

test-browser: setup axe
	timeout 3600 $(PY) -m pytest tests/browser -q --junitxml=build/junit/browser.xml

# Nightly-style: the every-figure JupyterLab pass 5 times per notebook, then 3 times while a CPU hog
# keeps every core busy (tools/under_load.py). Zero mismatches allowed.
test-browser-soak: setup browser
	TWITCH_SOAK=5 timeout 5400 $(PY) -m pytest tests/browser/test_every_figure.py -k jupyterlab -q -p no:cacheprovider
	TWITCH_SOAK=3 $(PY) tools/under_load.py --minutes 90 -- timeout 5400 $(PY) -m pytest tests/browser/test_every_figure.py -k jupyterlab -q -p no:cacheprovider

# The whole browser layer 3 times and the whole suite once, each under a CPU hog (issue: CI that holds
# under load); prints the wall times.
test-under-load: setup browser
	for i in 1 2 3; do $(PY) tools/under_load.py -- $(MAKE) --no-print-directory test-browser || exit 1; done
	$(PY) tools/under_load.py -- $(MAKE) --no-print-directory test

bench: setup browser
	timeout 1500 $(PY) benchmarks/run.py

# Classroom mode: NB = 02, 02_resting_membrane or a path (default: the first notebook); FONT=large for a
# projector. Serves on 127.0.0.1 only and prints the address; Ctrl-C stops it.
present: setup
	$(PY) tools/present.py "$(or $(NB),$(FIRST_NOTEBOOK))" $(if $(FONT),--font $(FONT)) $(if $(PORT),--port $(PORT))

# Static site: every notebook executed, then written as one self-contained page (plotly.js local).
html: setup
	timeout 1800 $(PY) tools/export_html.py --out build/html

# Printable worksheets generated from the notebooks' own cells and quiz files (tools/worksheets.py): objectives,
# predictions, things to try with blank lines, quiz without answers. PDF printed by headless Chromium when
# it is installed (`make browser`), otherwise HTML only. Checked by tests/unit/test_worksheets.py.
worksheets: setup
	timeout 600 $(PY) tools/worksheets.py --out build/worksheets

student: setup
	$(PY) tools/student.py --out build/student

# build/student committed as the top level of the local branch `student` (then: git push origin student).
student-branch: student
	@bash tools/student_branch.sh build/student student

# nbgitpuller links for a JupyterHub (standard library only: no set-up needed). BRANCH defaults to the
# student branch (build/student published as described in docs/hub/README.md).
links:
	@test -n "$(HUB)" || { echo "usage: make links HUB=https://hub.example.org [BRANCH=main]"; exit 2; }
	@$(PYTHON) tools/hub_links.py --hub "$(HUB)" $(if $(BRANCH),--branch "$(BRANCH)")

# Re-resolve the lock from requirements.in in a scratch venv (needs the package registry).
lock:
	rm -rf .venv-lock && $(PYTHON) -m venv .venv-lock
	.venv-lock/bin/pip install --quiet -r requirements.in
	{ echo "# Exact versions used by make and CI. Generated by 'make lock' from requirements.in; do not edit."; \
	  .venv-lock/bin/pip freeze --exclude-editable | grep -v '^why-muscles-twitch'; } > requirements.txt
	rm -rf .venv-lock

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis benchmarks/results.json tests/browser/screenshots
