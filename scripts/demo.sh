#!/usr/bin/env bash
# Install storfa, build the demo corpus in ./storfa-data and ingest it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec .venv/bin/storfa --data "${STORFA_DATA:-storfa-data}" demo "$@"
