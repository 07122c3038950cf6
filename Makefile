# Two commands on a fresh machine: `make run` (set up, load the demo, serve) and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1:8000

.PHONY: install run serve demo test lint format messages check-tree backup restore clean bench

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed

demo: install
	$(PY) manage.py migrate --no-input
	$(PY) manage.py load_demo

run: demo
	$(PY) manage.py runserver $(HOST)

serve: install
	$(PY) manage.py runserver $(HOST)

# Not --dist loadgroup/loadscope: they key tests by node id, and schemathesis' cases share theirs (320 went unrun).
test: install
	$(PY) -m pytest -n 2 -q

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Refresh the translation catalogue after changing strings, then translate and compile.
messages: install
	$(PY) manage.py makemessages -l zh_Hans --no-obsolete --ignore=.venv --ignore=staticfiles --ignore=tests
	$(PY) manage.py compilemessages -l zh_Hans --ignore=.venv

check-tree: install
	$(PY) manage.py check_tree

# PostgreSQL backup and restore (docs/OPERATIONS.md). Both use $DATABASE_URL (from the environment or the command
# line; never echoed), run as the tables' owner. Keep passwords in ~/.pgpass rather than in the URL.
BACKUP_DIR ?= backups
backup:
	@test -n "$$DATABASE_URL" || { echo "make backup: set DATABASE_URL (postgres://...)"; exit 2; }
	@mkdir -p "$(BACKUP_DIR)"
	@file="$(BACKUP_DIR)/$$(date -u +%Y%m%dT%H%M%SZ).dump"; \
	  pg_dump --format=custom --file="$$file.part" "$$DATABASE_URL" && mv "$$file.part" "$$file" && echo "$$file"

# Into an empty database: make restore FILE=backups/<timestamp>.dump DATABASE_URL=postgres://.../scratch
restore:
	@test -n "$(FILE)" || { echo "make restore: set FILE=backups/<timestamp>.dump"; exit 2; }
	@test -n "$$DATABASE_URL" || { echo "make restore: set DATABASE_URL (postgres://...)"; exit 2; }
	@echo "Restoring $(FILE)"
	@pg_restore --exit-on-error --single-transaction --no-owner --no-privileges --dbname="$$DATABASE_URL" "$(FILE)"
	@$(PY) manage.py verify_audit

clean:
	rm -rf $(VENV) staticfiles db.sqlite3

# The benchmark (docs/PERFORMANCE.md, "Benchmark"): make bench [PRESET=town|district|city] [BENCH_SECONDS=3].
# Its own PostgreSQL database per preset (the city's is anding_scale), generated when empty, with the development
# encryption key (no FIELD_ENCRYPTION_KEY set): the bench serves with the key the data was written with.
PRESET ?= district
BENCH_SECONDS ?= 3
BENCH_PG ?= postgres://postgres@127.0.0.1:5432
BENCH_DB = $(if $(filter city,$(PRESET)),anding_scale,anding_bench_$(PRESET))
bench: install
	@command -v wrk >/dev/null || apt-get install -y wrk || sudo apt-get install -y wrk
	@psql "$(BENCH_PG)/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname='$(BENCH_DB)'" | grep -q 1 \
	  || psql "$(BENCH_PG)/postgres" -c "CREATE DATABASE $(BENCH_DB)"
	DATABASE_URL=$(BENCH_PG)/$(BENCH_DB) $(PY) manage.py migrate --no-input -v 0
	DATABASE_URL=$(BENCH_PG)/$(BENCH_DB) $(PY) manage.py bench --preset $(PRESET) --seconds $(BENCH_SECONDS)
