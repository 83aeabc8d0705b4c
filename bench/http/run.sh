#!/bin/sh
# bench/http/run.sh — Materia's HTTP server against nginx serving the very same
# response bytes as static files, with wrk on loopback, in one run.
#
# Usage: bench/http/run.sh [SECONDS] [CONNECTIONS]
#   needs build/materia and build/materia.kb (make kb), nginx and wrk (scripts/setup.sh).
# Prints a table of requests/s and p99 latency per target and the ratio
# materia/nginx. Every request loop is bounded by SECONDS and hits only 127.0.0.1.
set -eu
cd "$(dirname "$0")/../.."
SECS=${1:-10}
CONNS=${2:-64}
BIN=${MATERIA_BIN:-build/materia}
KB=${MATERIA_KB:-build/materia.kb}
MPORT=18480
NPORT=18481
WORK=$(mktemp -d /tmp/materia-bench-http.XXXXXX)
MPID=""; NPID=""
cleanup() {
    [ -n "$MPID" ] && kill "$MPID" 2>/dev/null || true
    [ -n "$NPID" ] && kill "$NPID" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

for t in wrk nginx curl; do
    command -v $t >/dev/null 2>&1 || [ -x /usr/sbin/$t ] || { echo "bench/http: $t is missing (run scripts/setup.sh)"; exit 1; }
done
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

"$BIN" serve --kb "$KB" --port $MPORT --bind 127.0.0.1 >"$WORK/materia.log" 2>&1 &
MPID=$!
i=0
until curl -fsS "http://127.0.0.1:$MPORT/api/v1/health" >/dev/null 2>&1; do
    i=$((i + 1)); [ $i -gt 100 ] && { echo "materia did not start"; cat "$WORK/materia.log"; exit 1; }
    sleep 0.1
done

DRUG_PATH="/api/v1/drugs/ketamine"
CHECK_PATH="/api/v1/interactions?drugs=sertraline,tramadol,warfarin,ibuprofen,alcohol"
mkdir -p "$WORK/www"
curl -fsS "http://127.0.0.1:$MPORT$DRUG_PATH" -o "$WORK/www/drug.json"
curl -fsS "http://127.0.0.1:$MPORT$CHECK_PATH" -o "$WORK/www/check.json"

cat >"$WORK/nginx.conf" <<NGX
worker_processes 2;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log;
events { worker_connections 1024; }
http {
    access_log off;
    sendfile on; tcp_nopush on; tcp_nodelay on;
    keepalive_requests 1000000;
    types { application/json json; }
    server {
        listen 127.0.0.1:$NPORT;
        root $WORK/www;
        location / { }
    }
}
NGX
"$NGINX" -c "$WORK/nginx.conf" -g 'daemon off;' &
NPID=$!
sleep 0.5

run_wrk() { # url -> "rps p99ms"
    wrk -t2 -c"$CONNS" -d"${SECS}s" --latency "$1" >"$WORK/wrk.out" 2>&1
    rps=$(awk '/^Requests\/sec:/ {print $2}' "$WORK/wrk.out")
    p99=$(awk '$1 == "99%" {print $2}' "$WORK/wrk.out")
    echo "$rps $p99"
}

echo "bench/http: ${SECS}s per run, 3 alternating rounds (median), $CONNS connections, wrk -t2, loopback"
echo "(wrk and both servers share this machine's cores: single runs vary, hence the rounds)"
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
: >"$WORK/res"
for round in 1 2 3; do
    for t in "m_drug http://127.0.0.1:$MPORT$DRUG_PATH" "n_drug http://127.0.0.1:$NPORT/drug.json" \
             "m_chk http://127.0.0.1:$MPORT$CHECK_PATH" "n_chk http://127.0.0.1:$NPORT/check.json"; do
        set -- $t
        echo "$1 $(run_wrk "$2")" >>"$WORK/res"
    done
done
rps() { awk -v k="$1" '$1 == k { print $2 }' "$WORK/res" | median; }
p99() { awk -v k="$1" '$1 == k { print $3 }' "$WORK/res" | tr '\n' ' '; }
m_drug=$(rps m_drug); n_drug=$(rps n_drug); m_chk=$(rps m_chk); n_chk=$(rps n_chk)
printf "%-34s %12s   %s\n" target "median req/s" "p99 of each round"
printf "%-34s %12s   %s\n" "materia drug ketamine" "$m_drug" "$(p99 m_drug)"
printf "%-34s %12s   %s\n" "nginx   drug.json (same bytes)" "$n_drug" "$(p99 n_drug)"
printf "%-34s %12s   %s\n" "materia 5-drug check" "$m_chk" "$(p99 m_chk)"
printf "%-34s %12s   %s\n" "nginx   check.json (same bytes)" "$n_chk" "$(p99 n_chk)"
awk -v a="$m_drug" -v b="$n_drug" -v c="$m_chk" -v d="$n_chk" \
    'BEGIN { printf "ratio materia/nginx: drug %.2f, check %.2f\n", a/b, c/d }'
