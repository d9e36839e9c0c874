# Sentra: `make demo` and `make test` are all a new machine needs (see README.md).
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
SENTRA := $(VENV)/bin/sentra
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_WORKERS ?= 2
# Browser journeys run in two processes, each with its own served demo; a file's journeys stay together in
# one process (--dist loadfile) because they continue one story on one server.
E2E_WORKERS ?= 2

.PHONY: install demo docs guide-images serve test test-unit test-e2e bench lint format messages ci clean \
	cluster cluster-down cluster-status cluster-rehearsal cluster-smoke

$(VENV)/.installed: pyproject.toml constraints.txt
	python3.11 -m venv $(VENV) || python3 -m venv $(VENV)
	$(PIP) install -q --upgrade pip wheel "setuptools>=69,<81"
	# xstatic-* are source-only packages that import pkg_resources at build time.
	$(PIP) install -q --no-build-isolation -c constraints.txt xstatic-bootstrap xstatic-leaflet
	$(PIP) install -q --no-build-isolation -c constraints.txt xstatic-leaflet-markercluster
	$(PIP) install -q -c constraints.txt -e ".[test,docs]"
	$(SENTRA) compilemessages_sentra
	touch $@

install: $(VENV)/.installed

# The built user guide and documentation; Django serves it at /bantuan/ from SENTRA_DATA_DIR/site.
SITE_DIR ?= $(or $(SENTRA_DATA_DIR),var)/site

demo: install
	$(SENTRA) compilemessages_sentra
	DEBUG=1 $(SENTRA) migrate --no-input -v 1
	DEBUG=1 $(SENTRA) load_demo
	@NO_MKDOCS_2_WARNING=1 $(VENV)/bin/mkdocs build --strict --quiet --site-dir $(SITE_DIR) \
	  || echo "Panduan pengguna tidak dapat dibangun (lihat pesan di atas); Sentra tetap berjalan tanpa /bantuan/."
	@HOST=$(HOST) PORT=$(PORT) SENTRA=$(SENTRA) bash scripts/demo-run

# The documentation site (docs/, mkdocs.yml) with the user guide, built strictly: a broken link or a missing
# picture fails. The guide's screenshots come from tests/e2e/test_guide_screenshots.py (`make guide-images`).
docs: install
	NO_MKDOCS_2_WARNING=1 $(VENV)/bin/mkdocs build --strict --site-dir $(SITE_DIR)
	@echo "Situs dokumentasi: $(SITE_DIR)/index.html (dilayani oleh Sentra di /bantuan/)"

guide-images: install
	bash scripts/ensure-chromium
	$(VENV)/bin/pytest tests/e2e/test_guide_screenshots.py -p no:randomly -q

test: install
	bash scripts/ensure-chromium
	$(SENTRA) compilemessages_sentra
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS) -m "not e2e" -p no:randomly
	$(VENV)/bin/pytest -m e2e -n $(E2E_WORKERS) --dist loadfile

test-unit: install
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS) -m "not e2e"

test-e2e: install
	bash scripts/ensure-chromium
	$(VENV)/bin/pytest -m e2e -n $(E2E_WORKERS) --dist loadfile

bench: install
	$(PIP) install -q -c constraints.txt -e ".[test,bench]"
	$(PY) -m bench.run

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DJANGO_SETTINGS_MODULE=sentra.settings.test $(SENTRA) makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=sentra.settings.test $(SENTRA) check
	VENV=$(VENV) bash scripts/typecheck

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Refresh the English catalogue from the source strings (needs gettext's xgettext); every new string must then be
# translated in src/sentra/locale/en/LC_MESSAGES/django.po (tests/core/test_translations.py checks it).
messages: install
	cd src/sentra && ../../$(SENTRA) makemessages -l en --no-obsolete --no-location -i "migrations/*"
	$(SENTRA) compilemessages_sentra

# The production topology on this machine, 127.0.0.1 only (scripts/cluster.py): PostgreSQL primary + streaming
# replica, Redis, two gunicorn nodes behind nginx (TLS), two RQ workers. `make cluster-down` stops all of it.
cluster: install
	$(PY) scripts/cluster.py up

cluster-down:
	$(PY) scripts/cluster.py down

cluster-status:
	$(PY) scripts/cluster.py status

# 120 s of officers' load while an app node, an import's worker and the replica fail (bench/cluster.py); the
# figures go to var/bench/results.json. The smoke version (10 s, one node killed) runs in CI.
cluster-rehearsal: install
	$(PIP) install -q -c constraints.txt -e ".[test,bench]"
	$(PY) -m bench.cluster rehearsal

cluster-smoke: install
	$(PIP) install -q -c constraints.txt -e ".[test,bench]"
	$(PY) -m bench.cluster smoke

ci:
	bash .ci/run

clean:
	rm -rf $(VENV) var .pytest_cache
