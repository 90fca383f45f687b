#!/usr/bin/env bash
# Installs everything storfa needs on a fresh Debian machine: system packages
# (Tesseract OCR with English and Welsh data) and a Python 3.11 virtual
# environment in .venv with storfa and its dependencies from the hashed lock
# (requirements.lock, or requirements-dev.lock with --dev; docs/dependencies.md).
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
# Dependencies come from the hashed lock (scripts/lock.sh, docs/dependencies.md);
# the dev lock is the runtime one plus the test and lint tools.
lock="requirements.lock"
[ -n "$extras" ] && lock="requirements-dev.lock"
stamp=".venv/.storfa-installed${extras}"
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ] || [ "$lock" -nt "$stamp" ]; then
  echo "setup: installing storfa${extras} into .venv from $lock" >&2
  pip=(.venv/bin/python -m pip install -q --disable-pip-version-check)
  "${pip[@]}" --upgrade pip >/dev/null
  # Every dependency but torch at its locked version, each file checked against the
  # SHA-256 in the lock. --no-deps because sentence-transformers asks for torch,
  # which the lock leaves out; `pip check` below catches anything missing.
  "${pip[@]}" --require-hashes --no-deps -r "$lock"
  # torch as before: the version pinned in pyproject.toml, by name, so pip takes the
  # CPU build (on this kind of machine a file on disk). Its own dependencies are
  # already in place from the lock, so nothing else comes unchecked.
  torch_pin=$(grep -o '"torch==[^"]*"' pyproject.toml | tr -d '"')
  "${pip[@]}" "$torch_pin"
  # storfa itself: dependencies and build backend (setuptools) are all in place.
  "${pip[@]}" --no-deps --no-build-isolation -e .
  if ! .venv/bin/python -m pip check >/dev/null; then
    echo "setup: $lock does not cover every dependency (run scripts/lock.sh):" >&2
    .venv/bin/python -m pip check >&2 || true
    exit 1
  fi
  touch "$stamp"
fi
# The embedding model's ONNX graph is exported and quantised once per machine
# (~10 s), here rather than in a user's first ingest or search; when it is
# already cached this only looks (under a second). Not fatal: first use would
# build it.
.venv/bin/python -m storfa.search.embeddings >/dev/null \
  || echo "setup: could not prepare the embedding model now; storfa will on first use" >&2
