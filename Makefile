# yuanqu — the two commands a new machine needs are `make demo` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
VENDOR := yuanqu/static_vendor

.PHONY: demo demo-reset serve test test-browser screenshots lint assets fonts venv clean

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	$(PY) -m pip install --quiet --no-deps -e .
	touch $(STAMP)

venv: $(STAMP)

$(VENDOR)/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	mkdir -p $(VENDOR)/echarts
	cp node_modules/echarts/dist/echarts.min.js $(VENDOR)/echarts/
	cp node_modules/echarts/LICENSE $(VENDOR)/echarts/
	touch $(VENDOR)/.installed

assets: $(VENDOR)/.installed

## Server-rendered report charts need a CJK font (Debian's fonts-noto-cjk).
fonts:
	@fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || { \
	  echo "Installing fonts-noto-cjk for Chinese text in report charts (needs root)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends fonts-noto-cjk; }

## Run the platform on SQLite (var/) with the synthetic demo loaded; a second run keeps the data.
demo: venv assets fonts
	$(VENV)/bin/yuanqu demo

demo-reset: venv assets fonts
	$(VENV)/bin/yuanqu demo --reset

serve: venv assets fonts
	$(VENV)/bin/yuanqu serve

## The whole suite except the browser journeys (those need Debian's chromium: make test-browser).
## loadgroup keeps a module that builds its world once on one worker (conftest.py, docs/testing.md).
test: venv assets fonts
	$(PY) -m pytest -m "not browser" -n 2 --dist loadgroup -q

test-browser: venv assets fonts
	$(PY) -m pytest -m browser -q

## The pictures of each role's 工作台, the 大屏 at three sizes and the phone pages in docs/screenshots/.
screenshots: venv assets fonts
	YUANQU_DOC_SCREENSHOTS=1 $(PY) -m pytest -m browser -q -n 0 -p no:cacheprovider tests/browser/test_workbench_screens.py

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	YUANQU_DEBUG=1 $(VENV)/bin/mypy yuanqu tests conftest.py

clean:
	rm -rf $(VENV) node_modules $(VENDOR)
