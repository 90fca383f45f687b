#!/usr/bin/env bash
# Install storfa with its test tools (and a local PostgreSQL if none runs), then lint,
# type-check and run every test, on SQLite and on PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --dev
scripts/postgres.sh
# In CI a missing PostgreSQL is a failure, not a skip.
[ "${CI:-}" = "true" ] && export STORFA_REQUIRE_POSTGRES=1
.venv/bin/ruff check src tests bench
.venv/bin/mypy
# Known vulnerabilities in the locked dependencies; says so and skips when no
# vulnerability source can be reached (docs/dependencies.md).
.venv/bin/python scripts/audit.py
# The twenty slowest tests are listed at the end, to keep the suite under 15 minutes.
exec .venv/bin/pytest -q -n auto --durations=20 "$@"
