#!/usr/bin/env bash
# Regenerates the hashed lock files from pyproject.toml with pip-tools (pinned in
# the dev extra): requirements.lock (what storfa runs with) and
# requirements-dev.lock (that plus the test and lint tools, with the same pins).
# Run it after changing a pin in pyproject.toml; it takes a few minutes, as every
# file of every pinned release is hashed. docs/dependencies.md says why torch is
# left out.
set -euo pipefail
cd "$(dirname "$0")/.."
compile=".venv/bin/pip-compile"
[ -x "$compile" ] || { echo "lock: run scripts/setup.sh --dev first (pip-tools)" >&2; exit 2; }
# --unsafe-package torch: the CPU build setup.sh installs is not the file PyPI
# serves under torch 2.13.0 (a CUDA build), so no hash could match both.
# No index or find-links lines: the lock must not name this machine's mirrors.
common=(--quiet --generate-hashes --strip-extras --no-emit-index-url --no-emit-find-links
        --unsafe-package torch)
"$compile" "${common[@]}" --output-file requirements.lock pyproject.toml
# The runtime lock constrains the dev lock, so both install the same versions.
"$compile" "${common[@]}" --extra dev --constraint requirements.lock \
  --output-file requirements-dev.lock pyproject.toml
# The locks cover every pin of pyproject.toml, with hashes (tests/test_lock.py).
.venv/bin/pytest -q -p no:cacheprovider tests/test_lock.py
