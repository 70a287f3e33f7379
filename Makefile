# Two commands on a fresh clone: `make run` and `make test`. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
FLASK := $(BIN)/flask --app app:create_app
# Domains with their own translation catalogue (app/<domain>/translations).
DOMAINS := $(patsubst app/%/translations,%,$(wildcard app/*/translations))
LOCALES := vi fr

.PHONY: run test lint format install translations messages static db demo bench bench-full load clean screenshots

$(BIN)/.installed: pyproject.toml requirements.lock
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e ".[dev]"
	touch $@

install: $(BIN)/.installed

# Compiled catalogues are built here, never edited or committed.
translations: install
	@for dir in app/translations $(wildcard app/*/translations); do \
	  $(BIN)/pybabel -q compile -d $$dir || exit 1; \
	done

# Re-extract the strings of the core and of each domain into their catalogues.
messages: install
	$(BIN)/pybabel -q extract -F babel.cfg -k _l -k lazy_gettext -o app/translations/messages.pot \
	  app/__init__.py app/errors.py app/i18n.py app/permissions.py app/accounts app/main app/mail app/media app/profiles \
	  templates/base.html templates/_nav_items.html templates/macros templates/accounts templates/errors templates/main templates/mail
	@for l in $(LOCALES); do \
	  if [ -f app/translations/$$l/LC_MESSAGES/messages.po ]; then \
	    $(BIN)/pybabel -q update --no-fuzzy-matching -i app/translations/messages.pot -d app/translations -l $$l; \
	  else $(BIN)/pybabel -q init -i app/translations/messages.pot -d app/translations -l $$l; fi; \
	done
	@for d in $(DOMAINS); do \
	  $(BIN)/pybabel -q extract -F babel.cfg -k _l -k lazy_gettext -o app/$$d/translations/messages.pot app/$$d $$(test -d templates/$$d && echo templates/$$d); \
	  for l in $(LOCALES); do \
	    if [ -f app/$$d/translations/$$l/LC_MESSAGES/messages.po ]; then \
	      $(BIN)/pybabel -q update --no-fuzzy-matching -i app/$$d/translations/messages.pot -d app/$$d/translations -l $$l; \
	    else $(BIN)/pybabel -q init -i app/$$d/translations/messages.pot -d app/$$d/translations -l $$l; fi; \
	  done; \
	done

# Pre-compressed copies for WhiteNoise (git-ignored).
static: install
	$(BIN)/python -m whitenoise.compress -q static >/dev/null

db: install translations
	$(FLASK) db upgrade

demo: db
	$(FLASK) demo load --if-empty

run: demo static
	@echo "Serving on http://127.0.0.1:$(PORT)"
	@# The job scheduler beside the web process (periodic digests and reminders, due jobs): it
	@# stops with it. Without JOBS_REDIS_URL it runs the jobs itself (README, Background jobs).
	PORT=$(PORT) $(FLASK) jobs scheduler & scheduler=$$!; trap 'kill $$scheduler 2>/dev/null' EXIT; \
	PORT=$(PORT) $(FLASK) run --host 127.0.0.1 --port $(PORT) --debug --no-debugger

lint: install
	$(BIN)/ruff check app demo tests $(wildcard bench) wsgi.py gunicorn.conf.py migrations/env.py
	$(BIN)/ruff format --check app demo tests $(wildcard bench) wsgi.py gunicorn.conf.py migrations/env.py
	$(BIN)/mypy

format: install
	$(BIN)/ruff format app demo tests $(wildcard bench) wsgi.py gunicorn.conf.py migrations/env.py
	$(BIN)/ruff check --fix app demo tests $(wildcard bench) wsgi.py gunicorn.conf.py migrations/env.py

# Two workers (pytest-xdist, one database each), branch coverage of app/ (fail_under in
# pyproject.toml). One process, no coverage: `.venv/bin/pytest -p no:xdist`.
test: install translations lint
	$(BIN)/pytest -q -n 2 --dist loadgroup --cov=app --cov-report=term:skip-covered $(PYTEST_ARGS)

# Every journey page at 390, 768 and 1280 px with a contact sheet: test-artifacts/screenshots/index.html
screenshots: install translations
	SCREENSHOTS=1 $(BIN)/pytest -q -p no:randomly tests/browser/test_screenshots.py

clean:
	rm -rf $(VENV) test-artifacts .pytest_cache .ruff_cache .mypy_cache

# The benchmark (never part of the test suite): needs wrk (apt-get install -y wrk) and PostgreSQL.
bench: install translations
	@command -v wrk >/dev/null || (apt-get install -y -qq wrk >/dev/null 2>&1 || (echo "install wrk: apt-get install -y wrk" && exit 1))
	$(BIN)/python bench/run.py --quick

bench-full: install translations
	@command -v wrk >/dev/null || (apt-get install -y -qq wrk >/dev/null 2>&1 || (echo "install wrk: apt-get install -y wrk" && exit 1))
	$(BIN)/python bench/run.py --full

# 50 simulated people for 5 minutes against gunicorn + PostgreSQL + Redis (never part of the tests).
load: install translations
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[load]"
	$(BIN)/python bench/load.py
