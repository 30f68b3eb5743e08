# Two commands:  `make` (set up + fetch data + start JupyterLab)  and  `make test` (set up + whole suite).
# Both create or reuse the virtual environment .venv/ inside the repository.
PYTHON ?= python3
PYTHON_MIN := 3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
MNIST  := data/mnist/t10k-labels-idx1-ubyte.gz
LAB_ARGS ?=
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

.PHONY: lab setup data test lock build check grade-demo benchmark clean

lab: data  ## the main command: start JupyterLab on the course
	$(BIN)/python -m jupyterlab --ServerApp.root_dir="$(CURDIR)" --LabApp.default_url=/lab/tree/notebooks \
		$(ROOT_ARGS) $(LAB_ARGS)

$(STAMP): requirements.txt requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt -c requirements.lock -e .
	touch $(STAMP)

setup: $(STAMP)

data: $(STAMP)  ## fetch + verify MNIST (no network work when the files verify)
	$(BIN)/python -m helpers.fetch

NBVAL := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg

# strict nbval runs twice: natively, then as on another machine (scripts/foreign_env.py: another OpenBLAS
# kernel family, no AVX-512, one BLAS thread), so outputs that hang on this CPU's last digits fail here, not in CI
test: data  ## the test command: unit tests, build check, grading tests, strict nbval over solutions/ (twice)
	$(BIN)/python -m pytest tests $(NBVAL) solutions
	$(BIN)/python scripts/foreign_env.py -- $(BIN)/python -m pytest $(NBVAL) solutions

LOCK_PYTHONS ?= $(PYTHON)
lock:  ## refresh requirements.lock from requirements.txt, reinstall .venv/ from it, re-execute solutions + checks
	$(if $(wildcard $(BIN)/python),$(BIN)/python,$(PYTHON)) scripts/lock.py $(LOCK_PYTHONS)
	$(MAKE) setup
	$(BIN)/python -m helpers.instructor.build --execute

build: $(STAMP)  ## regenerate notebooks/ (and self-check data) from solutions/
	$(BIN)/python -m helpers.instructor.build

check: $(STAMP)
	$(BIN)/python -m helpers.instructor.build --check

benchmark: data  ## loading speed, and notebook 04's training against the floor, scikit-learn and PyTorch
	$(BIN)/python benchmarks/load_mnist.py
	$(BIN)/python benchmarks/train_mnist.py

clean:
	rm -rf $(VENV)
