#!/usr/bin/env bash
# Starts the release server on a free port with a throw-away data directory, waits until it is
# ready, runs the browser tests against it with node's test runner, and stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${CARGO_TARGET_DIR:=$HOME/.cache/adronx/target}"
: "${LEPTOS_SITE_ROOT:=$PWD/target/site}"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
data=$(mktemp -d)
log="$data/server.log"
RUST_LOG="${RUST_LOG:-warn}" ADRONX_ADDR="127.0.0.1:$port" ADRONX_DATA_DIR="$data" LEPTOS_SITE_ROOT="$LEPTOS_SITE_ROOT" \
  "$CARGO_TARGET_DIR/release/adronx" serve >"$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
  kill -0 $server 2>/dev/null || { cat "$log"; exit 1; }
  sleep 0.1
done
ADRONX_E2E_URL="http://127.0.0.1:$port" node --test --test-concurrency=1 end2end/tests/*.test.mjs || { tail -n 40 "$log"; exit 1; }
