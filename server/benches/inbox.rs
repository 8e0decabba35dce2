//! The inbox at scale on the embedded store (`cargo bench -p server --bench inbox`): 100,000
//! contacts, each with a conversation, and 1,000,000 messages, generated inside SQLite. Measured
//! through the inbox service (what the server functions call): a conversation opened with its
//! newest 50 messages (goal ≤ 5 ms), and the list's first page, also by search, as many at once
//! as the two cores take.

use adronx::storage::Stores;
use adronx::whatsapp::InboxService;
use app::accounts::model::{Caller, Role};
use app::ids::{OrgId, UserId};
use app::inbox::port::{Inbox, InboxQuery};
use std::sync::Arc;
use std::time::Instant;
use support::{load, percentile};

mod support;

const CONTACTS: i64 = 100_000;
const MESSAGES: i64 = 1_000_000;

/// Contacts, conversations and messages written by SQLite itself (a recursive count), so the
/// seed takes seconds, not the hours a million webhook deliveries would.
async fn seed(path: &std::path::Path) {
    let url = format!("sqlite://{}", path.display());
    let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
    let now = time::OffsetDateTime::now_utc().unix_timestamp() * 1000;
    let statements = [
        format!(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {CONTACTS}) \
             INSERT INTO contacts (id, org_id, display_name, phone, wa_id, sort_name, search, created_at, updated_at) \
             SELECT 'k' || i, 'org', 'Cliente ' || i, '+5215' || (10000000 + i), '5215' || (10000000 + i), \
                    'cliente ' || i, 'cliente ' || i || ' 5215' || (10000000 + i), {now}, {now} FROM n"
        ),
        format!(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {CONTACTS}) \
             INSERT INTO conversations (id, org_id, contact_id, phone_number_id, status, unread, preview, \
                                        last_message_at, last_inbound_at, created_at, updated_at) \
             SELECT 'c' || i, 'org', 'k' || i, '1001', 'open', 0, 'Hola, ¿tienen envío gratis?', \
                    {now} - i * 1000, {now} - i * 1000, {now}, {now} FROM n"
        ),
        format!(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {MESSAGES}) \
             INSERT INTO messages (id, org_id, conversation_id, phone_number_id, wamid, direction, content, \
                                   status, created_at, status_at, status_rank) \
             SELECT 'm' || i, 'org', 'c' || (i % {CONTACTS} + 1), '1001', 'wamid.' || i, \
                    CASE i % 2 WHEN 0 THEN 'in' ELSE 'out' END, \
                    json_object('type', 'text', 'body', 'Mensaje número ' || i || ' sobre la chaqueta azul'), \
                    CASE i % 2 WHEN 0 THEN 'received' ELSE 'read' END, {now} - i * 10, {now} - i * 10, \
                    CASE i % 2 WHEN 0 THEN 0 ELSE 3 END FROM n"
        ),
    ];
    for sql in statements {
        let started = Instant::now();
        sqlx::query(sqlx::AssertSqlSafe(sql.clone())).execute(&pool).await.unwrap();
        println!("seeded in {:.1} s: {}", started.elapsed().as_secs_f64(), &sql[sql.find("INSERT").unwrap()..][..40]);
    }
    pool.close().await;
}

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("inbox.db");
    let stores = Stores::sqlite(&path).await.unwrap();
    seed(&path).await;
    let inbox = Arc::new(InboxService::new(stores.clone()));
    let caller = Caller { user_id: UserId::new("agent"), org_id: OrgId::new("org"), role: Role::Owner };

    for (label, tasks) in [("one at a time", 1), ("8 at once", 8)] {
        let (inbox, caller) = (inbox.clone(), caller.clone());
        let (rate, latencies) = load(tasks, 2000, move |n| {
            let (inbox, caller) = (inbox.clone(), caller.clone());
            // Spread over the conversations, so the page cache does not hold just one.
            let id = format!("c{}", (n as i64 * 7919) % CONTACTS + 1);
            async move {
                let page = inbox.conversation(&caller, &id, None, 1).await.unwrap();
                assert_eq!(page.messages.len(), 10);
            }
        })
        .await;
        println!(
            "a conversation with its newest messages, {label}: p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms ({rate:.0}/s)",
            percentile(&latencies, 0.5),
            percentile(&latencies, 0.95),
            percentile(&latencies, 0.99)
        );
    }

    // The newest 50 of a long conversation (the seed gives each 10): 5,000 more in one.
    let long = (0..5000)
        .map(|i| {
            format!("('x{i}', 'org', 'c1', '1001', 'out', '{{\"type\":\"text\",\"body\":\"x\"}}', 'read', {i}, {i}, 3)")
        })
        .collect::<Vec<_>>()
        .join(",");
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", path.display())).await.unwrap();
    let sql = format!(
        "INSERT INTO messages (id, org_id, conversation_id, phone_number_id, direction, content, status, created_at, status_at, status_rank) VALUES {long}"
    );
    sqlx::query(sqlx::AssertSqlSafe(sql.clone())).execute(&pool).await.unwrap();
    let (_, latencies) = load(1, 1000, {
        let (inbox, caller) = (inbox.clone(), caller.clone());
        move |_| {
            let (inbox, caller) = (inbox.clone(), caller.clone());
            async move {
                let page = inbox.conversation(&caller, "c1", None, 1).await.unwrap();
                assert_eq!(page.messages.len(), 50);
            }
        }
    })
    .await;
    println!(
        "the newest 50 of a 5,010-message conversation: p50 {:.2} ms, p95 {:.2} ms",
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.95)
    );

    for (label, q) in [
        ("the list's first page", ""),
        ("searched by name", "cliente 4242"),
        ("searched by message text", "número 999999 "),
    ] {
        let (inbox, caller) = (inbox.clone(), caller.clone());
        let rounds = if q.contains("número") { 25 } else { 250 };
        let (rate, latencies) = load(8, 8 * rounds, move |_| {
            let (inbox, caller) = (inbox.clone(), caller.clone());
            let query = InboxQuery { search: Some(q.to_owned()).filter(|q| !q.is_empty()), ..Default::default() };
            async move {
                let page = inbox.conversations(&caller, query).await.unwrap();
                assert!(!page.conversations.is_empty());
            }
        })
        .await;
        println!(
            "{label}, 8 at once: {rate:.0}/s, p50 {:.2} ms, p95 {:.2} ms",
            percentile(&latencies, 0.5),
            percentile(&latencies, 0.95)
        );
    }
}
