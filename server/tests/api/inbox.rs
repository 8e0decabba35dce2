//! The inbox over HTTP with the built-in sandbox standing in for Meta (the app's own client talks
//! to it): connecting, customers writing first, replies going pending → sent → delivered → read,
//! an undeliverable number, roles, tenant isolation, idempotent sends, the 24-hour window, and a
//! token Meta rejects.

use crate::helpers::{Session, TestApp, call, eventually, json, member_of, owner, page, spawn_app_with};
use axum::Json;
use axum::routing::{get, post};
use serde_json::{Value, json};
use std::time::Duration;

/// The sandbox at twenty times a person's pace: customers write within a fraction of a second.
async fn app() -> TestApp {
    spawn_app_with(&[("ADRONX_SANDBOX_PACE", "0.05")]).await
}

async fn list(app: &TestApp, who: &Session) -> Value {
    let (status, body) = json(call(app, who, "inbox/list", &[]).await).await;
    assert_eq!(status, 200, "{body}");
    body
}

/// The conversation with the customer named `name`, once their message is in it (a conversation
/// is created a moment before its first message is filed).
async fn conversation_with(app: &TestApp, who: &Session, name: &str) -> Value {
    eventually(name, || async {
        let list = list(app, who).await;
        list["conversations"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["contact_name"] == name && c["preview"] != "")
            .cloned()
    })
    .await
}

async fn messages(app: &TestApp, who: &Session, id: &str) -> Vec<Value> {
    let (status, body) = json(call(app, who, "inbox/conversation", &[("id", id)]).await).await;
    assert_eq!(status, 200, "{body}");
    body["messages"].as_array().unwrap().clone()
}

async fn connected_owner(app: &TestApp) -> Session {
    let ana = owner(app, "ana@tienda.mx").await;
    let res = call(app, &ana, "whatsapp/connect-sandbox", &[]).await;
    assert_eq!(res.status(), 200, "{:?}", res.text().await);
    ana
}

