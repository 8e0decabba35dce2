#!/usr/bin/env bash
# Contacts at scale against a local release build (`make build` first; loopback only; needs wrk).
#   scripts/load/contacts.sh [seconds] [memory-rows]
# 1. Imports 100,000 generated contacts (scripts/gen-contacts.py) through the HTTP API.
# 2. Load-tests the server-rendered contacts page (/app/contacts) against a static file of the same
#    server, in the same run (goal: ≥ 1,000 requests/s), and searches through the API with varied
#    terms (goal: p95 ≤ 20 ms).
# 3. Imports a ~50 MB file (memory-rows rows, default 800,000) into a second organisation while
#    sampling the server's resident memory (goal: under 150 MB).
# With seconds 0, only step 3 runs (memory work without the rest).
set -euo pipefail
cd "$(dirname "$0")/../.."
secs="${1:-10}"
memory_rows="${2:-800000}"
source scripts/load/common.sh

# Uploads and runs an import with the suggested mapping; prints the final import as JSON.
import_file() {
  local access=$1 file=$2
  local up id
  up=$(curl -fsS -H "Authorization: Bearer $access" -F "file=@$file" "$base/api/contacts/import/upload")
  id=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])' <<<"$up")
  echo "   uploaded; server RSS $(( $(ps -o rss= -p $server) / 1024 )) MB" >&2
  local form
  # The upload's answer goes in through the environment: stdin carries the script.
  form=$(UPLOADED="$up" python3 - "$id" <<'PY'
import json, os, sys, urllib.parse
imp = json.loads(os.environ["UPLOADED"])
keys = {"DisplayName": "display_name", "FirstName": "first_name", "LastName": "last_name", "Phone": "phone",
        "Email": "email", "Tags": "tags", "OptOut": "opt_out"}
fields = [("id", sys.argv[1]), ("mode", "create_and_update"), ("country", "MX")]
for i, t in enumerate(imp["mapping"]):
    fields.append((f"mapping[{i}]", keys.get(t, "ignore") if isinstance(t, str) else "attr:" + t["Attribute"]))
print(urllib.parse.urlencode(fields))
PY
)
  curl -fsS -o /dev/null -H "Authorization: Bearer $access" "$base/api/contacts/import/start" --data "$form"
  local deadline=$((SECONDS + 600))
  while [ "$SECONDS" -lt "$deadline" ]; do
    local now
    now=$(curl -fsS -H "Authorization: Bearer $access" "$base/api/contacts/import/status" --data "id=$id")
    case "$now" in *'"status":"done"'*|*'"status":"failed"'*|*'"status":"cancelled"'*) echo "$now"; return;; esac
    sleep 0.2
  done
  echo "the import did not end within 10 minutes" >&2
  return 1
}

if [ "$secs" -gt 0 ]; then
read -r cookie access < <(account "load%40example.com")
python3 scripts/gen-contacts.py 100000 >"$data/contacts.csv"
start=$(date +%s.%N)
result=$(import_file "$access" "$data/contacts.csv")
echo "== import of 100,000 rows over HTTP: $(python3 -c "print(round($(date +%s.%N) - $start, 2))") s — $(python3 -c 'import json,sys; print(json.load(sys.stdin)["counts"])' <<<"$result")"

echo "== /app/contacts (server-rendered, 50 contacts, signed in), 16 connections, ${secs}s"
load /app/contacts 16 -H "Cookie: $cookie" -H "Sec-Fetch-Site: same-origin"
static=$(ls "$LEPTOS_SITE_ROOT"/pkg/*.css | head -1 | xargs basename)
echo "== a static file of the same server (/pkg/$static), 16 connections, ${secs}s"
load "/pkg/$static" 16

cat >"$data/search.lua" <<LUA
local terms = {"ana", "garcia", "m%C3%BCller", "sof%C3%ADa.1", "example", "khalil", "1234", "55+1000", "%2B34+61", "zz-none", "torres", "5491110", "luis.2", "oliveira", "rio"}
local i = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Authorization"] = "Bearer $access"
request = function()
  i = i + 1
  return wrk.format(nil, nil, nil, "search=" .. terms[(i % #terms) + 1])
end
done = function(summary, latency, requests)
  io.write(string.format("search latency: p50 %.1f ms, p95 %.1f ms, p99 %.1f ms over %d requests\n",
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000, summary.requests))
end
LUA
# One searcher at a time (the latency of a search), then four at once on the two HTTP threads
# (each waits for the others' turns).
for conns in 1 4; do
  echo "== search through the API (15 terms, names, e-mail, phone fragments), $conns connection(s), ${secs}s"
  wrk -t1 -c$conns -d"${secs}s" -s "$data/search.lua" "$base/api/contacts/list" | grep -E "Requests/sec|search latency|Non-2xx"
done
fi

if [ "$memory_rows" -gt 0 ]; then
  read -r _ access2 < <(account "memory%40example.com")
  python3 scripts/gen-contacts.py "$memory_rows" 7 >"$data/big.csv"
  size=$(stat -c %s "$data/big.csv")
  peak=0
  ( while kill -0 $server 2>/dev/null; do echo "$(ps -o rss= -p $server) $(date +%s.%N)"; sleep 0.2; done ) >"$data/rss" &
  sampler=$!
  echo "== server RSS before the import: $(( $(ps -o rss= -p $server) / 1024 )) MB"
  start=$(date +%s.%N)
  result=$(import_file "$access2" "$data/big.csv")
  took=$(python3 -c "print(round($(date +%s.%N) - $start, 1))")
  kill $sampler 2>/dev/null || true
  [ -z "${RSS_LOG:-}" ] || cp "$data/rss" "$RSS_LOG"
  peak=$(sort -n "$data/rss" | tail -1 | awk '{print $1}')
  echo "== import of a $((size / 1000000)) MB file ($memory_rows rows): ${took} s, server peak RSS $((peak / 1024)) MB — $(python3 -c 'import json,sys; print(json.load(sys.stdin)["counts"])' <<<"$result")"
fi
