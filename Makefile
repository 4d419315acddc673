# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# `make run` is for a laptop: debug mode, demo logins, SQLite under var/.
DEV := DEBUG=1

.PHONY: run test lint install migrate demo bench bench-pages clean

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(INSTALLED)

install: $(INSTALLED)

migrate: install
	$(DEV) $(BIN)/python manage.py migrate --noinput

demo: migrate
	$(DEV) $(BIN)/python manage.py load_demo

run: demo
	@echo
	@echo "  Newsroom is starting."
	@echo "  Reader site:      http://$(HOST):$(PORT)/"
	@echo "  Editorial desk:   http://$(HOST):$(PORT)/admin/"
	@echo "  (demo logins are listed above; stop the server with Ctrl-C)"
	@echo
	$(DEV) $(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: install
	$(BIN)/python bench/ingest_benchmark.py $(BENCH_ARGS)

# Reader pages' requests per second at 1,000, 10,000 and 100,000 stories (needs wrk).
bench-pages: install
	$(BIN)/python bench/pages_benchmark.py $(BENCH_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) var staticfiles
