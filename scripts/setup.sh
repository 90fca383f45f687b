#!/usr/bin/env bash
# Installs everything storfa needs on a fresh Debian machine: system packages
# (Tesseract OCR with English and Welsh data) and a Python 3.11 virtual
# environment in .venv with storfa and its pinned dependencies.
#   scripts/setup.sh          # to run storfa
#   scripts/setup.sh --dev    # also the test and lint tools
set -euo pipefail
cd "$(dirname "$0")/.."

extras=""
[ "${1:-}" = "--dev" ] && extras="[dev]"

# Pango is what WeasyPrint lays out briefing and report PDFs with.
apt_packages=(tesseract-ocr tesseract-ocr-eng tesseract-ocr-cym ripgrep libpango-1.0-0 libpangoft2-1.0-0)
# Tests drive Debian's Chromium through Playwright; benchmarks load the server with wrk.
[ -n "$extras" ] && apt_packages+=(chromium wrk)
missing=()
for pkg in "${apt_packages[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing system packages: ${missing[*]}" >&2
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
fi

python=""
for candidate in python3.11 python3; do
  if command -v "$candidate" >/dev/null 2>&1 &&
     "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null; then
    python="$candidate"; break
  fi
done
if [ -z "$python" ]; then
  echo "setup: storfa needs Python 3.11 (python3.11 or python3 on PATH)." >&2
  exit 2
fi

if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv with $python" >&2
  "$python" -m venv .venv
fi
stamp=".venv/.storfa-installed${extras}"
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo "setup: installing storfa${extras} into .venv" >&2
  .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip >/dev/null
  .venv/bin/python -m pip install -q --disable-pip-version-check -e ".${extras}"
  touch "$stamp"
fi
