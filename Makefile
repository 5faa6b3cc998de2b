# Two commands: `make run` and `make test`. Both set everything up first.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8501

.PHONY: run test setup setup-dev assets validate lint clean

$(VENV)/.stamp-runtime: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.stamp-dev: $(VENV)/.stamp-runtime requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

static/vendor/.stamp: package.json package-lock.json scripts/vendor_assets.py
	npm ci --no-audit --no-fund --loglevel=error
	$(PYTHON) scripts/vendor_assets.py
	touch $@

setup: $(VENV)/.stamp-runtime static/vendor/.stamp
setup-dev: $(VENV)/.stamp-dev static/vendor/.stamp
assets: static/vendor/.stamp

run: setup
	$(PY) scripts/serve.py --server.address 127.0.0.1 --server.port $(PORT)

test: setup-dev
	$(PY) -m geo.data.validate
	$(PY) -m pytest

validate: setup
	$(PY) -m geo.data.validate

lint: setup-dev
	$(PY) -m ruff check .
	$(PY) -m mypy

clean:
	rm -rf $(VENV) node_modules static/vendor
