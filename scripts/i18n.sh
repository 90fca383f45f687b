#!/usr/bin/env bash
# Extract the web interface's messages and merge them into each catalogue.
#
#   scripts/i18n.sh          extract, then update locale/*/LC_MESSAGES/messages.po
#   scripts/i18n.sh --check  fail if a catalogue lacks, or has not translated, a message
#   scripts/i18n.sh --init xx  start a catalogue for language xx (then add xx to
#                              LANGUAGES in src/storfa/web/i18n.py)
#
# New messages arrive untranslated (empty msgstr); changed ones arrive marked
# "fuzzy" with the old translation as a guess. Translate them, remove the fuzzy
# flag, and run tests/test_web_i18n.py. There is no .mo file to compile:
# storfa/web/i18n.py compiles the .po in memory when the server starts.
set -euo pipefail
cd "$(dirname "$0")/.."
PYBABEL=${PYBABEL:-.venv/bin/pybabel}
LOCALES=src/storfa/web/locale
if [ "${1:-}" = "--check" ]; then
    exec .venv/bin/pytest -q tests/test_web_i18n.py
fi
POT=$(mktemp --suffix=.pot)
trap 'rm -f "$POT"' EXIT

"$PYBABEL" extract -F babel.cfg -k _ -k N_ --no-default-keywords --sort-by-file \
    --no-wrap --omit-header -o "$POT" . 2> >(grep -v '^extracting\|^writing' >&2)

if [ "${1:-}" = "--init" ]; then
    "$PYBABEL" init -i "$POT" -d "$LOCALES" -l "${2:?language code, e.g. cy}" --no-wrap
fi

for po in "$LOCALES"/*/LC_MESSAGES/messages.po; do
    lang=$(basename "$(dirname "$(dirname "$po")")")
    "$PYBABEL" update -i "$POT" -d "$LOCALES" -l "$lang" --no-wrap \
        --ignore-obsolete --previous >/dev/null 2> >(grep -v '^updating' >&2)
    echo "updated $po"
done
untranslated=$(.venv/bin/python - <<'PY'
from pathlib import Path
from babel.messages.pofile import read_po
for po in sorted(Path("src/storfa/web/locale").glob("*/LC_MESSAGES/messages.po")):
    with po.open("rb") as fh:
        catalog = read_po(fh)
    todo = [m.id for m in catalog if m.id and (not m.string or m.fuzzy)]
    for msgid in todo:
        print(f"{po}: to translate: {msgid!r}")
PY
)
if [ -n "$untranslated" ]; then
    echo "$untranslated"
    exit 1
fi
echo "every message is translated"
