//! The sandbox: a simulator of the WhatsApp Cloud API calls the app makes, served by the same
//! binary outside production, so a new organisation sees the inbox work without a Meta account.
//! It answers with Meta's documented payloads (the app's own client talks to it as it would to
//! Meta) and posts **signed** webhook deliveries back to `/webhooks/whatsapp`: simulated
//! customers who write first (one through a click-to-WhatsApp ad), statuses sent → delivered →
//! read with realistic delays, answers to replies, and one customer whose number cannot receive
//! messages (error 131026), so a failure is seen too.

use super::signature;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use secrecy::SecretString;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The ad the sandbox's customer clicked to write (the sandbox ad account's click-to-WhatsApp ad).
pub const REFERRAL_AD_ID: &str = "120200000000001";

/// Sandbox access tokens start with this; any other token is refused like an expired one (190).
pub const TOKEN_PREFIX: &str = "sbx-";

/// Sandbox ids: a number id is `9` + 14 digits, its business account the same digits after `8`.
fn waba_of(phone_number_id: &str) -> String {
    format!("8{}", &phone_number_id[1..])
}

fn number_of(waba_id: &str) -> String {
    format!("9{}", &waba_id[1..])
}

#[derive(Clone)]
pub struct Sandbox {
    webhook_url: String,
    public_url: String,
    app_secret: SecretString,
    http: reqwest::Client,
    /// How far each simulated customer is in their script, by (number id, customer).
    progress: Arc<Mutex<HashMap<(String, String), usize>>>,
    /// Seconds of the simulated delays (tests shorten them).
    pace: f64,
    /// To wait until the app has stored a new connection before its customers write.
    connections: Arc<dyn crate::storage::whatsapp::WhatsAppStore>,
    /// The simulated ad account's world and memory, answered under the same address.
    ads: crate::ads::sandbox::World,
}

struct Customer {
    name: &'static str,
    wa_id: &'static str,
    first: &'static str,
    answers: &'static [&'static str],
    referral: bool,
    /// Sends a photo right after the first message (a file to fetch, as Meta's media work).
    photo: bool,
    /// How long ago their first message was written (hours): past 24, only a template reaches them.
    hours_ago: i64,
}

const CUSTOMERS: [Customer; 4] = [
    Customer {
        name: "Lucía Gómez",
        wa_id: "5215550001111",
        first: "Hola, ¿tienen la chaqueta azul en talla M?",
        answers: &["¡Perfecto! ¿Cuánto cuesta el envío a Guadalajara?", "Genial, la compro. ¡Gracias!"],
        referral: true,
        photo: true,
        hours_ago: 0,
    },
    Customer {
        name: "عمر حداد",
        wa_id: "971500002222",
        first: "مرحبا، هل التوصيل متاح إلى دبي؟",
        answers: &["شكراً! كم يستغرق التوصيل؟", "ممتاز، شكراً جزيلاً"],
        referral: false,
        photo: false,
        hours_ago: 0,
    },
    // Her number cannot receive messages: every reply to her fails with 131026.
    Customer {
        name: "Grace Miller",
        wa_id: "15550100000",
        first: "Hi! Is my order #1042 on its way?",
        answers: &[],
        referral: false,
        photo: false,
        hours_ago: 0,
    },
    // He wrote yesterday: the window has closed, so an approved template is the way to answer.
    Customer {
        name: "Marco Rossi",
        wa_id: "393471234567",
        first: "Buongiorno, avete ancora la borsa in pelle?",
        answers: &["Sì, la prendo! Grazie."],
        referral: false,
        photo: false,
        hours_ago: 26,
    },
];

/// The photo the sandbox's customer sends, and its media id.
const PHOTO: &[u8] = include_bytes!("sandbox/jacket.png");
const PHOTO_ID: &str = "700000000000001";

/// The account's templates, as `GET /{waba-id}/message_templates` lists them.
fn templates() -> Value {
    json!([
        { "id": "1001", "name": "order_update", "language": "es_MX", "status": "APPROVED", "category": "UTILITY",
          "components": [{ "type": "BODY", "text": "Hola {{1}}, tu pedido {{2}} ya va en camino. ¡Gracias por tu compra!" }] },
        { "id": "1002", "name": "welcome_back", "language": "en_US", "status": "APPROVED", "category": "MARKETING",
          "components": [
            { "type": "HEADER", "format": "TEXT", "text": "Welcome back!" },
            { "type": "BODY", "text": "Hi {{1}}, we saved your cart. Use code {{2}} for 10% off today." },
            { "type": "FOOTER", "text": "Reply STOP to opt out" },
            { "type": "BUTTONS", "buttons": [{ "type": "QUICK_REPLY", "text": "Shop now" }] }
          ] },
        { "id": "1003", "name": "appointment_reminder", "language": "ar", "status": "APPROVED", "category": "UTILITY",
          "components": [{ "type": "BODY", "text": "مرحبا {{1}}، نذكّرك بموعدك يوم {{2}}." }] },
        { "id": "1004", "name": "spring_sale", "language": "es_MX", "status": "PENDING", "category": "MARKETING",
          "components": [{ "type": "BODY", "text": "¡Llegó la primavera! {{1}}" }] }
    ])
}

