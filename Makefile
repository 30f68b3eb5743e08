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

.PHONY: lab setup instructor data sandbox test lock build check handout site grade-demo benchmark clean

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

# (nbgrader's own environment, .venv-nbgrader, is made by its test when missing: tests/nbgrader_env.py)
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
test: data sandbox $(LAB_OVERRIDES) $(TEST_STAMP)  ## the test command: unit tests, build check, grading (sandboxed), nbgrader, browser, strict nbval (twice)
	$(BIN)/python -m pytest -n auto --dist loadfile --no-loadscope-reorder tests $(NBVAL) solutions

LOCK_PYTHONS ?= $(PYTHON)
lock:  ## refresh requirements.lock from requirements*.txt, reinstall .venv/ from it, re-execute solutions + checks
	$(if $(wildcard $(BIN)/python),$(BIN)/python,$(PYTHON)) scripts/lock.py $(LOCK_PYTHONS)
	$(MAKE) setup $(TEST_STAMP)
	$(BIN)/python -m helpers.instructor.build --execute

build: $(STAMP)  ## regenerate notebooks/ (and self-check data) from solutions/
	$(BIN)/python -m helpers.instructor.build

check: $(STAMP)
	$(BIN)/python -m helpers.instructor.build --check

handout: $(STAMP)  ## the student hand-out (no solutions): build/handout/ and build/course-handout.zip
	$(BIN)/python -m helpers.instructor.handout --out build/handout

site: handout $(INSTRUCTOR_STAMP)  ## the course as a static website in build/site/html (no solution code; see INSTRUCTORS.md)
	$(BIN)/python -m helpers.instructor.site --out build/site --handout-zip build/course-handout.zip

benchmark: data  ## loading speed, and notebook 04's training against the floor, scikit-learn and PyTorch
	$(BIN)/python benchmarks/load_mnist.py
	$(BIN)/python benchmarks/train_mnist.py

clean:
	rm -rf $(VENV) .venv-nbgrader
