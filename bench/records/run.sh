#!/usr/bin/env bash
# run.sh BENCH — the records benchmark on both backends in one run: a temporary SQLite file and a
# throwaway PostgreSQL cluster (scripts/pg-test-server.sh, on its own port and state file so that it
# never touches a test cluster), stopped again whatever happens.
set -euo pipefail
cd "$(dirname "$0")/../.."
BENCH="${1:?usage: bench/records/run.sh BENCH_BINARY}"
export PG_TEST_STATE="${PG_TEST_STATE:-build/pg-bench.dir}" PG_TEST_PORT="${PG_TEST_PORT:-54330}"
trap 'scripts/pg-test-server.sh stop' EXIT
url="$(scripts/pg-test-server.sh start)"
"$BENCH" --pg "$url" "${@:2}"
