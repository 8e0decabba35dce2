//! The WhatsApp webhook: Meta's handshake, signatures over the raw body, the size limit, durable
//! intake with background processing, de-duplication, statuses that only climb, every message
//! type, and routing by the receiving number.

use crate::helpers::{TestApp, call, json, owner, spawn_app_with};
use adronx::storage::inbox::{ConversationFilter, MessageRecord};
use adronx::storage::whatsapp::{ConnectionKind, ConnectionRecord, ConnectionStatus};
use adronx::whatsapp::signature::sign;
use app::ids::OrgId;
use app::inbox::model::{Direction, MediaKind, MessageContent, MessageError, MessageStatus};
use secrecy::SecretString;
use serde_json::{Value, json};
use std::time::Duration;

const SECRET: &str = "test-app-secret";
const VERIFY: &str = "test-verify-token";

async fn app() -> TestApp {
    spawn_app_with(&[("ADRONX_WHATSAPP_APP_SECRET", SECRET), ("ADRONX_WHATSAPP_VERIFY_TOKEN", VERIFY)]).await
}

async fn connect(app: &TestApp, org: &str, number: &str) {
    let now = time::OffsetDateTime::now_utc();
    let c = ConnectionRecord {
        org_id: OrgId::new(org),
        kind: ConnectionKind::Meta,
        waba_id: format!("waba-{org}"),
        phone_number_id: number.into(),
        display_phone: "+1 555 010 0000".into(),
        verified_name: "Tienda".into(),
        quality_rating: None,
        token: "sealed".into(),
        status: ConnectionStatus::Connected,
        status_detail: None,
        connected_at: now,
        updated_at: now,
    };
    app.store.whatsapp.save_connection(&c).await.unwrap();
}

fn delivery(number: &str, messages: Vec<Value>, statuses: Vec<Value>) -> Value {
    json!({
        "object": "whatsapp_business_account",
        "entry": [{ "id": "WABA", "changes": [{ "field": "messages", "value": {
            "messaging_product": "whatsapp",
            "metadata": { "display_phone_number": "15550100000", "phone_number_id": number },
            "contacts": [{ "profile": { "name": "Lucía Gómez" }, "wa_id": "5215512345678" }],
            "messages": messages,
            "statuses": statuses,
        }}]}]
    })
}

fn text(wamid: &str, body: &str) -> Value {
    json!({ "from": "5215512345678", "id": wamid, "timestamp": "1764230400", "type": "text", "text": { "body": body } })
}

fn status(wamid: &str, status: &str, at: i64) -> Value {
    json!({ "id": wamid, "status": status, "timestamp": at.to_string(), "recipient_id": "5215512345678" })
}

async fn post_raw(app: &TestApp, body: &[u8], signature: Option<&str>) -> reqwest::Response {
    let mut req = app.client.post(app.url("/webhooks/whatsapp")).header("content-type", "application/json");
    if let Some(s) = signature {
        req = req.header("x-hub-signature-256", s);
    }
    req.body(body.to_vec()).send().await.unwrap()
}

/// Posts `body` signed as Meta would; returns the stored delivery's id.
async fn post(app: &TestApp, body: &Value) -> String {
    let bytes = serde_json::to_vec(body).unwrap();
    let res = post_raw(app, &bytes, Some(&sign(&SecretString::from(SECRET), &bytes))).await;
    assert_eq!(res.status(), 200);
    res.headers()["x-delivery-id"].to_str().unwrap().to_owned()
}

