# The two commands of the README: `make run` and `make test`. Both bootstrap what they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: run test lint check lock demo clean

$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "需要 Python 3.11 (Python 3.11 is required)")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/duban serve

test: $(STAMP)
	@scripts/ensure-browser
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy duban bench

check: lint test

lock: $(STAMP)
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 -o requirements.lock

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache

# Refresh the English catalogue from the source and compile it (needs GNU gettext: msgfmt, xgettext).
.PHONY: messages
messages: $(STAMP)
	cd duban && ../$(BIN)/duban makemessages -l en --ignore='static/vendor/*' --no-obsolete
	msgfmt --check -o duban/locale/en/LC_MESSAGES/django.mo duban/locale/en/LC_MESSAGES/django.po
	@# Entries still to translate (prints nothing when the catalogue is complete):
	@msgattrib --untranslated duban/locale/en/LC_MESSAGES/django.po
	@msgattrib --only-fuzzy duban/locale/en/LC_MESSAGES/django.po
