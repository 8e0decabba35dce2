# Shared by the load scripts (sourced, not run): starts the release server on a free loopback
# port with a fresh data directory, and signs accounts up through the API.
# Sets: data, port, base, server. Needs `make build` first.
: "${CARGO_TARGET_DIR:=$HOME/.cache/adronx/target}"
: "${LEPTOS_SITE_ROOT:=$PWD/target/site}"
data=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
RUST_LOG="${RUST_LOG:-warn}" ADRONX_ADDR="127.0.0.1:$port" ADRONX_DATA_DIR="$data" LEPTOS_SITE_ROOT="$LEPTOS_SITE_ROOT" \
  "$CARGO_TARGET_DIR/release/adronx" serve >"$data/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; [ -z "${SERVER_LOG:-}" ] || cp "$data/server.log" "$SERVER_LOG"; rm -rf "$data"' EXIT
base="http://127.0.0.1:$port"
for _ in $(seq 1 100); do curl -fsS "$base/readyz" >/dev/null 2>&1 && break; sleep 0.1; done

# Signs up and confirms through the e-mailed link; prints "cookie access-token".
account() {
  curl -fsS -o /dev/null "$base/api/auth/register" \
    --data "first_name=Load&last_name=Test&email=$1&password=correct+horse+battery+staple&organisation=Load&lang=en"
  local token=""
  for _ in $(seq 1 100); do
    # The link in the e-mail, quoted-printable soft breaks undone.
    token=$(python3 - "$data/outbox" <<'PY'
import os, re, sys
best = ""
for name in sorted(os.listdir(sys.argv[1])) if os.path.isdir(sys.argv[1]) else []:
    text = open(os.path.join(sys.argv[1], name), encoding="utf-8", errors="replace").read()
    text = text.replace("=\r\n", "").replace("=\n", "").replace("=3D", "=")
    m = re.search(r"/confirm\?token=([A-Za-z0-9_-]+)", text)
    if m: best = m.group(1)
print(best)
PY
)
    [ -n "$token" ] && break; sleep 0.1
  done
  rm -f "$data"/outbox/*
  local res
  res=$(curl -fsS -D "$data/headers" "$base/api/auth/confirm" --data "token=$token&password=correct+horse+battery+staple")
  local cookie access
  cookie=$(grep -i '^set-cookie: adronx_refresh=' "$data/headers" | sed -E 's/^[Ss]et-[Cc]ookie: ([^;]+).*/\1/')
  access=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])' <<<"$res")
  echo "$cookie $access"
}

# wrk against `path` for `secs` seconds with `conns` connections and the given extra arguments;
# prints the rate, latency and any non-2xx count.
load() {
  local path=$1 conns=$2; shift 2
  wrk -t2 -c"$conns" -d"${secs}s" "$@" "$base$path" | grep -E "Requests/sec|Latency|Non-2xx"
}

# A Python with an SQLite new enough for the schema's search index (Debian's is older):
# pysqlite3-binary from PyPI in a virtual environment of its own, installed once. Sets venv.
load_venv() {
  venv="$HOME/.cache/adronx/load-venv"
  [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
  "$venv/bin/python" -c 'import pysqlite3' 2>/dev/null || "$venv/bin/pip" install -q pysqlite3-binary
}
