# Servicetorg: `make run` serves the demo, `make test` runs every test. Both set up what they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export DJANGO_SETTINGS_MODULE := servicetorg.settings

.PHONY: run test install bench assets messages static migrate demo serve lint clean

run: install migrate demo serve

install: $(VENV)/.installed assets messages static

# Load benchmark beside bare Django, SQLite and PostgreSQL; writes docs/benchmarks.md.
bench: install
	command -v wrk >/dev/null || apt-get install -y wrk
	BENCH_FROM_MAKE=1 $(BIN)/python bench/harness.py --databases sqlite,postgresql $(BENCH_ARGS)

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

node_modules/.installed: package.json
	npm install --no-audit --no-fund --loglevel=error
	touch $@

# The design system's CSS, pinned in package.json, copied into the app's static files.
assets: node_modules/.installed
	mkdir -p servicetorg/static/vendor
	cat node_modules/@digdir/designsystemet-theme/brand/digdir.css \
	    node_modules/@digdir/designsystemet-css/dist/src/index.css \
	    > servicetorg/static/vendor/designsystemet.css

messages: $(VENV)/.installed
	cd servicetorg && ../$(BIN)/django-admin compilemessages --ignore=.venv -v 0

static: $(VENV)/.installed assets
	$(BIN)/python manage.py collectstatic --noinput -v 0

migrate: $(VENV)/.installed
	mkdir -p var
	$(BIN)/python manage.py migrate --noinput -v 0
	$(BIN)/python manage.py createcachetable

demo: migrate
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py demo_logins

# The web server, and beside it the loop that keeps the leaders' figures current.
serve:
	$(BIN)/python manage.py refresh_insights --loop 60 > var/refresh_insights.log 2>&1 & \
	loop=$$!; trap 'kill $$loop' EXIT INT TERM; \
	$(BIN)/gunicorn servicetorg.wsgi --bind 127.0.0.1:$(PORT) --workers 3 --worker-class sync \
	    --access-logfile - --max-requests 10000 --max-requests-jitter 500

test: install
	mkdir -p var
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) node_modules var servicetorg/static/vendor
