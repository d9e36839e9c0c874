# Sentra: `make demo` and `make test` are all a new machine needs (see README.md).
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
SENTRA := $(VENV)/bin/sentra
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_WORKERS ?= 2

.PHONY: install demo serve test test-unit test-e2e bench lint format messages ci clean

$(VENV)/.installed: pyproject.toml constraints.txt
	python3.11 -m venv $(VENV) || python3 -m venv $(VENV)
	$(PIP) install -q --upgrade pip wheel "setuptools>=69,<81"
	# xstatic-* are source-only packages that import pkg_resources at build time.
	$(PIP) install -q --no-build-isolation -c constraints.txt xstatic-bootstrap xstatic-leaflet
	$(PIP) install -q --no-build-isolation -c constraints.txt xstatic-leaflet-markercluster
	$(PIP) install -q -c constraints.txt -e ".[test]"
	$(SENTRA) compilemessages_sentra
	touch $@

install: $(VENV)/.installed

demo: install
	$(SENTRA) compilemessages_sentra
	DEBUG=1 $(SENTRA) migrate --no-input -v 1
	DEBUG=1 $(SENTRA) load_demo
	@echo ""
	@echo "Sentra berjalan di http://$(HOST):$(PORT)/  (Ctrl-C untuk berhenti)"
	@echo "Login demo (kata sandi untuk semua: sentra-demo):"
	@echo "  admin    - admin nasional (Kementerian Perindustrian)"
	@echo "  sultra   - petugas Provinsi Sulawesi Tenggara"
	@echo "  kendari  - petugas Kota Kendari"
	@echo "  mebel    - pengelola Sentra IKM Meubeler"
	@echo "  pelatih  - pelatih"
	@echo "  pemilik  - pemilik usaha"
	@echo ""
	@trap 'kill 0' EXIT INT TERM; \
	DEBUG=1 $(SENTRA) worker & \
	DEBUG=1 $(SENTRA) runserver --noreload $(HOST):$(PORT)

test: install
	bash scripts/ensure-chromium
	$(SENTRA) compilemessages_sentra
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS) -m "not e2e" -p no:randomly
	$(VENV)/bin/pytest -m e2e

test-unit: install
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS) -m "not e2e"

test-e2e: install
	bash scripts/ensure-chromium
	$(VENV)/bin/pytest -m e2e

bench: install
	$(PIP) install -q -c constraints.txt -e ".[test,bench]"
	$(PY) -m bench.run

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DJANGO_SETTINGS_MODULE=sentra.settings.test $(SENTRA) makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=sentra.settings.test $(SENTRA) check

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Refresh the English catalogue from the source strings (needs gettext's xgettext); every new string must then be
# translated in src/sentra/locale/en/LC_MESSAGES/django.po (tests/core/test_translations.py checks it).
messages: install
	cd src/sentra && ../../$(SENTRA) makemessages -l en --no-obsolete --no-location -i "migrations/*"
	$(SENTRA) compilemessages_sentra

ci:
	bash .ci/run

clean:
	rm -rf $(VENV) var .pytest_cache
