#!/usr/bin/env bash
# The whole performance measurement of docs/performance.md in one command:
# installs the tools to compare with (scripts/bench-setup.sh, skipped when already there),
# builds spslint in release mode, then runs scripts/bench.py with the given arguments.
#   scripts/bench.sh                         # the full run, about 10 minutes on 2 cores
#   scripts/bench.sh -o /tmp/bench.md        # also write the Markdown report there
#   scripts/bench.sh --sizes 1000 --rounds 3 --single-rounds 20   # a quick look
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export BENCH_ROOT=${BENCH_ROOT:-/tmp/spslint-bench}
bash "$REPO/scripts/bench-setup.sh" >&2
exec python3 "$REPO/scripts/bench.py" "$@"
