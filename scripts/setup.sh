#!/usr/bin/env bash
# Machine setup for building and testing Materia on Debian 12 (bookworm).
#
# Idempotent and quiet: installs only the Debian packages that `dpkg -s` reports as missing
# (running `apt-get update` only when something is missing), then installs the Node packages of
# tests/browser and bench when they have a package.json and their node_modules is out of date.
# Never downloads browsers (PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1; Debian's chromium is used).
# Prints nothing when everything is present; on failure prints the failing command's output
# and exits non-zero.
set -euo pipefail

cd "$(dirname "$0")/.."

PACKAGES=(
    build-essential pkg-config make gcc
    clang-14 libclang-rt-14-dev llvm-14 valgrind
    libjansson-dev libxml2-dev libcsv-dev libxxhash-dev zlib1g-dev libmicrohttpd-dev libzip-dev
    libsqlite3-dev sqlite3 libpq-dev libsodium-dev
    postgresql nginx wrk chromium
    ca-certificates curl xz-utils
)
NODE_PACKAGES=(nodejs npm)
NODE_MIN_MAJOR=18

die() { printf 'setup.sh: %s\n' "$*" >&2; exit 1; }

LOG="$(mktemp "${TMPDIR:-/tmp}/materia-setup.XXXXXX")"
trap 'rm -f "$LOG"' EXIT

# run CMD...: run quietly; on failure show its output and stop.
run() {
    if ! "$@" >"$LOG" 2>&1; then
        printf 'setup.sh: command failed: %s\n' "$*" >&2
        cat "$LOG" >&2
        exit 1
    fi
}

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || die "not root and sudo is not available"
    SUDO=(sudo -n)
fi

# node_ok: a node >= NODE_MIN_MAJOR is on PATH.
node_ok() {
    local v
    command -v node >/dev/null 2>&1 || return 1
    v="$(node -v 2>/dev/null)" || return 1
    v="${v#v}"
    [[ "${v%%.*}" =~ ^[0-9]+$ ]] || return 1
    [ "${v%%.*}" -ge "$NODE_MIN_MAJOR" ]
}

# Debian's nodejs/npm conflict with a node installed another way (NodeSource, nvm, ...):
# only ask for them when no suitable node is on PATH.
if ! node_ok; then
    PACKAGES+=("${NODE_PACKAGES[@]}")
fi

# missing_packages: print the packages of PACKAGES that dpkg -s does not report as installed.
missing_packages() {
    local out
    out="$(LC_ALL=C dpkg -s "${PACKAGES[@]}" 2>/dev/null || true)"
    printf '%s\n' "$out" | awk -v want="${PACKAGES[*]}" '
        BEGIN { n = split(want, w, " "); for (i = 1; i <= n; i++) need[w[i]] = 1 }
        /^Package: / { pkg = $2 }
        /^Status: / { if ($0 ~ / installed$/ && !/not-installed|config-files|half-/) ok[pkg] = 1 }
        END { for (i = 1; i <= n; i++) if (!(w[i] in ok)) print w[i] }'
}

mapfile -t MISSING < <(missing_packages)
if [ "${#MISSING[@]}" -gt 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    APT_OPTS=(-q -o Dpkg::Use-Pty=0 -o DPkg::Lock::Timeout=300)
    run "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get "${APT_OPTS[@]}" update
    run "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get "${APT_OPTS[@]}" install -y \
        --no-install-recommends "${MISSING[@]}"
    mapfile -t STILL < <(missing_packages)
    [ "${#STILL[@]}" -eq 0 ] || die "packages still missing after apt-get install: ${STILL[*]}"
fi

node_ok || die "node >= $NODE_MIN_MAJOR is not on PATH after installing nodejs"

# Node dependencies of the browser tests and the benchmarks. Skipped when the stamp written after
# the last successful install is newer than package.json and the lock file.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
export PUPPETEER_SKIP_DOWNLOAD=1
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false

for dir in tests/browser bench; do
    [ -f "$dir/package.json" ] || continue
    stamp="$dir/node_modules/.materia-setup-stamp"
    lock=""
    for f in "$dir/package-lock.json" "$dir/npm-shrinkwrap.json"; do
        if [ -f "$f" ]; then lock="$f"; break; fi
    done
    if [ -f "$stamp" ] && [ "$stamp" -nt "$dir/package.json" ] && { [ -z "$lock" ] || [ "$stamp" -nt "$lock" ]; }; then
        continue
    fi
    command -v npm >/dev/null 2>&1 || die "npm is not on PATH (needed for $dir)"
    if [ -n "$lock" ]; then
        run env -C "$dir" npm ci --no-audit --no-fund --loglevel=error
    else
        run env -C "$dir" npm install --no-audit --no-fund --loglevel=error
    fi
    mkdir -p "$dir/node_modules"
    touch "$stamp"
done

exit 0
