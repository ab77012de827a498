# The two commands that matter: `make build` (fresh clone -> site/) and `make test` (every test).
# Everything installs into .venv from the project's own files; nothing relies on hand-installed tools.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell cat generator/pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: build validate serve test test-fast lint bench pages new-event clean browser linkcheck preview bytecode vendor screenshots

$(STAMP): generator/pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e './generator[test]'
	rm -f $(VENV)/.installed-*
	touch $@

NODE_STAMP := node_modules/.installed

# axe-core for the accessibility tests, and the npm releases of Leaflet and markercluster that the
# package ships (generator/timeweave/site/vendor/), at the versions pinned in package-lock.json.
$(NODE_STAMP): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --silent
	touch $@

# Python writes the generator's bytecode itself on a first run, unless PYTHONDONTWRITEBYTECODE is
# set; compiling it here (only what changed) spares every later run compiling the sources again.
bytecode: $(STAMP)
	@$(PY) -m compileall -q generator/timeweave

build: $(STAMP) bytecode  ## validate the content and build the site into site/ (atomic, strict)
	$(PY) -m timeweave validate
	$(PY) -m timeweave build $(BUILD_ARGS)

# After `make build`: the build recorded no URL that the commit lacks (README, "Permanence").
check-manifest:  ## fail when the build changed published-urls.txt (commit it with the content)
	git diff --exit-code -- published-urls.txt

linkcheck: $(STAMP)  ## internal links and anchors of the built site/ (the build runs it too, before publishing)
	$(PY) -m timeweave linkcheck site

# VALIDATE_ARGS: e.g. "--changed" (only what differs from main) or "--format github" (CI annotations).
VALIDATE_ARGS ?=

validate: $(STAMP) bytecode  ## check the content alone and list every problem
	$(PY) -m timeweave validate $(VALIDATE_ARGS)

serve: $(STAMP)  ## preview with live reload at http://127.0.0.1:8000/
	$(PY) -m timeweave serve

pages: $(STAMP)  ## write the generated Markdown to build/pages/ for another builder
	$(PY) -m timeweave pages build/pages

browser:  ## Debian's chromium for the browser tests (Playwright drives it; no browser download)
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# ARGS: the essentials, e.g. ARGS='--title "..." --date 2020-02-10 --type shelling --source ...';
# whatever is missing is asked for in a terminal.
new-event: $(STAMP)  ## scaffold a new event file under content/events/<year>/
	$(PY) -m timeweave new event $(ARGS)

.PHONY: docs
docs: $(STAMP)  ## rewrite the field reference in CONTRIBUTING.md from the models
	$(PY) -m timeweave build-docs

test: $(STAMP) $(NODE_STAMP) browser lint  ## run every test, the lint gate first
	$(PY) -m pytest -n 2 --dist loadfile

lint: $(STAMP)  ## ruff (rules in generator/pyproject.toml) and mypy --strict on the package
	cd generator && ../$(PY) -m ruff check timeweave ../tests ../bench
	cd generator && ../$(PY) -m mypy timeweave

# After a version change in package-lock.json: copy the map libraries and the basemap's Natural Earth
# data (world-atlas) that the package ships, from node_modules (tests/site/test_maps.py checks them
# against the lock's integrity hashes).
vendor: $(NODE_STAMP)
	$(PY) -c "from timeweave.site.maps import VENDOR_DIR, VENDOR_FILES; from timeweave.site.basemap import SOURCES; \
	import shutil; [shutil.copyfile('node_modules/' + p, VENDOR_DIR / p) for p in (*VENDOR_FILES.values(), *SOURCES)]"

# A fresh build, then Debian's chromium through Playwright (the test extras) over it, with every
# request off the machine refused (map tiles): the same content gives the same pictures.
screenshots: build browser  ## PNGs of the timeline, an event and the map, desktop and phone, into docs/screenshots/
	$(PY) docs/screenshots/take.py

test-fast: $(STAMP)
	$(PY) -m pytest -x -q -m "not browser"

clean:
	rm -rf site build .pytest_cache

bench: $(STAMP) browser  ## benchmark 1,000 to 30,000 events (hours on 2 cores); figures into bench/RESULTS.md
	$(PY) bench/run.py --record bench/RESULTS.md
	$(PY) bench/scale.py --record bench/RESULTS.md
	$(PY) bench/search_transfer.py bench/out/scale-n10000/site --record bench/RESULTS.md
	$(PY) bench/zensical.py --record bench/RESULTS.md

preview: $(STAMP)  ## fast preview for big timelines: full build once, then only the pages an edit changes
	$(PY) -m timeweave preview