/// Meta's answer to a template message that does not match an approved template.
fn template_problem(body: &Value) -> Option<Response> {
    let template = body.get("template")?;
    let name = template.get("name").and_then(Value::as_str).unwrap_or_default();
    let language = template.pointer("/language/code").and_then(Value::as_str).unwrap_or_default();
    let all = templates();
    let known =
        all.as_array()?.iter().find(|t| t["name"] == name && t["language"] == language && t["status"] == "APPROVED");
    let Some(known) = known else {
        return Some(graph_error(StatusCode::NOT_FOUND, 132001, "Template name does not exist in the translation"));
    };
    let text = known["components"].as_array()?.iter().find(|c| c["type"] == "BODY")?["text"].as_str()?;
    let given = template.pointer("/components/0/parameters").and_then(Value::as_array).map_or(0, Vec::len);
    (given != app::inbox::templates::placeholders(text)).then(|| {
        graph_error(
            StatusCode::BAD_REQUEST,
            132000,
            "Number of parameters does not match the expected number of params",
        )
    })
}

const UNDELIVERABLE: &str = "15550100000";

/// The same number, however its digits were written (Mexico's `521…` wa_id and `52…` E.164).
fn same_number(a: &str, b: &str) -> bool {
    let e164 = |digits: &str| crate::contacts::phone::normalise(&format!("+{digits}"), None).map(|p| p.e164).ok();
    a == b || e164(a).is_some_and(|x| Some(x) == e164(b))
}

pub(crate) fn graph_error(status: StatusCode, code: i64, message: &str) -> Response {
    let body = json!({ "error": { "message": message, "type": "OAuthException", "code": code, "fbtrace_id": "SandboxTrace" } });
    (status, Json(body)).into_response()
}

/// Meta's answer to a token it does not accept, when the bearer token is not a sandbox one.
pub(crate) fn refuse_token(headers: &HeaderMap) -> Option<Response> {
    let token =
        headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "));
    match token {
        Some(t) if t.starts_with(TOKEN_PREFIX) => None,
        _ => Some(graph_error(StatusCode::UNAUTHORIZED, 190, "Invalid OAuth access token - Cannot parse access token")),
    }
}

fn sandbox_id(id: &str) -> bool {
    id.len() == 15 && id.bytes().all(|b| b.is_ascii_digit())
}

fn wamid() -> String {
    format!("wamid.SBX{}", uuid::Uuid::new_v4().simple())
}

fn now_secs() -> String {
    time::OffsetDateTime::now_utc().unix_timestamp().to_string()
}

impl Sandbox {
    pub fn new(
        public_url: &str,
        app_secret: SecretString,
        connections: Arc<dyn crate::storage::whatsapp::WhatsAppStore>,
    ) -> Self {
        Self {
            connections,
            webhook_url: format!("{public_url}{}", crate::http::WEBHOOK_PATH),
            public_url: public_url.trim_end_matches('/').to_owned(),
            app_secret,
            http: reqwest::Client::builder().timeout(Duration::from_secs(10)).build().expect("HTTP client"),
            progress: Arc::default(),
            pace: 1.0,
            ads: crate::ads::sandbox::World::new(None),
        }
    }

    /// Keeps the simulated ad account's ledger in `dir` (else in memory).
    pub fn with_ledger(mut self, dir: std::path::PathBuf) -> Self {
        self.ads = crate::ads::sandbox::World::new(Some(dir));
        self
    }

    /// Scales every simulated delay (1.0: as a person would see them).
    pub fn with_pace(mut self, pace: f64) -> Self {
        self.pace = pace;
        self
    }

    pub fn router(self) -> Router {
        let ads = self.ads.clone();
        Router::new()
            .route(
                "/{version}/{id}",
                get(phone_number).post({
                    let ads = self.ads.clone();
                    |Path((_, id)): Path<(String, String)>, headers: HeaderMap, Json(body): Json<Value>| async move {
                        crate::ads::sandbox::set_daily_budget(&ads, &id, &headers, &body)
                    }
                }),
            )
            .route("/files/{id}", get(download))
            .route("/{version}/{id}/subscribed_apps", post(subscribe))
            .route("/{version}/{id}/message_templates", get(list_templates))
            .route("/{version}/{id}/messages", post(send))
            .with_state(self)
            // The simulated ad account answers under the same Graph API address.
            .merge(crate::ads::sandbox::router(ads))
    }

