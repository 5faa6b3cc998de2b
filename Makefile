# Two commands: `make run` and `make test`. Both set everything up first.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8501

.PHONY: run test setup setup-dev assets validate lint clean bench-quick

$(VENV)/.stamp-runtime: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.stamp-dev: $(VENV)/.stamp-runtime requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

# The vendored files and the live maps' script bundles (static/vendor_js/, one per combination
# of plugins in geo/render/assets.py), written with the venv's Python (it imports geo.render).
static/vendor/.stamp: package.json package-lock.json scripts/vendor_assets.py \
		geo/render/assets.py geo/render/static_files.py | $(VENV)/.stamp-runtime
	npm ci --no-audit --no-fund --loglevel=error
	$(PY) scripts/vendor_assets.py
	touch $@

# The live map's terrain (hillshade, contours, elevation grid), content-hashed, from data/dem/.
TERRAIN_INPUTS := data/dem/N32E035.hgt data/dem/N33E035.hgt scripts/build_terrain.py \
	geo/analysis/relief.py geo/render/terrain_build.py geo/render/static_files.py
static/terrain/.stamp: $(VENV)/.stamp-runtime $(TERRAIN_INPUTS)
	$(PY) scripts/build_terrain.py
	touch $@

setup: $(VENV)/.stamp-runtime static/vendor/.stamp static/terrain/.stamp
setup-dev: $(VENV)/.stamp-dev static/vendor/.stamp static/terrain/.stamp
assets: static/vendor/.stamp static/terrain/.stamp

run: setup
	$(PY) scripts/serve.py --server.address 127.0.0.1 --server.port $(PORT)

test: setup-dev
	$(PY) -m geo.data.validate
	$(PY) -m pytest

validate: setup
	$(PY) -m geo.data.validate

# The benchmark at 1k, one run of each measure (about 2 minutes): checks that every measure
# runs, not the timings (bench/README.md).
bench-quick: setup-dev
	$(PY) -m bench.run --quick --out bench/results/quick.json
	$(PY) -m bench.check bench/results/quick.json

lint: setup-dev
	$(PY) -m ruff check .
	$(PY) -m mypy

clean:
	rm -rf $(VENV) node_modules static/vendor static/vendor_js static/terrain static/layer-data
