#!/usr/bin/env bash
# Make sure a local PostgreSQL accepts the test suite's connections at
# 127.0.0.1:5432 as user postgres (machines of our CI kind already run one;
# elsewhere this installs Debian's server and allows trust auth on loopback,
# which is for a throwaway test machine only). Tests skip PostgreSQL cleanly
# when it still cannot be reached.
set -euo pipefail

ready() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }
ready && exit 0

sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  echo "postgres: installing Debian's PostgreSQL server" >&2
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    postgresql >/dev/null
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  hba="/etc/postgresql/$version/main/pg_hba.conf"
  if ! $sudo grep -q "storfa-tests" "$hba"; then
    printf '%s\n' "host all all 127.0.0.1/32 trust # storfa-tests" \
      | $sudo tee /tmp/storfa-hba >/dev/null
    $sudo sh -c "cat '$hba' >> /tmp/storfa-hba && cp /tmp/storfa-hba '$hba'"
  fi
fi
version=$(ls /etc/postgresql | sort -V | tail -n 1)
$sudo pg_ctlcluster --skip-systemctl-redirect "$version" main start 2>/dev/null || true
for _ in $(seq 1 20); do ready && break; sleep 0.5; done
if ready; then
  psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'test'" \
    | grep -q 1 || psql -h 127.0.0.1 -U postgres -c "CREATE DATABASE test" >/dev/null
else
  echo "postgres: no server at 127.0.0.1:5432; PostgreSQL tests will be skipped" >&2
fi