    fn later(&self, seconds: f64) -> Duration {
        Duration::from_secs_f64(seconds * self.pace)
    }

    /// Posts one signed delivery for `number` to the app's webhook, as Meta does.
    async fn deliver(&self, number: &str, value: Value) {
        let body = json!({
            "object": "whatsapp_business_account",
            "entry": [{ "id": waba_of(number), "changes": [{ "field": "messages", "value": value }] }]
        });
        let bytes = serde_json::to_vec(&body).expect("JSON serialises");
        let sent = self
            .http
            .post(&self.webhook_url)
            .header("content-type", "application/json")
            .header(signature::HEADER, signature::sign(&self.app_secret, &bytes))
            .body(bytes)
            .send()
            .await;
        if let Err(e) = sent.and_then(|r| r.error_for_status()) {
            tracing::warn!(error = %e, "sandbox: the webhook did not take a delivery");
        }
    }

    async fn customer_writes(&self, number: &str, customer: &Customer, text: &str, first: bool) {
        self.customer_sends(number, customer, "text", json!({ "body": text }), first).await;
        if first && customer.photo {
            tokio::time::sleep(self.later(1.0)).await;
            let photo = json!({
                "caption": "¿Esta?", "mime_type": "image/png", "sha256": hex::encode(Sha256::digest(PHOTO)), "id": PHOTO_ID
            });
            self.customer_sends(number, customer, "image", photo, false).await;
        }
    }

    /// One message of type `kind` with its `body`, from `customer`.
    async fn customer_sends(&self, number: &str, customer: &Customer, kind: &str, body: Value, first: bool) {
        // A first message is dated a minute back at least: Meta's times are whole seconds, and
        // what follows it (Lucía's photo) must be newer, however fast the sandbox runs.
        let back = if first {
            time::Duration::hours(customer.hours_ago) + time::Duration::MINUTE
        } else {
            time::Duration::ZERO
        };
        let written = time::OffsetDateTime::now_utc() - back;
        let mut message = json!({
            "from": customer.wa_id, "id": wamid(), "timestamp": written.unix_timestamp().to_string(), "type": kind
        });
        message[kind] = body;
        if first && customer.referral {
            message["referral"] = json!({
                "source_url": "https://fb.me/sandbox-ad", "source_id": REFERRAL_AD_ID, "source_type": "ad",
                "headline": "Rebajas de invierno", "body": "Chaquetas al 30 %", "media_type": "image",
                "ctwa_clid": "sbx-clid-1"
            });
        }
        let value = json!({
            "messaging_product": "whatsapp",
            "metadata": { "display_phone_number": display_number(number), "phone_number_id": number },
            "contacts": [{ "profile": { "name": customer.name }, "wa_id": customer.wa_id }],
            "messages": [message],
        });
        self.deliver(number, value).await;
    }

    async fn status(&self, number: &str, wamid: &str, to: &str, status: &str) {
        let mut entry = json!({ "id": wamid, "status": status, "timestamp": now_secs(), "recipient_id": to });
        if status == "failed" {
            entry["errors"] = json!([{
                "code": 131026, "title": "Message undeliverable", "message": "Message undeliverable",
                "error_data": { "details": "Message could not be delivered: the recipient's WhatsApp cannot receive it." }
            }]);
        }
        let value = json!({
            "messaging_product": "whatsapp",
            "metadata": { "display_phone_number": display_number(number), "phone_number_id": number },
            "statuses": [entry],
        });
        self.deliver(number, value).await;
    }
}

fn display_number(number: &str) -> String {
    format!("1555{}", &number[number.len() - 7..])
}

