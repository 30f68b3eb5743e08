# Two commands:  `make` (set up + fetch data + start JupyterLab)  and  `make test` (set up + whole suite).
# Both create or reuse the virtual environment .venv/ inside the repository.
PYTHON ?= python3
PYTHON_MIN := 3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
MNIST  := data/mnist/t10k-labels-idx1-ubyte.gz
LAB_ARGS ?=
TEST_STAMP := $(VENV)/.installed-test
INSTRUCTOR_STAMP := $(VENV)/.installed-instructor
# JupyterLab settings shipped with the course (no "official Jupyter news?" pop-up over the notebook)
LAB_OVERRIDES := $(VENV)/share/jupyter/lab/settings/overrides.json
# JupyterLab refuses to run as root unless told; containers and CI machines often are root
ROOT_ARGS := $(if $(filter 0,$(shell id -u 2>/dev/null)),--allow-root)

# Too old a Python would only fail deep inside pip: before a .venv exists, stop at once with one line.
comma := ,
ifeq ($(wildcard $(BIN)/python),)
ifneq ($(filter-out clean,$(or $(MAKECMDGOALS),lab)),)
PYTHON_VERSION := $(shell $(PYTHON) -c "import sys; print('%d.%d' % sys.version_info[:2])" 2>/dev/null)
ifeq ($(PYTHON_VERSION),)
$(error this course needs Python $(PYTHON_MIN) or newer, but '$(PYTHON)' was not found: run make PYTHON=/path/to/python3.11 (or newer))
endif
ifneq ($(shell $(PYTHON) -c "import sys; print(sys.version_info >= ($(subst .,$(comma),$(PYTHON_MIN)),))"),True)
$(error this course needs Python $(PYTHON_MIN) or newer, but '$(PYTHON)' is Python $(PYTHON_VERSION): run make PYTHON=/path/to/python3.11 (or newer))
endif
endif
endif

.PHONY: lab setup instructor nbgrader data sandbox test test-unit lock build check-build selfcheck handout site benchmark clean

lab: data $(LAB_OVERRIDES)  ## the main command: start JupyterLab on the course
	$(BIN)/python -m jupyterlab --ServerApp.root_dir="$(CURDIR)" --LabApp.default_url=/lab/tree/notebooks \
		$(ROOT_ARGS) $(LAB_ARGS)

$(STAMP): requirements.txt requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --no-compile -r requirements.txt -c requirements.lock -e .
	@# byte-compile on every core (pip would on one): the grader's sandbox mounts .venv read-only, so nothing
	@# could be compiled and cached later; a file that does not compile is skipped, as pip would
	-$(BIN)/python -m compileall -qq -j 0 $(VENV)/lib
	touch $(STAMP)

setup: $(STAMP)

$(LAB_OVERRIDES): lab-settings/overrides.json $(STAMP)
	mkdir -p $(dir $@)
	cp lab-settings/overrides.json $@

# what instructors add to the students' install (see requirements-instructor.txt)
$(INSTRUCTOR_STAMP): requirements-instructor.txt requirements.lock $(STAMP)
	$(BIN)/python -m pip install --quiet --no-compile -r requirements-instructor.txt -c requirements.lock
	-$(BIN)/python -m compileall -qq -j 0 $(VENV)/lib
	touch $(INSTRUCTOR_STAMP)

instructor: $(INSTRUCTOR_STAMP)  ## the instructor tools' extra packages (grading on a cluster, class reports)

# nbgrader's own environment, beside .venv (the grader's sandbox shows .venv to submissions), within the lock
NBGRADER_STAMP := .venv-nbgrader/.installed
$(NBGRADER_STAMP): requirements-nbgrader.txt requirements.lock $(STAMP)
	$(BIN)/python tests/nbgrader_env.py   # pip install -r requirements-nbgrader.txt -c requirements.lock

nbgrader: $(NBGRADER_STAMP)  ## the nbgrader route's environment, .venv-nbgrader (see INSTRUCTORS.md, "With nbgrader")

$(TEST_STAMP): requirements-test.txt requirements.lock $(INSTRUCTOR_STAMP)
	$(BIN)/python -m pip install --quiet --no-compile -r requirements-test.txt -c requirements.lock
	-$(BIN)/python -m compileall -qq -j 0 $(VENV)/lib
	touch $(TEST_STAMP)

