#!/usr/bin/env bash
# Starts SecantusDB — a MongoDB wire-protocol server on WiredTiger, from PyPI — on a free loopback
# port with in-memory storage, and prints its URI. Stop it with `kill $(cat "$1")`.
# Usage: scripts/mongo-test-server.sh PIDFILE
set -euo pipefail
venv="${ADRONX_MONGO_VENV:-$HOME/.cache/adronx/mongo-venv}"
log=$(mktemp)
"$venv/bin/secantusd-py" --host 127.0.0.1 --port 0 --storage-path :memory: >"$log" 2>&1 &
echo $! >"$1"
for _ in $(seq 1 100); do
  port=$(sed -n 's/.*secantus listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$log" | head -1)
  if [ -n "$port" ]; then
    echo "mongodb://127.0.0.1:$port/?directConnection=true"
    exit 0
  fi
  kill -0 "$(cat "$1")" 2>/dev/null || break
  sleep 0.1
done
cat "$log" >&2
echo "SecantusDB did not start" >&2
exit 1
