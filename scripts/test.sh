#!/usr/bin/env bash
# Install storfa with its test tools, then lint, type-check and run every test.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --dev
.venv/bin/ruff check src tests bench
.venv/bin/mypy
exec .venv/bin/pytest -q -n auto "$@"
