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
run cargo leptos build --release
run bash scripts/e2e.sh
suites=4
echo "suites: $((suites - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
