#!/usr/bin/env bash
# Starts the release server on a free port with a throw-away data directory, waits until it is
# ready, runs the browser tests against it with node's test runner, and stops it.
# ADRONX_E2E_TESTS=end2end/tests/inbox.test.mjs runs one file.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${CARGO_TARGET_DIR:=$HOME/.cache/adronx/target}"
: "${LEPTOS_SITE_ROOT:=$PWD/target/site}"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
data=$(mktemp -d)
log="$data/server.log"
ADRONX_SANDBOX_PACE=0.3 ADRONX_LOG_DIR="$data/logs" ADRONX_ADDR="127.0.0.1:$port" ADRONX_DATA_DIR="$data" LEPTOS_SITE_ROOT="$LEPTOS_SITE_ROOT" \
  "$CARGO_TARGET_DIR/release/adronx" serve >"$log" 2>&1 &
server=$!
# Stop the server; if it has not exited 15 s later, kill it (a stuck server must fail the run, not
# hang it until CI's own limit).
stop() {
  kill "$server" 2>/dev/null || return 0
  for _ in $(seq 1 150); do kill -0 "$server" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$server" 2>/dev/null && echo "the server did not stop within 15 s of SIGTERM" >&2
  wait "$server" 2>/dev/null
}
trap 'stop; rm -rf "$data"' EXIT
for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
  kill -0 $server 2>/dev/null || { cat "$log"; exit 1; }
  sleep 0.1
done
ADRONX_E2E_SITE_ROOT="$LEPTOS_SITE_ROOT" ADRONX_E2E_DATA_DIR="$data" ADRONX_E2E_URL="http://127.0.0.1:$port" node --test --test-concurrency=1 --test-timeout=180000 ${ADRONX_E2E_TESTS:-end2end/tests/*.test.mjs} || { tail -n 40 "$log"; exit 1; }

# The server's own log files, after everything the browser did: JSON lines with request ids, and
# nothing a person typed into the contact form (message text, e-mail addresses, names), and no
# WhatsApp message text or customer number.
sleep 1
logs=$(cat "$data"/logs/*.log)
for secret in "We would like a demo" "ana@example.com" "luis@example.com" "tienen plan para agencias" "Ana Pérez" \
  "chaqueta azul" "nos queda una en talla M" "It ships today" "5215550001111" "sbx-"; do
  if grep -qF "$secret" <<<"$logs"; then echo "FAIL: the logs contain \"$secret\""; exit 1; fi
done
grep -q '"request_id"' <<<"$logs" || { echo "FAIL: no request ids in the logs"; exit 1; }
python3 -c 'import json,sys; [json.loads(l) for l in sys.stdin if l.strip()]' <<<"$logs" || { echo "FAIL: a log line is not JSON"; exit 1; }
echo "logs: JSON lines with request ids, no form contents"
