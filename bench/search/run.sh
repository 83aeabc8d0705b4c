#!/bin/sh
# bench/search/run.sh — Materia's search against SQLite FTS5 (trigram, bm25),
# minisearch, flexsearch and fuse.js, over the same names and the same
# queries, in one run. `make bench-search` calls it; never part of `make test`.
#
# Usage: bench/search/run.sh [KB] [BENCH_BINARY]
#   KB            the knowledge base (default build/materia.kb, `make kb`)
#   BENCH_BINARY  bench_search built against libmateria (default build/bench/bench_search)
# Environment: BENCH_QUERIES (generated queries, default 1000), BENCH_SEED
# (default 4), BENCH_SECONDS (minimum timed seconds per engine, default 3),
# BENCH_OUT (default build/bench-search), BENCH_ENGINES (default all).
# Needs python3 (its sqlite3 module, FTS5 with the trigram tokenizer: SQLite
# 3.34+) and node with the packages of bench/package.json (installed here
# with `npm ci` when bench/node_modules is missing).
# Prints one table (also in $BENCH_OUT/report.md); raw JSON lines per engine
# and the query set stay in $BENCH_OUT.
set -eu
cd "$(dirname "$0")/../.."
KB=${1:-build/materia.kb}
BIN=${2:-build/bench/bench_search}
OUT=${BENCH_OUT:-build/bench-search}
N=${BENCH_QUERIES:-1000}
SEED=${BENCH_SEED:-4}
SECS=${BENCH_SECONDS:-3}
ENGINES=${BENCH_ENGINES:-materia,sqlite-fts5,minisearch,flexsearch,fuse}

[ -f "$KB" ] || { echo "run.sh: no knowledge base at $KB (make kb)" >&2; exit 1; }
[ -x "$BIN" ] || { echo "run.sh: no $BIN (make bench-search builds it)" >&2; exit 1; }
mkdir -p "$OUT"
rm -f "$OUT"/*.json

"$BIN" export "$KB" "$OUT/names.tsv"
python3 bench/search/make_queries.py "$OUT/names.tsv" t/search/misspellings.tsv "$OUT/queries.tsv" "$N" "$SEED"

echo "machine: $(nproc) CPUs, $(uname -sr); load average before: $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$OUT/machine.txt"
has() { case ",$ENGINES," in *",$1,"*) return 0;; esac; return 1; }
if has materia; then
    "$BIN" run "$KB" "$OUT/queries.tsv" "$SECS" "$OUT/materia-top5.tsv" | tee "$OUT/materia.json"
fi
if has sqlite-fts5; then
    python3 bench/search/fts5.py "$OUT/names.tsv" "$OUT/queries.tsv" "$SECS" | tee "$OUT/sqlite-fts5.json"
fi
PEERS=""
for e in minisearch flexsearch fuse; do has "$e" && PEERS="$PEERS${PEERS:+,}$e"; done
if [ -n "$PEERS" ]; then
    [ -d bench/node_modules ] || (cd bench && npm ci --no-audit --no-fund)
    node bench/search/peers.js "$OUT/names.tsv" "$OUT/queries.tsv" "$PEERS" "$SECS" | tee "$OUT/peers.json"
fi
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/machine.txt"
python3 bench/search/report.py "$OUT"/*.json | tee "$OUT/report.md"