data: $(STAMP)  ## fetch + verify MNIST (no network work when the files verify)
	$(BIN)/python -m helpers.fetch

sandbox:  ## bubblewrap, the grader's sandbox: installed through apt when possible, else the command is named
	@command -v bwrap >/dev/null 2>&1 || { \
	  if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq bubblewrap; \
	  elif command -v apt-get >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo apt-get install -y -qq bubblewrap; \
	  else echo "bubblewrap (bwrap) is missing; install it with: sudo apt-get install bubblewrap" >&2; exit 1; fi; }

NBVAL := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg

# strict nbval runs twice: natively (solutions/ below), then as on another machine (tests/test_nbval_foreign.py
# through scripts/foreign_env.py: another OpenBLAS kernel family, no AVX-512, one BLAS thread), so outputs that
# hang on this CPU's last digits fail here, not in CI. -n auto: one pytest worker per core, a whole file each,
# longest files first (tests/conftest.py).
test: data sandbox $(LAB_OVERRIDES) $(TEST_STAMP) $(NBGRADER_STAMP)  ## the test command: unit tests, build check, grading (sandboxed), nbgrader, browser, strict nbval (twice)
	$(BIN)/python -m pytest -n auto --dist loadfile --no-loadscope-reorder tests $(NBVAL) solutions

# The files that need root (bubblewrap's sandbox: grading, hostile submissions, the course and a class graded,
# the results store), a browser (the site, the feedback pages),
# the package index (nbgrader's and the hand-out's installs) or a network namespace (the site): everything else
# is `make test-unit`, which runs as any user, offline, without bwrap or chromium (MNIST: present or fetched once).
SYSTEM_TESTS := browser course grade hostile nbgrader site handout nbval_foreign class store feedback_page dask written
test-unit: $(TEST_STAMP)  ## the tests that need no root, sandbox, browser or network (make test: the whole suite)
	$(BIN)/python -m pytest -n auto --dist loadfile --no-loadscope-reorder tests \
		$(foreach t,$(SYSTEM_TESTS),--ignore=tests/test_$(t).py)

LOCK_PYTHONS ?= $(PYTHON)
lock:  ## refresh requirements.lock from requirements*.txt, reinstall .venv/ from it, re-execute solutions + checks
	$(if $(wildcard $(BIN)/python),$(BIN)/python,$(PYTHON)) scripts/lock.py $(LOCK_PYTHONS)
	$(MAKE) setup $(TEST_STAMP)
	$(BIN)/python -m helpers.instructor.build --execute

build: $(STAMP)  ## regenerate notebooks/ (and self-check data) from solutions/
	$(BIN)/python -m helpers.instructor.build

check-build: $(STAMP)  ## instructors: is notebooks/ + the self-check data up to date with solutions/? (exit 1 names what is stale)
	$(BIN)/python -m helpers.instructor.build --check

NB ?= $(sort $(wildcard notebooks/[0-9][0-9]_*.ipynb))
# exit status 1 of the self-check means "not finished yet", which its summary lines already say: not a make error
selfcheck: data  ## students: run the saved notebooks (all, or NB="notebooks/04_neural_network.ipynb ...") as the grader will
	@$(BIN)/python -m helpers.selfcheck $(NB) || [ $$? -eq 1 ]

handout: $(STAMP)  ## the student hand-out (no solutions): build/handout/ and build/course-handout.zip
	$(BIN)/python -m helpers.instructor.handout --out build/handout

site: handout $(INSTRUCTOR_STAMP)  ## the course as a static website in build/site/html (no solution code; see INSTRUCTORS.md)
	$(BIN)/python -m helpers.instructor.site --out build/site --handout-zip build/course-handout.zip

benchmark: data $(INSTRUCTOR_STAMP)  ## loading speed, notebook 04's training against the floor, scikit-learn and PyTorch, grading backends
	$(BIN)/python benchmarks/load_mnist.py
	$(BIN)/python benchmarks/train_mnist.py
	$(BIN)/python benchmarks/grade_backends.py

clean:
	rm -rf $(VENV) .venv-nbgrader