/// The delivery's outcome once a worker has processed it.
async fn outcome(app: &TestApp, id: &str) -> String {
    for _ in 0..100 {
        if let Some(outcome) = app.store.whatsapp.delivery(id).await.unwrap().and_then(|d| d.outcome) {
            return outcome;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("delivery {id} was not processed");
}

async fn message(app: &TestApp, number: &str, wamid: &str) -> Option<MessageRecord> {
    app.store.inbox.message_by_wamid(number, wamid).await.unwrap()
}

#[tokio::test]
async fn the_handshake_echoes_the_challenge_only_for_our_verify_token() {
    let app = app().await;
    let url = |token: &str, mode: &str| {
        app.url(&format!("/webhooks/whatsapp?hub.mode={mode}&hub.verify_token={token}&hub.challenge=1158201444"))
    };
    let ok = app.client.get(url(VERIFY, "subscribe")).send().await.unwrap();
    assert_eq!(ok.status(), 200);
    assert_eq!(ok.text().await.unwrap(), "1158201444");
    for (token, mode) in [("wrong", "subscribe"), (VERIFY, "unsubscribe"), ("", "subscribe")] {
        assert_eq!(app.client.get(url(token, mode)).send().await.unwrap().status(), 403, "{token} {mode}");
    }
    assert_eq!(app.get("/webhooks/whatsapp").await.status(), 403);
}

#[tokio::test]
async fn only_deliveries_signed_with_our_app_secret_are_taken() {
    let app = app().await;
    connect(&app, "org-a", "1001").await;
    let bytes = serde_json::to_vec(&delivery("1001", vec![text("wamid.BAD", "hola")], vec![])).unwrap();
    let secret = SecretString::from(SECRET);
    let good = sign(&secret, &bytes);
    let sha1 = format!("sha1={}", &good[7..47]);
    let cases = [
        (None, 401),
        (Some(sign(&SecretString::from("another app"), &bytes)), 403),
        (Some(sign(&secret, b"another body")), 403),
        (Some(sha1.clone()), 403),
        (Some("sha256=".to_owned()), 403),
    ];
    for (signature, expected) in cases {
        let res = post_raw(&app, &bytes, signature.as_deref()).await;
        assert_eq!(res.status(), expected, "{signature:?}");
        assert!(res.headers().get("x-delivery-id").is_none());
    }
    // A legacy sha1 header alone is no signature at all.
    let legacy = app.client.post(app.url("/webhooks/whatsapp")).header("x-hub-signature", &sha1).body(bytes.clone());
    assert_eq!(legacy.send().await.unwrap().status(), 401);

    let id = post(&app, &delivery("1001", vec![text("wamid.GOOD", "hola")], vec![])).await;
    assert!(outcome(&app, &id).await.starts_with("messages 1 "));
    assert!(message(&app, "1001", "wamid.GOOD").await.is_some());
    assert!(message(&app, "1001", "wamid.BAD").await.is_none(), "nothing refused was stored");
}

#[tokio::test]
async fn bodies_up_to_3_mb_are_taken_and_larger_ones_refused() {
    let app = app().await;
    let secret = SecretString::from(SECRET);
    let padded = |size: usize| {
        let mut d = delivery("1001", vec![], vec![]);
        let base = serde_json::to_vec(&d).unwrap().len() + r#","padding":"""#.len();
        d["padding"] = json!("x".repeat(size - base));
        let bytes = serde_json::to_vec(&d).unwrap();
        assert_eq!(bytes.len(), size);
        bytes
    };
    let limit = 3 * 1024 * 1024;
    let fits = padded(limit);
    assert_eq!(post_raw(&app, &fits, Some(&sign(&secret, &fits))).await.status(), 200);
    let over = padded(limit + 1);
    assert_eq!(post_raw(&app, &over, Some(&sign(&secret, &over))).await.status(), 413);
}

#[tokio::test]
async fn the_same_delivery_twenty_times_at_once_makes_one_message() {
    let app = app().await;
    connect(&app, "org-a", "1001").await;
    let body = delivery("1001", vec![text("wamid.ONCE", "¿Hacen envíos a Monterrey?")], vec![]);
    let ids = futures_util::future::join_all((0..20).map(|_| post(&app, &body))).await;
    for id in &ids {
        outcome(&app, id).await;
    }
    let org = OrgId::new("org-a");
    let conversations =
        app.store.inbox.list_conversations(&org, &ConversationFilter::default(), None, 10).await.unwrap();
    assert_eq!(conversations.len(), 1);
    let messages = app.store.inbox.messages(&org, &conversations[0].id, None, 10).await.unwrap();
    assert_eq!(messages.len(), 1);
    assert_eq!(conversations[0].unread, 1);
    assert_eq!(conversations[0].preview, "¿Hacen envíos a Monterrey?");
    // The sender became a contact, named as their profile says, with their number in E.164.
    let contact = app.store.contacts.contact(&org, &conversations[0].contact_id).await.unwrap().unwrap();
    assert_eq!((contact.display_name.as_str(), contact.phone.as_deref()), ("Lucía Gómez", Some("+525512345678")));
}

/// An outbound message of ours as the send job leaves it: Meta has answered with its wamid.
async fn sent_message(app: &TestApp, wamid: &str) {
    let org = OrgId::new("org-a");
    let id = post(app, &delivery("1001", vec![text(&format!("{wamid}.in"), "hola")], vec![])).await;
    outcome(app, &id).await;
    let conversation = app.store.inbox.list_conversations(&org, &ConversationFilter::default(), None, 1).await.unwrap();
    let now = time::OffsetDateTime::now_utc();
    let ours = MessageRecord {
        id: format!("ours-{wamid}"),
        org_id: org.clone(),
        conversation_id: conversation[0].id.clone(),
        phone_number_id: "1001".into(),
        wamid: None,
        direction: Direction::Out,
        content: MessageContent::Text { body: "¡Claro que sí!".into() },
        context_wamid: None,
        status: MessageStatus::Pending,
        error: None,
        sent_by: Some("agent".into()),
        created_at: now,
        status_at: now,
    };
    assert!(app.store.inbox.add_message(&ours, None).await.unwrap());
    assert!(app.store.inbox.set_wamid(&org, &ours.id, wamid, now).await.unwrap());
}

#[tokio::test]
async fn statuses_arriving_out_of_order_never_move_back_and_failures_keep_their_reason() {
    let app = app().await;
    connect(&app, "org-a", "1001").await;
    sent_message(&app, "wamid.OUT1").await;
    sent_message(&app, "wamid.OUT2").await;
    let t = 1_764_230_500;
    let read_first = post(&app, &delivery("1001", vec![], vec![status("wamid.OUT1", "read", t + 2)])).await;
    assert!(outcome(&app, &read_first).await.contains("statuses 1 "));
    let late = post(
        &app,
        &delivery("1001", vec![], vec![status("wamid.OUT1", "delivered", t + 1), status("wamid.OUT1", "sent", t)]),
    )
    .await;
    assert!(outcome(&app, &late).await.contains("statuses 0 (stale 2, unknown 0)"));
    assert_eq!(message(&app, "1001", "wamid.OUT1").await.unwrap().status, MessageStatus::Read);

    let mut failed = status("wamid.OUT2", "failed", t + 1);
    failed["errors"] = json!([{ "code": 131047, "title": "Re-engagement message", "message": "Re-engagement message",
        "error_data": { "details": "More than 24 hours have passed since the recipient last replied." } }]);
    outcome(&app, &post(&app, &delivery("1001", vec![], vec![failed])).await).await;
    outcome(&app, &post(&app, &delivery("1001", vec![], vec![status("wamid.OUT2", "delivered", t + 2)])).await).await;
    let got = message(&app, "1001", "wamid.OUT2").await.unwrap();
    assert_eq!(got.status, MessageStatus::Failed);
    assert_eq!(
        got.error,
        Some(MessageError {
            code: 131047,
            title: "Re-engagement message".into(),
            details: Some("More than 24 hours have passed since the recipient last replied.".into()),
        })
    );
}

#[tokio::test]
async fn every_message_type_is_kept_and_an_unknown_one_is_not_dropped() {
    let app = app().await;
    connect(&app, "org-a", "1001").await;
    let base = |wamid: &str, kind: &str, body: Value| {
        let mut m = json!({ "from": "5215512345678", "id": wamid, "timestamp": "1764230400", "type": kind });
        m[kind] = body;
        m
    };
    let messages = vec![
        base(
            "w.image",
            "image",
            json!({ "id": "MEDIA-1", "mime_type": "image/jpeg", "sha256": "h", "caption": "¿Este?" }),
        ),
        base("w.sticker", "sticker", json!({ "id": "MEDIA-2", "mime_type": "image/webp", "animated": false })),
        base("w.location", "location", json!({ "latitude": 25.6866, "longitude": -100.3161, "name": "Tienda Centro" })),
        base(
            "w.button",
            "interactive",
            json!({ "type": "button_reply", "button_reply": { "id": "yes", "title": "Sí" } }),
        ),
        base("w.reaction", "reaction", json!({ "message_id": "w.image", "emoji": "👍" })),
        base("w.unknown", "ephemeral", json!({})),
    ];
    let id = post(&app, &delivery("1001", messages, vec![])).await;
    assert!(outcome(&app, &id).await.starts_with("messages 6 (repeated 0)"));
    let content = |wamid: &'static str| {
        let app = &app;
        async move { message(app, "1001", wamid).await.unwrap().content }
    };
    assert!(
        matches!(content("w.image").await, MessageContent::Media { kind: MediaKind::Image, caption: Some(c), .. } if c == "¿Este?")
    );
    assert!(matches!(content("w.sticker").await, MessageContent::Media { kind: MediaKind::Sticker, .. }));
    assert!(matches!(content("w.location").await, MessageContent::Location { .. }));
    assert_eq!(content("w.button").await, MessageContent::Choice { id: Some("yes".into()), title: "Sí".into() });
    assert_eq!(content("w.reaction").await, MessageContent::Reaction { to: "w.image".into(), emoji: "👍".into() });
    assert_eq!(content("w.unknown").await, MessageContent::Unsupported { kind: "ephemeral".into() });
}

#[tokio::test]
async fn deliveries_are_routed_by_number_and_the_rest_is_stored_and_reported() {
    let app = app().await;
    connect(&app, "org-a", "1001").await;
    connect(&app, "org-b", "2002").await;
    outcome(&app, &post(&app, &delivery("1001", vec![text("wamid.A", "para A")], vec![])).await).await;
    outcome(&app, &post(&app, &delivery("2002", vec![text("wamid.B", "para B")], vec![])).await).await;
    assert_eq!(message(&app, "1001", "wamid.A").await.unwrap().org_id, OrgId::new("org-a"));
    assert_eq!(message(&app, "2002", "wamid.B").await.unwrap().org_id, OrgId::new("org-b"));
    // Both organisations met the same customer: each has its own contact and conversation.
    let a = app
        .store
        .inbox
        .list_conversations(&OrgId::new("org-a"), &ConversationFilter::default(), None, 10)
        .await
        .unwrap();
    let b = app
        .store
        .inbox
        .list_conversations(&OrgId::new("org-b"), &ConversationFilter::default(), None, 10)
        .await
        .unwrap();
    assert_eq!((a.len(), b.len()), (1, 1));
    assert_ne!(a[0].contact_id, b[0].contact_id);

    let unknown = post(&app, &delivery("9999", vec![text("wamid.C", "¿hola?")], vec![])).await;
    assert!(outcome(&app, &unknown).await.contains("unknown numbers 1"));
    let stored = app.store.whatsapp.delivery(&unknown).await.unwrap().unwrap();
    assert!(stored.body.contains("¿hola?"), "kept as received");
    for (body, expected) in [
        (b"{not json".to_vec(), "malformed"),
        (br#"{"object":"page","entry":[]}"#.to_vec(), "ignored"),
        (br#"{"object":"whatsapp_business_account","entry":[{"changes":[{"field":"messages","value":{"messages":[{"type":"text"}]}}]}]}"#.to_vec(), "unreadable 1"),
    ] {
        let res = post_raw(&app, &body, Some(&sign(&SecretString::from(SECRET), &body))).await;
        assert_eq!(res.status(), 200);
        let id = res.headers()["x-delivery-id"].to_str().unwrap().to_owned();
        assert!(outcome(&app, &id).await.contains(expected), "{expected}");
    }
}

#[tokio::test]
async fn a_reaction_shows_on_the_message_it_reacts_to_and_a_quote_shows_what_it_quotes() {
    let app = app().await;
    let ana = owner(&app, "ana@tienda.mx").await;
    connect(&app, &ana.org_id, "1001").await;
    let mut quoting = text("w.2", "Y este, ¿en rojo?");
    quoting["context"] = json!({ "from": "5215512345678", "id": "w.1" });
    let reaction = |wamid: &str, emoji: &str| {
        json!({ "from": "5215512345678", "id": wamid, "timestamp": "1764230500", "type": "reaction",
                "reaction": { "message_id": "w.1", "emoji": emoji } })
    };
    let messages =
        vec![text("w.1", "¿Tienen la chaqueta azul?"), quoting, reaction("w.3", "😮"), reaction("w.4", "❤️")];
    outcome(&app, &post(&app, &delivery("1001", messages, vec![])).await).await;
    let (_, list) = json(call(&app, &ana, "inbox/list", &[]).await).await;
    let id = list["conversations"][0]["id"].as_str().unwrap().to_owned();
    let (status, page) = json(call(&app, &ana, "inbox/conversation", &[("id", &id)]).await).await;
    assert_eq!(status, 200, "{page}");
    let shown = page["messages"].as_array().unwrap();
    assert_eq!(shown.len(), 2, "reactions are shown on their message, not as messages: {page}");
    assert_eq!(shown[0]["reactions"], json!(["❤️"]), "the latest reaction counts");
    assert_eq!(shown[1]["quoted"], "¿Tienen la chaqueta azul?");
    // Taking the reaction back (an empty emoji) clears it.
    outcome(&app, &post(&app, &delivery("1001", vec![reaction("w.5", "")], vec![])).await).await;
    let (_, page) = json(call(&app, &ana, "inbox/conversation", &[("id", &id)]).await).await;
    assert_eq!(page["messages"][0]["reactions"], json!([]));
}
