#!/usr/bin/env bash
# Runs every test: Rust unit, API and storage-contract tests, then browser tests against the real
# release build. Prints one closing "N passed, N failed" line and exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."
failed=0
run() {
  echo "::: $*"
  if ! "$@"; then failed=$((failed + 1)); echo "::: FAILED: $*"; fi
}
# The storage contract suite runs against SQLite always and against MongoDB too: the server named
# by ADRONX_TEST_MONGODB_URI (Atlas, a real mongod), else SecantusDB started here for the run.
if [ -z "${ADRONX_TEST_MONGODB_URI:-}" ]; then
  pidfile=$(mktemp)
  trap 'kill "$(cat "$pidfile")" 2>/dev/null || true' EXIT
  if ADRONX_TEST_MONGODB_URI=$(bash scripts/mongo-test-server.sh "$pidfile"); then
    export ADRONX_TEST_MONGODB_URI
    echo "::: MongoDB contract suite against SecantusDB at $ADRONX_TEST_MONGODB_URI"
  else
    # Without a server the MongoDB half of the contract suite would only be skipped: fail instead.
    failed=$((failed + 1))
    echo "::: FAILED: could not start SecantusDB for the MongoDB contract suite"
  fi
fi
run cargo test -p app --features ssr
run cargo test -p server
run make --no-print-directory build
run bash scripts/e2e.sh
suites=4
echo "suites: $((suites - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
