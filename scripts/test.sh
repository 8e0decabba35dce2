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
run cargo test -p app --features ssr
run cargo test -p server
if [ -n "${ADRONX_TEST_MONGODB_URI:-}" ]; then
  # MongoDB cannot be installed here; where a server is reachable, run its contract suite too.
  run cargo test -p server --lib storage::contract::mongodb -- --ignored
  suites_extra=1
fi
run make --no-print-directory build
run bash scripts/e2e.sh
suites=$((4 + ${suites_extra:-0}))
echo "suites: $((suites - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
