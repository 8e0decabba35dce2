#!/usr/bin/env bash
# The campaigns dashboard at scale over HTTP against a local release build (`make build` first;
# loopback only; needs wrk; uses the pysqlite3-binary virtual environment of inbox.sh).
# Usage: scripts/load/campaigns.sh [seconds]
# 1. Signs up, connects the sandbox ad account, waits for its sync, then writes 200 campaigns ×
#    365 days of insights (campaign and ad set level) straight into the server's SQLite file.
# 2. Prints the size of each chart SVG, then load-tests the server-rendered dashboard with its
#    charts (/app/campaigns, 28 and 90 days) against a static file of the same server, in the same
#    run (goal: ≥ 300 requests/s; charts ≤ 30 KB each).
set -euo pipefail
cd "$(dirname "$0")/../.."
secs="${1:-10}"
source scripts/load/common.sh

load_venv

read -r cookie access < <(account "campaigns%40example.com")
api=(-H "Authorization: Bearer $access" -H "Sec-Fetch-Site: same-origin")
curl -fsS -o /dev/null -X POST "${api[@]}" "$base/api/ads/connect-sandbox"
for _ in $(seq 1 100); do
  state=$(curl -fsS -X POST "${api[@]}" "$base/api/ads/account" | python3 -c 'import json,sys; print(json.load(sys.stdin)["sync"]["state"])')
  [ "$state" = idle ] && break; sleep 0.2
done
"$venv/bin/python" - "$data/adronx.db" <<'PY'
import pysqlite3 as sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], timeout=30)
(org,) = db.execute("SELECT org_id FROM ad_accounts").fetchone()
now = int(time.time() * 1000)
campaigns, days = 200, 365
started = time.time()
with db:
    db.execute("DELETE FROM ad_campaigns WHERE org_id = ?", (org,))
    db.execute("DELETE FROM ad_insights WHERE org_id = ?", (org,))
    db.execute(f"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {campaigns}) "
               "INSERT INTO ad_campaigns (org_id, id, name, objective, status, daily_budget, synced_at) "
               f"SELECT ?, 'c' || i, 'Campaña ' || i, 'OUTCOME_SALES', 'ACTIVE', 100000 + i * 100, {now} FROM n", (org,))
    for level in ("campaign", "adset"):
        db.execute(f"WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < {campaigns}), "
                   f"d(j) AS (SELECT 1 UNION ALL SELECT j + 1 FROM d WHERE j < {days}) "
                   "INSERT INTO ad_insights (org_id, level, day, object_id, campaign_id, impressions, clicks, spend, purchases, revenue) "
                   f"SELECT ?, ?, date('now', '-' || j || ' days'), CASE ? WHEN 'campaign' THEN 'c' ELSE 's' END || i, 'c' || i, "
                   "20000 + (i * j) % 5000, 200 + (i + j) % 90, 95000 + (i * 37 + j * 11) % 10000, 3 + (i + j) % 4, "
                   "250000 + (i * 53 + j * 17) % 90000 FROM c, d", (org, level, level))
print(f"   seeded {campaigns} campaigns x {days} days (x2 levels) in {time.time() - started:.1f} s", file=sys.stderr)
PY

# The charts' addresses, as the page lists them (small and large drawings).
charts() {
  curl -fsS -X POST "${api[@]}" "$base/api/ads/dashboard" --data "range=$1&lang=$2" |
    python3 -c 'import json,sys; d=json.load(sys.stdin); print(len(d["campaigns"]), file=sys.stderr); print("\n".join(u for c in d["charts"] for u in (c["small"], c["large"])))'
}
for period in "28 ar" "90 en"; do
  echo "== chart sizes (${period% *} days, ${period#* })"
  for src in $(charts $period 2>/dev/null); do
    printf '   %s %s B\n' "${src%%.svg*}" "$(curl -fsS "${api[@]}" "$base$src" | wc -c)"
  done
done
headers=(-H "Cookie: $cookie" -H "Sec-Fetch-Site: same-origin")
echo "== page size: $(curl -fsS "${headers[@]}" "$base/app/campaigns" | wc -c) B (/app/campaigns, 200 campaigns, uncompressed)"
for range in 28 90; do
  echo "== /app/campaigns?range=$range (server-rendered, $(charts $range en 2>&1 >/dev/null) campaigns), 16 connections, ${secs}s"
  load "/app/campaigns?range=$range" 16 "${headers[@]}"
  # A view at 1,280 px: the page, then the large drawing of each of its three charts.
  mapfile -t large < <(charts $range en 2>/dev/null | sed -n '2~2p')
  {
    printf 'paths = {"/app/campaigns?range=%s"' "$range"
    printf ', "%s"' "${large[@]}"
    printf '}\ni = 0\nrequest = function() i = i %% #paths + 1; return wrk.format("GET", paths[i]) end\n'
  } >"$data/view.lua"
  echo "== its chart images alone (${large[0]%%\?*}), 16 connections, ${secs}s"
  load "${large[0]}" 16 "${headers[@]}"
  echo "== whole views (page + 3 charts; divide the rate by 4), 16 connections, ${secs}s"
  load "/app/campaigns" 16 -s "$data/view.lua" "${headers[@]}"
done
static=$(ls "$LEPTOS_SITE_ROOT"/pkg/*.css | head -1 | xargs basename)
echo "== a static file of the same server (/pkg/$static), 16 connections, ${secs}s"
load "/pkg/$static" 16
