#!/usr/bin/env bash
# Load test of sign-in and session refresh against a local release server (loopback only,
# bounded in time). Usage: scripts/load/auth.sh [seconds]   (needs wrk: apt-get install wrk)
set -euo pipefail
cd "$(dirname "$0")/../.."
secs="${1:-10}"
: "${CARGO_TARGET_DIR:=$HOME/.cache/adronx/target}"
data=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
RUST_LOG=warn ADRONX_ADDR="127.0.0.1:$port" ADRONX_DATA_DIR="$data" "$CARGO_TARGET_DIR/release/adronx" serve >/dev/null 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break; sleep 0.1; done
base="http://127.0.0.1:$port"
curl -fsS -o /dev/null -c "$data/jar" "$base/api/auth/register" \
  --data 'first_name=Load&last_name=Test&email=load%40example.com&password=correct+horse+battery+staple&organisation=Load&lang=en'

cat >"$data/login.lua" <<'LUA'
wrk.method = "POST"
wrk.body = "email=load%40example.com&password=correct+horse+battery+staple"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
LUA
echo "== sign-in (bcrypt cost 12), 4 connections, ${secs}s"
wrk -t2 -c4 -d"${secs}s" -s "$data/login.lua" "$base/api/auth/login" | grep -E "Requests/sec|Latency|Non-2xx"

# Each refresh rotates the token: one connection, each request carrying the cookie the previous
# response set (a chain of real rotations, as a browser tab would do).
first=$(awk '$6 == "adronx_refresh" {print $7}' "$data/jar")
cat >"$data/refresh.lua" <<LUA
local cookie = "adronx_refresh=$first"
wrk.method = "POST"
wrk.headers["Sec-Fetch-Site"] = "same-origin"
request = function()
  wrk.headers["Cookie"] = cookie
  return wrk.format(nil)
end
response = function(status, headers, body)
  local c = headers["set-cookie"] or headers["Set-Cookie"]
  if c then cookie = c:match("^[^;]+") end
end
LUA
echo "== refresh (rotation chain), 1 connection, ${secs}s"
wrk -t1 -c1 -d"${secs}s" -s "$data/refresh.lua" "$base/api/auth/refresh" | grep -E "Requests/sec|Latency|Non-2xx"
