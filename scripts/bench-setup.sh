#!/usr/bin/env bash
# Installs the tools scripts/bench.py compares spslint with, outside the repository:
#   $BENCH_ROOT/venv         check-jsonschema (PyPI)
#   $BENCH_ROOT/node         ajv-cli + ajv-formats (npm)
#   $BENCH_ROOT/parse-floor  a copy of shared/bench/parse-floor, built in release mode
# and builds spslint itself (target/release/spslint) when the crate builds.
# Safe to run again: each step is skipped when its result is already there (--force redoes them).
# Versions are pinned so that numbers taken on different days compare.
set -euo pipefail

BENCH_ROOT=${BENCH_ROOT:-/tmp/spslint-bench}
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SHARED=${SPSLINT_SHARED:-$(cd "$REPO/.." && pwd)/shared}
CHECK_JSONSCHEMA_VERSION=${CHECK_JSONSCHEMA_VERSION:-0.39.0}
AJV_CLI_VERSION=${AJV_CLI_VERSION:-5.0.0}
AJV_FORMATS_VERSION=${AJV_FORMATS_VERSION:-3.0.1}
FORCE=0
[[ "${1:-}" == "--force" ]] && FORCE=1

mkdir -p "$BENCH_ROOT"
say() { printf '== %s\n' "$*" >&2; }

# check-jsonschema in its own venv
if [[ $FORCE == 1 || ! -x "$BENCH_ROOT/venv/bin/check-jsonschema" ]]; then
    say "check-jsonschema $CHECK_JSONSCHEMA_VERSION -> $BENCH_ROOT/venv"
    rm -rf "$BENCH_ROOT/venv"
    python3 -m venv "$BENCH_ROOT/venv"
    "$BENCH_ROOT/venv/bin/pip" install --quiet --disable-pip-version-check \
        "check-jsonschema==$CHECK_JSONSCHEMA_VERSION"
fi
"$BENCH_ROOT/venv/bin/check-jsonschema" --version

# ajv-cli and ajv-formats in a local node_modules (needs node and npm on PATH)
if command -v npm >/dev/null; then
    if [[ $FORCE == 1 || ! -x "$BENCH_ROOT/node/node_modules/.bin/ajv" ]]; then
        say "ajv-cli $AJV_CLI_VERSION + ajv-formats $AJV_FORMATS_VERSION -> $BENCH_ROOT/node"
        rm -rf "$BENCH_ROOT/node"
        mkdir -p "$BENCH_ROOT/node"
        (cd "$BENCH_ROOT/node" &&
            printf '{"name":"spslint-bench-tools","private":true}\n' >package.json &&
            npm install --silent --no-audit --no-fund \
                "ajv-cli@$AJV_CLI_VERSION" "ajv-formats@$AJV_FORMATS_VERSION")
    fi
    echo "ajv-cli $(node -p "require('$BENCH_ROOT/node/node_modules/ajv-cli/package.json').version")," \
         "ajv $(node -p "require('$BENCH_ROOT/node/node_modules/ajv/package.json').version")"
else
    say "npm not found: ajv is skipped"
fi

# the parse floor, copied out of shared/ (which stays untouched) and built there
if [[ -d "$SHARED/bench/parse-floor" ]]; then
    if [[ $FORCE == 1 || ! -x "$BENCH_ROOT/parse-floor/target/release/parse-floor" ]] ||
        ! diff -rq --exclude=target "$SHARED/bench/parse-floor" "$BENCH_ROOT/parse-floor" >/dev/null; then
        say "parse-floor -> $BENCH_ROOT/parse-floor"
        mkdir -p "$BENCH_ROOT/parse-floor"
        cp -r "$SHARED/bench/parse-floor/." "$BENCH_ROOT/parse-floor/"
        chmod -R u+w "$BENCH_ROOT/parse-floor"
        (cd "$BENCH_ROOT/parse-floor" && cargo build --release --locked --quiet)
    fi
    echo "parse-floor $BENCH_ROOT/parse-floor/target/release/parse-floor"
else
    say "no $SHARED/bench/parse-floor: set SPSLINT_SHARED to the shared folder"
    exit 1
fi

# spslint itself; a crate that does not build yet is not fatal here
if [[ "${SKIP_SPSLINT_BUILD:-0}" != 1 ]]; then
    say "spslint (cargo build --release)"
    if (cd "$REPO" && cargo build --release --quiet); then
        echo "spslint $REPO/target/release/spslint"
    else
        say "spslint does not build yet: bench.py will report it as not installed"
    fi
fi
