#!/usr/bin/env bash
# Start a throw-away PostgreSQL server on 127.0.0.1 and print its database URL.
# Usage: eval "$(bash .ci/start-postgres.sh)"  -> exports TRIAL_ABSTRACTOR_TEST_DATABASE_URL
set -euo pipefail
PORT="${PGPORT_TEST:-54329}"
DATA="${PGDATA_TEST:-/tmp/trial-abstractor-pg}"
BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
if [ -z "$BIN" ]; then
    echo "PostgreSQL server binaries not found (apt-get install postgresql)" >&2
    exit 1
fi
RUN_AS=()
if [ "$(id -u)" = 0 ]; then RUN_AS=(runuser -u postgres --); fi
if ! "${RUN_AS[@]}" "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
    rm -rf "$DATA"
    mkdir -p "$DATA"
    if [ "$(id -u)" = 0 ]; then chown postgres "$DATA"; fi
    "${RUN_AS[@]}" "$BIN/initdb" -D "$DATA" -U postgres -A trust --encoding=UTF8 >/dev/null
    "${RUN_AS[@]}" "$BIN/pg_ctl" -D "$DATA" -l "$DATA/server.log" -w \
        -o "-c listen_addresses=127.0.0.1 -p $PORT -k /tmp" start >/dev/null
fi
"$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -tAc \
    "SELECT 1 FROM pg_database WHERE datname='trial_abstractor_test'" | grep -q 1 \
    || "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres trial_abstractor_test
echo "export TRIAL_ABSTRACTOR_TEST_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:$PORT/trial_abstractor_test"
