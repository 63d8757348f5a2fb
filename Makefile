# Two commands on a fresh machine: `make lab` opens the course, `make test` runs every test.
# Both create .venv from requirements.txt when it is missing or out of date, and are idempotent.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PYTEST_WORKERS ?= 2

.PHONY: lab edit test test-unit test-notebooks test-browser test-nbgrader site bench grade exercises tidy refresh env clean

env: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "The course needs Python 3.11 or newer; $(PYTHON) is " + sys.version.split()[0] + ". Run e.g. make PYTHON=python3.12")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $(STAMP)

# The learner's own copy of the lessons and exercises (see course_tools/workspace.py): their work
# never collides with the course's files, with git pull or with make test.
WORK ?= my-work
LAB_FLAGS ?= $(if $(filter 0,$(shell id -u)),--allow-root,)

# JupyterLab settings of the course (lab-settings/overrides.json: no news pop-up, no update check,
# no extension manager), installed where this environment's JupyterLab reads them; Binder's
# postBuild installs the same file.
LAB_OVERRIDES := $(VENV)/share/jupyter/lab/settings/overrides.json

$(LAB_OVERRIDES): lab-settings/overrides.json $(STAMP)
	@mkdir -p $(dir $@)
	cp lab-settings/overrides.json $@

# Opens lesson 01 itself (the URL JupyterLab opens is /lab/tree/notebooks/01_welcome.ipynb).
lab: $(STAMP) $(LAB_OVERRIDES)
	$(BIN)/python -m course_tools workspace $(WORK)
	cd $(WORK) && $(abspath $(BIN))/jupyter lab $(LAB_FLAGS) --ServerApp.root_dir=. notebooks/01_welcome.ipynb

# Authors: open the course's source notebooks themselves (then make refresh, make test).
edit: $(STAMP) $(LAB_OVERRIDES)
	$(BIN)/jupyter lab $(LAB_FLAGS) --ServerApp.root_dir=. notebooks/01_welcome.ipynb

# Unit tests, nbval over every lesson and every exercise solution, exercise and grader checks.
# One BLAS thread per pytest worker: two workers on two cores, no oversubscription (timings steady).
test: export OPENBLAS_NUM_THREADS = 1
test: export OMP_NUM_THREADS = 1
test: export MKL_NUM_THREADS = 1
test: $(STAMP)
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadfile \
		--nbval-lax --nbval-current-env --nbval-cell-timeout=300

test-unit: $(STAMP)
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadfile tests

test-notebooks: $(STAMP)
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadfile \
		--nbval-lax --nbval-current-env --nbval-cell-timeout=300 notebooks exercises/solutions

# The course in a real browser (tests/browser): JupyterLab on a free localhost port, headless Chromium
# driven by Playwright. Needs Chromium (Debian: apt-get install chromium; or CHROMIUM=/path/to/it);
# writes screenshots and the widget latency table to tests/browser/report/. Not part of make test.
BROWSER_STAMP := $(VENV)/.browser-installed

$(BROWSER_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[browser]'
	@touch $@

test-browser: $(BROWSER_STAMP)
	@$(BIN)/python tests/browser/lab_session.py
	$(BIN)/python -m pytest -p no:xdist --browser tests/browser

bench: $(STAMP)
	$(BIN)/python bench/run_all.py

# nbgrader itself on the course's exercises (tests/grader/test_grader_nbgrader.py): blank notebooks get 0,
# solutions full marks, one wrong answer exactly that task's points less. nbgrader is never a course
# dependency: it goes into its own environment (shared with bench/bench_grade.py). Not part of make test.
NBGRADER_ENV := .bench-envs/nbgrader
$(NBGRADER_ENV)/bin/nbgrader:
	$(PYTHON) -m venv $(NBGRADER_ENV)
	$(NBGRADER_ENV)/bin/python -m pip install --quiet --disable-pip-version-check nbgrader

test-nbgrader: $(STAMP) $(NBGRADER_ENV)/bin/nbgrader
	COURSE_NBGRADER=$(abspath $(NBGRADER_ENV))/bin/nbgrader $(BIN)/python -m pytest -p no:xdist tests/grader/test_grader_nbgrader.py

clean:
	rm -rf $(VENV) _site

# Authoring: regenerate learner exercises from the solutions, tidy notebooks, build the static site.
exercises: $(STAMP)
	$(BIN)/python -m course_tools exercises

tidy: $(STAMP)
	$(BIN)/python -m course_tools tidy notebooks exercises

refresh: $(STAMP)
	$(BIN)/python -m course_tools refresh notebooks exercises/solutions

# The static site (Sphinx + myst-nb, offline: no resource from another host). The [site] extra is
# installed on first use. BINDER_URL=https://mybinder.org/v2/gh/OWNER/REPO/BRANCH adds Binder links.
SITE_STAMP := $(VENV)/.site-installed

$(SITE_STAMP): $(STAMP) pyproject.toml
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[site]'
	@touch $@

site: $(SITE_STAMP)
	$(BIN)/python -m course_tools site --out _site

# Instructors: make grade SUBMISSIONS=path/to/submitted OUT=grades-out [ROSTER=students.txt]
# (docs/grading.md: grades.csv, grades_by_task.csv, feedback/, report.html)
SUBMISSIONS ?= submitted
OUT ?= grades-out
ROSTER ?=
grade: $(STAMP)
	$(BIN)/python -m course_grader $(SUBMISSIONS) --out $(OUT) $(if $(ROSTER),--roster $(ROSTER),)
