#!/usr/bin/env bash
# The inbox at scale over HTTP against a local release build (`make build` first; loopback only;
# needs wrk; installs pysqlite3-binary from PyPI into ~/.cache/adronx/load-venv). Usage: scripts/load/inbox.sh [seconds]
# 1. Signs up, connects the sandbox, and writes 100,000 contacts with a conversation each and
#    1,000,000 messages straight into the server's SQLite file (a recursive count: seconds, not
#    the hours a million webhook deliveries would take).
# 2. Load-tests the server-rendered inbox (/app/inbox: the list; /app/inbox?c=…: the list and an
#    open conversation with its newest 50 messages) against a static file of the same server, in
#    the same run (goal: ≥ 1,000 requests/s).
set -euo pipefail
cd "$(dirname "$0")/../.."
secs="${1:-10}"
source scripts/load/common.sh

load_venv

read -r cookie access < <(account "inbox%40example.com")
curl -fsS -o /dev/null -X POST -H "Authorization: Bearer $access" -H "Sec-Fetch-Site: same-origin" \
  "$base/api/whatsapp/connect-sandbox"
"$venv/bin/python" - "$data/adronx.db" <<'PY'
import pysqlite3 as sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], timeout=30)
org, number = db.execute("SELECT org_id, phone_number_id FROM whatsapp_connections").fetchone()
now = int(time.time() * 1000)
contacts, messages = 100_000, 1_000_000
count = lambda n: f"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {n}) "
steps = [
    count(contacts) + "INSERT INTO contacts (id, org_id, display_name, phone, wa_id, sort_name, search, created_at, updated_at) "
    f"SELECT 'k' || i, :org, 'Cliente ' || i, '+5215' || (10000000 + i), '5215' || (10000000 + i), "
    f"'cliente ' || i, 'cliente ' || i || ' 5215' || (10000000 + i), {now}, {now} FROM n",
    count(contacts) + "INSERT INTO conversations (id, org_id, contact_id, phone_number_id, status, unread, preview, "
    "last_message_at, last_inbound_at, created_at, updated_at) "
    f"SELECT 'c' || i, :org, 'k' || i, :number, 'open', CASE WHEN i % 100 = 0 THEN 1 ELSE 0 END, 'Hola, ¿tienen envío gratis?', "
    f"{now} - i * 1000, {now} - i * 1000, {now}, {now} FROM n",
    count(messages) + "INSERT INTO messages (id, org_id, conversation_id, phone_number_id, wamid, direction, content, "
    "status, created_at, status_at, status_rank) "
    f"SELECT 'm' || i, :org, 'c' || (i % {contacts} + 1), :number, 'wamid.' || i, "
    "CASE i % 2 WHEN 0 THEN 'in' ELSE 'out' END, "
    "json_object('type', 'text', 'body', 'Mensaje número ' || i || ' sobre la chaqueta azul'), "
    f"CASE i % 2 WHEN 0 THEN 'received' ELSE 'read' END, {now} - i * 10, {now} - i * 10, "
    "CASE i % 2 WHEN 0 THEN 0 ELSE 3 END FROM n",
]
for sql in steps:
    started = time.time()
    with db:
        db.execute(sql, {"org": org, "number": number})
    print(f"   seeded in {time.time() - started:.1f} s: {sql[sql.index('INSERT'):][:32]}", file=sys.stderr)
PY

headers=(-H "Cookie: $cookie" -H "Sec-Fetch-Site: same-origin")
echo "== /app/inbox (server-rendered list of 50 of 100,000 conversations, signed in), 16 connections, ${secs}s"
load /app/inbox 16 "${headers[@]}"
echo "== /app/inbox?c=c1 (the list and an open conversation, its newest messages), 16 connections, ${secs}s"
load "/app/inbox?c=c1" 16 "${headers[@]}"
static=$(ls "$LEPTOS_SITE_ROOT"/pkg/*.css | head -1 | xargs basename)
echo "== a static file of the same server (/pkg/$static), 16 connections, ${secs}s"
load "/pkg/$static" 16