#[tokio::test]
async fn the_sandbox_connects_and_its_customers_write_first() {
    let app = app().await;
    let ana = owner(&app, "ana@tienda.mx").await;
    assert_eq!(list(&app, &ana).await["connected"], false);
    assert_eq!(call(&app, &ana, "whatsapp/connect-sandbox", &[]).await.status(), 200);
    let (_, connection) = json(call(&app, &ana, "whatsapp/connection", &[]).await).await;
    assert_eq!((connection["kind"].as_str(), connection["status"].as_str()), (Some("sandbox"), Some("connected")));
    assert_eq!(connection["verified_name"], "Adronx Sandbox");
    assert!(connection.get("token").is_none(), "the token never leaves the server: {connection}");

    // She writes, then sends a photo of what she means.
    let lucia = eventually("Lucía's photo", || async {
        let c = conversation_with(&app, &ana, "Lucía Gómez").await;
        (c["unread"] == 2).then_some(c)
    })
    .await;
    assert_eq!(lucia["preview"], "¿Esta?");
    assert_eq!(lucia["window_open"], true);
    assert_eq!(lucia["referral"]["source_id"], "120200000000001", "came from an ad");
    assert_eq!(lucia["contact_phone"], "+525550001111");
    conversation_with(&app, &ana, "عمر حداد").await;
    conversation_with(&app, &ana, "Grace Miller").await;
    conversation_with(&app, &ana, "Marco Rossi").await;
    let (_, summary) = json(call(&app, &ana, "inbox/summary", &[]).await).await;
    assert_eq!((summary["unread"].as_u64(), summary["reauthorise"].as_bool()), (Some(5), Some(false)));
    // Every app page shows the count in its navigation.
    let html = page(&app, &ana, "/app/contacts", "en").await;
    assert!(html.contains(r#"Inbox<span aria-label="5 unread" class="unread">5</span>"#), "{html}");
    // Reading it clears the unread count.
    messages(&app, &ana, lucia["id"].as_str().unwrap()).await;
    let again = conversation_with(&app, &ana, "Lucía Gómez").await;
    assert_eq!(again["unread"], 0);
    let (_, summary) = json(call(&app, &ana, "inbox/summary", &[]).await).await;
    assert_eq!(summary["unread"], 3);
}

#[tokio::test]
async fn a_customers_photo_is_fetched_kept_and_shown_only_to_the_organisations_members() {
    let app = app().await;
    let ana = connected_owner(&app).await;
    let lucia = conversation_with(&app, &ana, "Lucía Gómez").await;
    let id = lucia["id"].as_str().unwrap().to_owned();
    // The job asks the sandbox's Graph API where the file is, downloads it with the token,
    // checks its SHA-256 and keeps it.
    let photo = eventually("the photo stored", || async {
        messages(&app, &ana, &id).await.into_iter().find(|m| m["content"]["state"]["state"] == "stored")
    })
    .await;
    assert_eq!(
        (photo["content"]["kind"].as_str(), photo["content"]["caption"].as_str()),
        (Some("image"), Some("¿Esta?"))
    );
    let url = app.url(&format!("/api/inbox/media/{}", photo["id"].as_str().unwrap()));
    let res = app.client.get(&url).header("cookie", &ana.cookie).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "image/png");
    assert_eq!(res.headers()["content-security-policy"], "sandbox; default-src 'none'");
    let bytes = res.bytes().await.unwrap();
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    assert_eq!(photo["content"]["state"]["bytes"].as_u64(), Some(bytes.len() as u64));
    // A member of the organisation may open it; nobody else.
    let luis = member_of(&app, owner(&app, "luis@tienda.mx").await, &ana.org_id).await;
    assert_eq!(app.client.get(&url).header("cookie", &luis.cookie).send().await.unwrap().status(), 200);
    let eve = owner(&app, "eve@otra.example").await;
    assert_eq!(app.client.get(&url).header("cookie", &eve.cookie).send().await.unwrap().status(), 404);
    assert_eq!(app.client.get(&url).send().await.unwrap().status(), 401);
    let missing = app.url("/api/inbox/media/no-such-message");
    assert_eq!(app.client.get(&missing).header("cookie", &ana.cookie).send().await.unwrap().status(), 404);
    // The contact's page lists the conversation, and the list can be narrowed to one contact.
    let contact = lucia["contact_id"].as_str().unwrap();
    let (_, only) = json(call(&app, &ana, "inbox/list", &[("contact", contact)]).await).await;
    assert_eq!(only["conversations"].as_array().unwrap().len(), 1);
    let html = page(&app, &ana, &format!("/app/contacts/{contact}"), "en").await;
    assert!(html.contains(&format!("/app/inbox?c={}", lucia["id"].as_str().unwrap())), "{html}");
}

#[tokio::test]
async fn a_reply_is_pending_then_sent_delivered_read_and_the_customer_answers() {
    let app = app().await;
    let ana = connected_owner(&app).await;
    let lucia = conversation_with(&app, &ana, "Lucía Gómez").await;
    let id = lucia["id"].as_str().unwrap().to_owned();
    let form = [("conversation_id", id.as_str()), ("text", "¡Sí! Nos queda una en talla M."), ("key", "k1")];
    let (status, sent) = json(call(&app, &ana, "inbox/reply", &form).await).await;
    assert_eq!(status, 200, "{sent}");
    assert_eq!(sent["status"], "pending");
    let read = eventually("read", || async {
        messages(&app, &ana, &id).await.into_iter().find(|m| m["id"] == sent["id"] && m["status"] == "read")
    })
    .await;
    assert_eq!(read["content"]["body"], "¡Sí! Nos queda una en talla M.");
    let answer = eventually("the customer's answer", || async {
        messages(&app, &ana, &id).await.into_iter().find(|m| {
            m["direction"] == "in" && m["content"]["body"].as_str().is_some_and(|b| b.starts_with("¡Perfecto!"))
        })
    })
    .await;
    assert_eq!(answer["content"]["body"], "¡Perfecto! ¿Cuánto cuesta el envío a Guadalajara?");

    // The same submit again (same key) sends nothing more.
    let (_, repeat) = json(call(&app, &ana, "inbox/reply", &form).await).await;
    assert_eq!(repeat["id"], sent["id"]);
    let ours = messages(&app, &ana, &id).await.into_iter().filter(|m| m["direction"] == "out").count();
    assert_eq!(ours, 1);
}

#[tokio::test]
async fn a_reply_to_a_number_that_cannot_receive_fails_with_metas_reason() {
    let app = app().await;
    let ana = connected_owner(&app).await;
    let grace = conversation_with(&app, &ana, "Grace Miller").await;
    let id = grace["id"].as_str().unwrap().to_owned();
    let (status, sent) =
        json(call(&app, &ana, "inbox/reply", &[("conversation_id", &id), ("text", "It ships today!")]).await).await;
    assert_eq!(status, 200, "{sent}");
    let failed = eventually("failed", || async {
        messages(&app, &ana, &id).await.into_iter().find(|m| m["id"] == sent["id"] && m["status"] == "failed")
    })
    .await;
    assert_eq!(failed["error"]["code"], 131026);
    assert_eq!(failed["error"]["title"], "Message undeliverable");
}

#[tokio::test]
async fn members_reply_and_assign_admins_connect_and_other_organisations_see_nothing() {
    let app = app().await;
    let ana = connected_owner(&app).await;
    let lucia = conversation_with(&app, &ana, "Lucía Gómez").await;
    let id = lucia["id"].as_str().unwrap().to_owned();
    let luis = member_of(&app, owner(&app, "luis@otra.mx").await, &ana.org_id).await;
    assert_eq!(call(&app, &luis, "whatsapp/connect-sandbox", &[]).await.status(), 403);
    assert_eq!(call(&app, &luis, "whatsapp/disconnect", &[]).await.status(), 403);
    let (status, assigned) = json(call(&app, &luis, "inbox/assign", &[("id", &id), ("assignee", "me")]).await).await;
    assert_eq!(status, 200, "{assigned}");
    assert_eq!(assigned["assignee_name"], "Ana Owner");
    let (_, mine) = json(call(&app, &luis, "inbox/list", &[("view", "mine")]).await).await;
    assert_eq!(mine["conversations"].as_array().unwrap().len(), 1);
    let (_, resolved) = json(call(&app, &luis, "inbox/status", &[("id", &id), ("status", "resolved")]).await).await;
    assert_eq!(resolved["status"], "resolved");
    let (status, _) = json(call(&app, &luis, "inbox/assign", &[("id", &id), ("assignee", "someone-else")]).await).await;
    assert_eq!(status, 422, "only members can be assigned");

    // Another organisation: the same id answers like a missing one, everywhere.
    let eve = owner(&app, "eve@else.mx").await;
    for (endpoint, form) in [
        ("inbox/conversation", vec![("id", id.as_str())]),
        ("inbox/reply", vec![("conversation_id", id.as_str()), ("text", "hola")]),
        ("inbox/assign", vec![("id", id.as_str()), ("assignee", "me")]),
        ("inbox/status", vec![("id", id.as_str()), ("status", "open")]),
    ] {
        let (status, body) = json(call(&app, &eve, endpoint, &form).await).await;
        assert_eq!((status, body["code"].as_str()), (404, Some("error-not-found")), "{endpoint}");
    }
    assert_eq!(list(&app, &eve).await["conversations"], json!([]));
    // Without a session: refused.
    let anonymous =
        app.client.post(app.url("/api/inbox/list")).header("sec-fetch-site", "same-origin").send().await.unwrap();
    assert_eq!(anonymous.status(), 401);
}

#[tokio::test]
async fn bad_replies_are_refused_with_a_reason_and_the_window_closes_after_24_hours() {
    let app = app().await;
    let ana = connected_owner(&app).await;
    let omar = conversation_with(&app, &ana, "عمر حداد").await;
    let id = omar["id"].as_str().unwrap().to_owned();
    for (text, code) in [("   ", "error-inbox-reply-empty"), (&"x".repeat(4097)[..], "error-inbox-reply-long")] {
        let (status, body) =
            json(call(&app, &ana, "inbox/reply", &[("conversation_id", &id), ("text", text)]).await).await;
        assert_eq!((status, body["code"].as_str()), (422, Some(code)));
    }
    // A conversation whose customer last wrote 25 hours ago: free text is no longer allowed.
    let org = app::ids::OrgId::new(ana.org_id.clone());
    let record = app.store.inbox.conversation(&org, &id).await.unwrap().unwrap();
    let old = time::OffsetDateTime::now_utc() - time::Duration::hours(25);
    let stale = adronx::storage::inbox::ConversationRecord {
        id: "stale".into(),
        contact_id: "someone".into(),
        last_inbound_at: Some(old),
        ..record
    };
    app.store.inbox.open_conversation(&stale).await.unwrap();
    let (status, body) =
        json(call(&app, &ana, "inbox/reply", &[("conversation_id", "stale"), ("text", "¿Sigues ahí?")]).await).await;
    assert_eq!((status, body["code"].as_str()), (409, Some("error-whatsapp-window-closed")));
}

/// A stand-in for Meta that accepts the connection but rejects the token when sending (190).
async fn meta_rejecting_sends() -> String {
    let router = axum::Router::new()
        .route(
            "/v27.0/{id}",
            get(|| async {
                Json(json!({ "id": "1234567890", "display_phone_number": "+52 55 1111 2222", "verified_name": "Tienda", "quality_rating": "GREEN" }))
            }),
        )
        .route("/v27.0/{id}/subscribed_apps", post(|| async { Json(json!({ "success": true })) }))
        .route(
            "/v27.0/{id}/messages",
            post(|| async {
                let error = json!({ "error": { "message": "Error validating access token: Session has expired", "type": "OAuthException", "code": 190, "error_subcode": 463, "fbtrace_id": "A1" } });
                (axum::http::StatusCode::UNAUTHORIZED, Json(error))
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await });
    address
}

#[tokio::test]
async fn a_token_meta_rejects_fails_the_message_and_asks_for_reauthorisation() {
    let meta = meta_rejecting_sends().await;
    let app = spawn_app_with(&[("ADRONX_GRAPH_API_BASE", &meta)]).await;
    let ana = owner(&app, "ana@tienda.mx").await;
    let bad = [("waba_id", "12ab"), ("phone_number_id", "1234567890"), ("access_token", "EAAG")];
    let (status, body) = json(call(&app, &ana, "whatsapp/connect", &bad).await).await;
    assert_eq!((status, body["code"].as_str()), (422, Some("error-whatsapp-waba-id")));
    let form = [("waba_id", "1029384756"), ("phone_number_id", "1234567890"), ("access_token", "EAAGtoken")];
    assert_eq!(call(&app, &ana, "whatsapp/connect", &form).await.status(), 200);
    let (_, connection) = json(call(&app, &ana, "whatsapp/connection", &[]).await).await;
    assert_eq!(
        (connection["kind"].as_str(), connection["display_phone"].as_str()),
        (Some("meta"), Some("+52 55 1111 2222"))
    );
    let stored = app.store.whatsapp.connection(&app::ids::OrgId::new(ana.org_id.clone())).await.unwrap().unwrap();
    assert!(!stored.token.contains("EAAGtoken"), "kept sealed");

    // A customer writes (a signed delivery), an agent answers, Meta rejects the token.
    let delivery = json!({ "object": "whatsapp_business_account", "entry": [{ "id": "1029384756", "changes": [{ "field": "messages", "value": {
        "metadata": { "display_phone_number": "525511112222", "phone_number_id": "1234567890" },
        "contacts": [{ "profile": { "name": "Marta" }, "wa_id": "5215533334444" }],
        "messages": [{ "from": "5215533334444", "id": "wamid.M1", "timestamp": time::OffsetDateTime::now_utc().unix_timestamp().to_string(), "type": "text", "text": { "body": "Hola" } }]
    }}]}]});
    let bytes = serde_json::to_vec(&delivery).unwrap();
    let secrets: Value =
        serde_json::from_str(&std::fs::read_to_string(app.data_dir().join("secrets.json")).unwrap()).unwrap();
    let secret = secrecy::SecretString::from(secrets["whatsapp_app_secret"].as_str().unwrap().to_owned());
    let signed = adronx::whatsapp::signature::sign(&secret, &bytes);
    let res = app
        .client
        .post(app.url("/webhooks/whatsapp"))
        .header("x-hub-signature-256", signed)
        .body(bytes)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let marta = conversation_with(&app, &ana, "Marta").await;
    let id = marta["id"].as_str().unwrap().to_owned();
    let (_, sent) =
        json(call(&app, &ana, "inbox/reply", &[("conversation_id", &id), ("text", "¡Hola Marta!")]).await).await;
    let failed = eventually("failed", || async {
        messages(&app, &ana, &id).await.into_iter().find(|m| m["id"] == sent["id"] && m["status"] == "failed")
    })
    .await;
    assert_eq!(failed["error"]["code"], 190);
    let (_, connection) = json(call(&app, &ana, "whatsapp/connection", &[]).await).await;
    assert_eq!(connection["status"], "reauthorise");
    let (status, body) =
        json(call(&app, &ana, "inbox/reply", &[("conversation_id", &id), ("text", "¿Hola?")]).await).await;
    assert_eq!((status, body["code"].as_str()), (409, Some("error-whatsapp-reauthorise")), "nothing more is queued");
    // Every app page says so, with the way to fix it.
    let html = page(&app, &ana, "/app/contacts", "en").await;
    assert!(html.contains("reauth-banner") && html.contains("/app/settings#whatsapp"), "{html}");
}

/// Reads the next `data:` line of a Server-Sent Events stream.
async fn next_event(stream: &mut reqwest::Response, buffer: &mut String) -> String {
    loop {
        if let Some(end) = buffer.find("\n\n") {
            let event: String = buffer.drain(..end + 2).collect();
            if let Some(data) = event.lines().find_map(|l| l.strip_prefix("data:")) {
                return data.trim().to_owned();
            }
            continue; // a keep-alive comment
        }
        let chunk = tokio::time::timeout(Duration::from_secs(10), stream.chunk()).await.expect("an event in time");
        buffer.push_str(&String::from_utf8_lossy(&chunk.unwrap().expect("the stream stays open")));
    }
}

#[tokio::test]
async fn a_change_on_one_instance_reaches_a_browser_attached_to_another() {
    let first = app().await;
    let dir = first.data_dir().to_string_lossy().into_owned();
    let second = spawn_app_with(&[("ADRONX_DATA_DIR", dir.as_str())]).await;
    let ana = owner(&first, "ana@tienda.mx").await;
    let org = app::ids::OrgId::new(ana.org_id.clone());
    let now = time::OffsetDateTime::now_utc();
    let connection = adronx::storage::whatsapp::ConnectionRecord {
        org_id: org.clone(),
        kind: adronx::storage::whatsapp::ConnectionKind::Meta,
        waba_id: "1".into(),
        phone_number_id: "1001".into(),
        display_phone: "+1 555 0100".into(),
        verified_name: "Tienda".into(),
        quality_rating: None,
        token: "sealed".into(),
        status: adronx::storage::whatsapp::ConnectionStatus::Connected,
        status_detail: None,
        connected_at: now,
        updated_at: now,
    };
    first.store.whatsapp.save_connection(&connection).await.unwrap();

    // The browser on the second instance opens the live stream (same session: one store).
    let open = |last: Option<String>| {
        let mut req = second
            .client
            .get(second.url("/api/inbox/events"))
            .header("cookie", &ana.cookie)
            .header("sec-fetch-site", "same-origin");
        if let Some(id) = last {
            req = req.header("last-event-id", id);
        }
        req.send()
    };
    let mut stream = open(None).await.unwrap();
    assert_eq!(stream.status(), 200);
    assert_eq!(stream.headers()["content-type"], "text/event-stream");
    let mut buffer = String::new();
    let start = next_event(&mut stream, &mut buffer).await;

    // A customer writes: the delivery reaches the first instance.
    let secrets: Value =
        serde_json::from_str(&std::fs::read_to_string(first.data_dir().join("secrets.json")).unwrap()).unwrap();
    let secret = secrecy::SecretString::from(secrets["whatsapp_app_secret"].as_str().unwrap().to_owned());
    let delivery = json!({ "object": "whatsapp_business_account", "entry": [{ "id": "1", "changes": [{ "field": "messages", "value": {
        "metadata": { "display_phone_number": "15550100", "phone_number_id": "1001" },
        "contacts": [{ "profile": { "name": "Marta" }, "wa_id": "5215533334444" }],
        "messages": [{ "from": "5215533334444", "id": "wamid.LIVE", "timestamp": now.unix_timestamp().to_string(), "type": "text", "text": { "body": "¿Siguen abiertos?" } }]
    }}]}]});
    let bytes = serde_json::to_vec(&delivery).unwrap();
    let signed = adronx::whatsapp::signature::sign(&secret, &bytes);
    let posted = std::time::Instant::now();
    let res = first
        .client
        .post(first.url("/webhooks/whatsapp"))
        .header("x-hub-signature-256", signed)
        .body(bytes)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let moved = next_event(&mut stream, &mut buffer).await;
    assert_ne!(moved, start, "the clock moved");
    assert!(posted.elapsed() < Duration::from_secs(5), "seen on the other instance in {:?}", posted.elapsed());
    let marta = conversation_with(&second, &ana, "Marta").await;
    assert_eq!(marta["preview"], "¿Siguen abiertos?");

    // Reconnecting with the last id seen sends nothing until the next change; then it does.
    drop(stream);
    let mut again = open(Some(moved.clone())).await.unwrap();
    let mut buffer = String::new();
    let quiet = tokio::time::timeout(Duration::from_millis(700), next_event(&mut again, &mut buffer)).await;
    assert!(quiet.is_err(), "no event without a change: {quiet:?}");
    let id = marta["id"].as_str().unwrap();
    assert_eq!(call(&first, &ana, "inbox/status", &[("id", id), ("status", "pending")]).await.status(), 200);
    assert_ne!(next_event(&mut again, &mut buffer).await, moved);
    // Only for our own pages or a bearer token.
    let foreign = second
        .client
        .get(second.url("/api/inbox/events"))
        .header("cookie", &ana.cookie)
        .header("sec-fetch-site", "cross-site");
    assert_eq!(foreign.send().await.unwrap().status(), 403);
}

#[tokio::test]
async fn an_organisation_sends_at_most_60_messages_a_minute() {
    let app = app().await;
    let ana = connected_owner(&app).await;
    let omar = conversation_with(&app, &ana, "عمر حداد").await;
    let id = omar["id"].as_str().unwrap().to_owned();
    let luis = member_of(&app, owner(&app, "luis@otra.mx").await, &ana.org_id).await;
    for n in 0..60 {
        // Two agents share the organisation's minute.
        let who = if n % 2 == 0 { &ana } else { &luis };
        let text = format!("Mensaje {n}");
        let res = call(&app, who, "inbox/reply", &[("conversation_id", id.as_str()), ("text", text.as_str())]).await;
        assert_eq!(res.status(), 200, "message {n}");
    }
    let res = call(&app, &luis, "inbox/reply", &[("conversation_id", id.as_str()), ("text", "uno más")]).await;
    assert_eq!(res.status(), 429);
    assert_eq!(res.headers()["retry-after"], "60");
    let (_, body) = json(res).await;
    assert_eq!(body["code"], "error-whatsapp-rate-limited");
    let org = app::ids::OrgId::new(ana.org_id.clone());
    let stored = app.store.inbox.messages(&org, &id, None, 200).await.unwrap();
    let ours = stored.iter().filter(|m| m.direction == app::inbox::model::Direction::Out).count();
    assert_eq!(ours, 60, "nothing over the limit was stored");
}

#[tokio::test]
async fn after_24_hours_only_an_approved_template_with_its_values_is_sent() {
    let app = app().await;
    let ana = connected_owner(&app).await;
    let marco = conversation_with(&app, &ana, "Marco Rossi").await;
    assert_eq!(marco["window_open"], false, "he wrote 26 hours ago");
    let id = marco["id"].as_str().unwrap().to_owned();
    let (status, body) =
        json(call(&app, &ana, "inbox/reply", &[("conversation_id", &id), ("text", "Sì!")]).await).await;
    assert_eq!((status, body["code"].as_str()), (409, Some("error-whatsapp-window-closed")));

    // The account's templates came with the connection.
    let (_, templates) = json(call(&app, &ana, "inbox/templates", &[]).await).await;
    let names: Vec<&str> = templates.as_array().unwrap().iter().map(|t| t["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["appointment_reminder", "order_update", "spring_sale", "welcome_back"]);
    let welcome = &templates[3];
    assert_eq!((welcome["header"].as_str(), welcome["buttons"][0].as_str()), (Some("Welcome back!"), Some("Shop now")));

    // What Meta would refuse never leaves: each with its reason.
    let send = |template: &'static str, params: &'static str| {
        let (app, ana, id) = (&app, &ana, id.clone());
        async move {
            let form = [("conversation_id", id.as_str()), ("template", template), ("params", params)];
            json(call(app, ana, "inbox/send-template", &form).await).await
        }
    };
    for (template, params, code) in [
        ("spring_sale|es_MX", "Hola", "error-template-not-approved"),
        ("order_update|es_MX", "Marco", "error-template-params"),
        ("order_update|es_MX", "Marco\n  ", "error-template-param-empty"),
        ("order_update|es_MX", "Marco\n#1042\tok", "error-template-param-format"),
        ("order_update|es_MX", "Marco     Rossi\n#1042", "error-template-param-format"),
        ("missing|es_MX", "Marco", "error-template-unknown"),
        ("order_update", "Marco", "error-template-unknown"),
    ] {
        let (status, body) = send(template, params).await;
        assert_eq!((status, body["code"].as_str()), (422, Some(code)), "{template} {params:?}");
    }
    let (status, sent) = send("order_update|es_MX", "Marco\n#1042").await;
    assert_eq!(status, 200, "{sent}");
    assert_eq!(sent["content"]["type"], "template");
    assert_eq!(sent["content"]["body"], "Hola Marco, tu pedido #1042 ya va en camino. ¡Gracias por tu compra!");
    eventually("read", || async {
        messages(&app, &ana, &id).await.into_iter().find(|m| m["id"] == sent["id"] && m["status"] == "read")
    })
    .await;
    let answer = eventually("his answer", || async {
        messages(&app, &ana, &id).await.into_iter().find(|m| m["content"]["body"] == "Sì, la prendo! Grazie.")
    })
    .await;
    assert_eq!(answer["direction"], "in");
    // His answer opened the window again.
    let again = conversation_with(&app, &ana, "Marco Rossi").await;
    assert_eq!(again["window_open"], true);
    let (status, synced) = json(call(&app, &ana, "whatsapp/templates/sync", &[]).await).await;
    assert_eq!((status, synced.as_u64()), (200, Some(4)));
}

#[tokio::test]
async fn conversations_are_found_by_name_number_message_text_and_tag() {
    let app = app().await;
    let ana = connected_owner(&app).await;
    let lucia = conversation_with(&app, &ana, "Lucía Gómez").await;
    conversation_with(&app, &ana, "Grace Miller").await;
    let found = |q: &'static str, tag: &'static str| {
        let (app, ana) = (&app, &ana);
        async move {
            let (status, body) = json(call(app, ana, "inbox/list", &[("q", q), ("tag", tag)]).await).await;
            assert_eq!(status, 200, "{body}");
            let names = body["conversations"].as_array().unwrap().iter();
            names.map(|c| c["contact_name"].as_str().unwrap().to_owned()).collect::<Vec<_>>()
        }
    };
    assert_eq!(found("grace", "").await, ["Grace Miller"], "by name, any case");
    assert_eq!(found("+1 (555) 010-0000", "").await, ["Grace Miller"], "by number, as typed");
    assert_eq!(found("TALLA m", "").await, ["Lucía Gómez"], "by message text");
    assert!(found("zapatos", "").await.is_empty());
    // Tag Lucía's contact: the tag narrows the list, and the list shows it.
    let contact = lucia["contact_id"].as_str().unwrap();
    assert_eq!(call(&app, &ana, "contacts/tag", &[("ids", contact), ("tag", "vip")]).await.status(), 200);
    assert_eq!(found("", "vip").await, ["Lucía Gómez"]);
    assert!(found("grace", "vip").await.is_empty(), "search and tag both apply");
    let (_, list) = json(call(&app, &ana, "inbox/list", &[("tag", "vip")]).await).await;
    assert_eq!(list["conversations"][0]["tags"], json!(["vip"]));
    let long = "x".repeat(201);
    let (status, body) = json(call(&app, &ana, "inbox/list", &[("q", &long)]).await).await;
    assert_eq!((status, body["code"].as_str()), (422, Some("error-inbox-search-long")));
}

#[tokio::test]
async fn quick_replies_are_kept_by_admins_and_typed_by_their_shortcut() {
    let app = app().await;
    let ana = connected_owner(&app).await;
    let text = "Enviamos a todo México en 24–48 h. ¡Gracias!";
    let save = |who: &'static str, shortcut: &'static str| {
        let (app, ana) = (&app, &ana);
        async move {
            let form = [("shortcut", shortcut), ("text", if who.is_empty() { "" } else { text })];
            json(call(app, ana, "inbox/quick-replies/save", &form).await).await
        }
    };
    assert_eq!(save("ana", "/Envio").await.0, 200);
    assert_eq!(save("ana", "horario").await.0, 200);
    let (status, body) = save("ana", "envio").await;
    assert_eq!((status, body["code"].as_str()), (409, Some("error-quick-reply-taken")));
    let (status, body) = save("ana", "dos palabras").await;
    assert_eq!((status, body["code"].as_str()), (422, Some("error-quick-reply-shortcut")));
    let (status, body) = save("", "vacio").await;
    assert_eq!((status, body["code"].as_str()), (422, Some("error-quick-reply-text")));
    // Members see and use them, but do not change them.
    let luis = member_of(&app, owner(&app, "luis@tienda.mx").await, &ana.org_id).await;
    let (_, list) = json(call(&app, &luis, "inbox/quick-replies", &[]).await).await;
    let shortcuts: Vec<_> = list.as_array().unwrap().iter().map(|r| r["shortcut"].as_str().unwrap()).collect();
    assert_eq!(shortcuts, ["envio", "horario"]);
    let form = [("shortcut", "mio"), ("text", "hola")];
    assert_eq!(call(&app, &luis, "inbox/quick-replies/save", &form).await.status(), 403);
    let id = list[1]["id"].as_str().unwrap();
    assert_eq!(call(&app, &luis, "inbox/quick-replies/delete", &[("id", id)]).await.status(), 403);
    // Another organisation sees none of them.
    let eve = owner(&app, "eve@otra.example").await;
    let (_, theirs) = json(call(&app, &eve, "inbox/quick-replies", &[]).await).await;
    assert_eq!(theirs, json!([]));
    assert_eq!(call(&app, &eve, "inbox/quick-replies/delete", &[("id", id)]).await.status(), 404);
    // `/envio` as a reply sends the saved text.
    let lucia = conversation_with(&app, &ana, "Lucía Gómez").await;
    let form = [("conversation_id", lucia["id"].as_str().unwrap()), ("text", "/envio"), ("key", "q1")];
    let (status, sent) = json(call(&app, &luis, "inbox/reply", &form).await).await;
    assert_eq!((status, sent["content"]["body"].as_str()), (200, Some(text)));
    assert_eq!(call(&app, &ana, "inbox/quick-replies/delete", &[("id", id)]).await.status(), 200);
    let (_, list) = json(call(&app, &ana, "inbox/quick-replies", &[]).await).await;
    assert_eq!(list.as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn an_agent_writes_first_to_a_contact_with_a_template() {
    let app = app().await;
    let ana = owner(&app, "ana@tienda.mx").await;
    let create = [("display_name", "Sofía Ruiz"), ("phone", "+52 55 1234 5678")];
    let (status, sofia) = json(call(&app, &ana, "contacts/create", &create).await).await;
    assert_eq!(status, 200, "{sofia}");
    let contact = sofia["id"].as_str().unwrap();
    let (status, body) = json(call(&app, &ana, "inbox/open", &[("contact", contact)]).await).await;
    assert_eq!((status, body["code"].as_str()), (409, Some("error-whatsapp-not-connected")));
    assert_eq!(call(&app, &ana, "whatsapp/connect-sandbox", &[]).await.status(), 200);

    let (status, opened) = json(call(&app, &ana, "inbox/open", &[("contact", contact)]).await).await;
    assert_eq!(status, 200, "{opened}");
    assert_eq!((opened["contact_name"].as_str(), opened["window_open"].as_bool()), (Some("Sofía Ruiz"), Some(false)));
    assert_eq!(opened["assignee"].as_str(), Some(ana.user_id.as_str()), "assigned to whoever writes first");
    let (_, again) = json(call(&app, &ana, "inbox/open", &[("contact", contact)]).await).await;
    assert_eq!(again["id"], opened["id"], "one conversation per contact and number");
    let id = opened["id"].as_str().unwrap();
    let form = [("conversation_id", id), ("template", "order_update|es_MX"), ("params", "Sofía\n#2001"), ("key", "s1")];
    let (status, sent) = json(call(&app, &ana, "inbox/send-template", &form).await).await;
    assert_eq!(status, 200, "{sent}");
    eventually("delivered", || async {
        messages(&app, &ana, id).await.into_iter().find(|m| m["id"] == sent["id"] && m["status"] == "read")
    })
    .await;

    // Not to a contact who opted out, nor to another organisation's.
    assert_eq!(call(&app, &ana, "contacts/opt-out", &[("id", contact), ("opted_out", "true")]).await.status(), 200);
    let (status, body) = json(call(&app, &ana, "inbox/open", &[("contact", contact)]).await).await;
    assert_eq!((status, body["code"].as_str()), (409, Some("error-inbox-opted-out")));
    let eve = owner(&app, "eve@otra.example").await;
    assert_eq!(call(&app, &eve, "whatsapp/connect-sandbox", &[]).await.status(), 200);
    let (status, body) = json(call(&app, &eve, "inbox/open", &[("contact", contact)]).await).await;
    assert_eq!((status, body["code"].as_str()), (404, Some("error-not-found")));
}

#[tokio::test]
async fn templates_are_synced_again_every_six_hours_while_connected() {
    let app = app().await;
    let ana = connected_owner(&app).await;
    let org = app::ids::OrgId::new(ana.org_id.clone());
    app.store.whatsapp.replace_templates(&org, &[]).await.unwrap();
    // The next sync waits in the queue for its slot, at most six hours and one away.
    let now = time::OffsetDateTime::now_utc();
    let later = now + time::Duration::hours(7);
    let job = app.store.jobs.claim_job("test", later, later + time::Duration::minutes(1)).await.unwrap().unwrap();
    assert_eq!((job.kind.as_str(), job.payload["org"].as_str()), ("whatsapp.templates", Some(ana.org_id.as_str())));
    assert!(job.run_at > now && job.run_at <= later, "due {}", job.run_at);
    // Its time comes (moved to now): the workers run it and the templates are back.
    app.store.jobs.fail_job(&job.id, "test", "due now", Some(now), now).await.unwrap();
    eventually("templates synced", || async {
        let (_, templates) = json(call(&app, &ana, "inbox/templates", &[]).await).await;
        (templates.as_array().unwrap().len() == 4).then_some(())
    })
    .await;
}

#[tokio::test]
async fn assign_and_status_work_from_a_plain_form_without_javascript() {
    let app = app().await;
    let ana = connected_owner(&app).await;
    let lucia = conversation_with(&app, &ana, "Lucía Gómez").await;
    let id = lucia["id"].as_str().unwrap();
    let conversation = app.url(&format!("/app/inbox?c={id}"));
    let post = |endpoint: &'static str, form: Vec<(&'static str, String)>| {
        let (app, ana, page) = (&app, &ana, conversation.clone());
        async move {
            let res = app
                .client
                .post(app.url(&format!("/api/{endpoint}")))
                .header("cookie", &ana.cookie)
                .header("sec-fetch-site", "same-origin")
                .header("accept", "text/html")
                .header("referer", page)
                .form(&form)
                .send()
                .await
                .unwrap();
            (res.status().as_u16(), res.headers()["location"].to_str().unwrap().to_owned())
        }
    };
    // Done, and the browser goes back to the conversation.
    let (status, location) = post("inbox/assign", vec![("id", id.into()), ("assignee", "me".into())]).await;
    assert_eq!((status, location), (302, conversation.clone()));
    let again = conversation_with(&app, &ana, "Lucía Gómez").await;
    assert_eq!(again["assignee"].as_str(), Some(ana.user_id.as_str()));
    // Refused: back to the conversation too, with the error for the page.
    let (status, location) = post("inbox/status", vec![("id", id.into()), ("status", "bogus".into())]).await;
    assert_eq!(status, 302);
    assert!(location.starts_with(&conversation) && location.contains("__err="), "{location}");
    // The conversation is on the page without JavaScript: rendered whole on the server.
    let plain = page(&app, &ana, &conversation, "en").await;
    assert!(plain.contains("Lucía Gómez") && plain.contains(r#"class="reply-box""#), "{plain}");
    // The page it goes back to says why, in the reader's language.
    let html = page(&app, &ana, &location, "es-MX").await;
    assert!(html.contains(r#"class="form-status err">Elige abierta, pendiente o resuelta.</p>"#), "{html}");
}