/// `GET /{version}/{phone-number-id}?fields=…`, or `GET /{version}/{media-id}`.
async fn phone_number(
    State(sandbox): State<Sandbox>,
    Path((_, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    if let Some(refused) = refuse_token(&headers) {
        return refused;
    }
    if let Some(account) = id.strip_prefix("act_") {
        return crate::ads::sandbox::account(account);
    }
    if id == PHOTO_ID {
        return Json(json!({
            "messaging_product": "whatsapp",
            "url": format!("{}{}/files/{PHOTO_ID}", sandbox.public_url, super::connect::SANDBOX_PREFIX),
            "mime_type": "image/png",
            "sha256": hex::encode(Sha256::digest(PHOTO)),
            "file_size": PHOTO.len(),
            "id": PHOTO_ID,
        }))
        .into_response();
    }
    if !sandbox_id(&id) || !id.starts_with('9') {
        return graph_error(StatusCode::BAD_REQUEST, 100, "Unsupported get request. Object does not exist");
    }
    let digits = display_number(&id);
    Json(json!({
        "id": id,
        "display_phone_number": format!("+1 555-{}-{}", &digits[4..7], &digits[7..]),
        "verified_name": "Adronx Sandbox",
        "quality_rating": "GREEN",
    }))
    .into_response()
}

/// The media download URL: the file's bytes, for a sandbox token only (as Meta's needs the token).
async fn download(Path(id): Path<String>, headers: HeaderMap) -> Response {
    if let Some(refused) = refuse_token(&headers) {
        return refused;
    }
    if id != PHOTO_ID {
        return StatusCode::NOT_FOUND.into_response();
    }
    ([(header::CONTENT_TYPE, "image/png")], PHOTO).into_response()
}

/// `GET /{version}/{waba-id}/message_templates`: one page.
async fn list_templates(Path((_, waba)): Path<(String, String)>, headers: HeaderMap) -> Response {
    if let Some(refused) = refuse_token(&headers) {
        return refused;
    }
    if !sandbox_id(&waba) || !waba.starts_with('8') {
        return graph_error(StatusCode::BAD_REQUEST, 100, "Unsupported get request. Object does not exist");
    }
    Json(json!({ "data": templates(), "paging": { "cursors": { "before": "MAZDZD", "after": "MjQZD" } } }))
        .into_response()
}

/// `POST /{version}/{waba-id}/subscribed_apps`: from now on the simulated customers write.
async fn subscribe(
    State(sandbox): State<Sandbox>,
    Path((_, waba)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    if let Some(refused) = refuse_token(&headers) {
        return refused;
    }
    if !sandbox_id(&waba) || !waba.starts_with('8') {
        return graph_error(StatusCode::BAD_REQUEST, 100, "Unsupported post request. Object does not exist");
    }
    let number = number_of(&waba);
    tokio::spawn(async move {
        // The app stores the connection right after this answer: customers write once it has.
        for _ in 0..100 {
            if matches!(sandbox.connections.connection_for_number(&number).await, Ok(Some(_))) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        for (n, customer) in CUSTOMERS.iter().enumerate() {
            tokio::time::sleep(sandbox.later(if n == 0 { 2.0 } else { 3.0 })).await;
            sandbox.customer_writes(&number, customer, customer.first, true).await;
        }
    });
    Json(json!({ "success": true })).into_response()
}

/// `POST /{version}/{phone-number-id}/messages`.
async fn send(
    State(sandbox): State<Sandbox>,
    Path((_, number)): Path<(String, String)>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    if let Some(refused) = refuse_token(&headers) {
        return refused;
    }
    let to = body.get("to").and_then(Value::as_str).unwrap_or_default().to_owned();
    let kind = body.get("type").and_then(Value::as_str).unwrap_or("text");
    let has_content = body.get(kind).is_some_and(|c| !c.is_null());
    if !sandbox_id(&number)
        || to.is_empty()
        || body.get("messaging_product") != Some(&json!("whatsapp"))
        || !has_content
    {
        return graph_error(StatusCode::BAD_REQUEST, 100, "(#100) Invalid parameter");
    }
    if let Some(problem) = template_problem(&body) {
        return problem;
    }
    let id = wamid();
    let answer = json!({ "messaging_product": "whatsapp", "contacts": [{ "input": to, "wa_id": to }], "messages": [{ "id": id }] });
    let (sandbox, wamid) = (sandbox.clone(), id.clone());
    tokio::spawn(async move {
        tokio::time::sleep(sandbox.later(0.4)).await;
        sandbox.status(&number, &wamid, &to, "sent").await;
        tokio::time::sleep(sandbox.later(0.8)).await;
        if same_number(&to, UNDELIVERABLE) {
            sandbox.status(&number, &wamid, &to, "failed").await;
            return;
        }
        sandbox.status(&number, &wamid, &to, "delivered").await;
        tokio::time::sleep(sandbox.later(1.5)).await;
        sandbox.status(&number, &wamid, &to, "read").await;
        let Some(customer) = CUSTOMERS.iter().find(|c| same_number(c.wa_id, &to)) else { return };
        let step = {
            let mut progress = sandbox.progress.lock().unwrap_or_else(|e| e.into_inner());
            let step = progress.entry((number.clone(), to.clone())).or_insert(0);
            *step += 1;
            *step - 1
        };
        if let Some(answer) = customer.answers.get(step) {
            tokio::time::sleep(sandbox.later(2.0)).await;
            sandbox.customer_writes(&number, customer, answer, false).await;
        }
    });
    Json(answer).into_response()
}
