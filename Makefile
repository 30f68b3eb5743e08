# Two commands:  `make` (set up + fetch data + start JupyterLab)  and  `make test` (set up + whole suite).
# Both create or reuse the virtual environment .venv/ inside the repository.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
MNIST  := data/mnist/t10k-labels-idx1-ubyte.gz
LAB_ARGS ?=
TEST_STAMP := $(VENV)/.installed-test
# JupyterLab settings shipped with the course (no "official Jupyter news?" pop-up over the notebook)
LAB_OVERRIDES := $(VENV)/share/jupyter/lab/settings/overrides.json
# JupyterLab refuses to run as root unless told; containers and CI machines often are root
ROOT_ARGS := $(if $(filter 0,$(shell id -u 2>/dev/null)),--allow-root)

.PHONY: lab setup data sandbox test build check handout grade-demo benchmark clean

lab: data $(LAB_OVERRIDES)  ## the main command: start JupyterLab on the course
	$(BIN)/python -m jupyterlab --ServerApp.root_dir="$(CURDIR)" --LabApp.default_url=/lab/tree/notebooks \
		$(ROOT_ARGS) $(LAB_ARGS)

$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt -e .
	touch $(STAMP)

setup: $(STAMP)

$(LAB_OVERRIDES): lab-settings/overrides.json $(STAMP)
	mkdir -p $(dir $@)
	cp lab-settings/overrides.json $@

$(TEST_STAMP): requirements-test.txt tests/nbgrader_env.py $(STAMP)
	$(BIN)/python -m pip install --quiet -r requirements-test.txt
	$(BIN)/python tests/nbgrader_env.py
	touch $(TEST_STAMP)

data: $(STAMP)  ## fetch + verify MNIST (no network work when the files verify)
	$(BIN)/python -m helpers.fetch

sandbox:  ## bubblewrap, the grader's sandbox: installed through apt when possible, else the command is named
	@command -v bwrap >/dev/null 2>&1 || { \
	  if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq bubblewrap; \
	  elif command -v apt-get >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo apt-get install -y -qq bubblewrap; \
	  else echo "bubblewrap (bwrap) is missing; install it with: sudo apt-get install bubblewrap" >&2; exit 1; fi; }

test: data sandbox $(LAB_OVERRIDES) $(TEST_STAMP)  ## the test command: unit tests, build check, grading (sandboxed), nbgrader, browser, strict nbval
	$(BIN)/python -m pytest tests --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg solutions

build: $(STAMP)  ## regenerate notebooks/ (and self-check data) from solutions/
	$(BIN)/python -m helpers.instructor.build

check: $(STAMP)
	$(BIN)/python -m helpers.instructor.build --check

handout: $(STAMP)  ## the student hand-out (no solutions): build/handout/ and build/course-handout.zip
	$(BIN)/python -m helpers.instructor.handout --out build/handout

benchmark: data  ## loading speed, and notebook 04's training against the floor, scikit-learn and PyTorch
	$(BIN)/python benchmarks/load_mnist.py
	$(BIN)/python benchmarks/train_mnist.py

clean:
	rm -rf $(VENV)
