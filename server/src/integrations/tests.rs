//! The clients against local HTTP servers that answer like the real APIs.

use super::anthropic::{AnthropicClient, AnthropicError};
use super::api::ApiConfig;
use super::graph::{GraphClient, GraphError};
use super::meta_ads::MarketingClient;
use super::whatsapp::WhatsAppClient;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use secrecy::SecretString;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// An answer: status, extra headers, body.
type Answer = (u16, Vec<(&'static str, &'static str)>, &'static str);
/// A request seen: path and query, headers, body.
type Seen = (String, HeaderMap, String);

/// What the fake API saw, and the answers it gives in turn (the last one repeats).
#[derive(Clone, Default)]
struct Fake {
    seen: Arc<Mutex<Vec<Seen>>>,
    answers: Arc<Mutex<Vec<Answer>>>,
}

impl Fake {
    fn answering(answers: Vec<Answer>) -> Self {
        Self { answers: Arc::new(Mutex::new(answers)), ..Self::default() }
    }

    async fn serve(&self) -> String {
        let fake = self.clone();
        let app = axum::Router::new().fallback(move |uri: Uri, headers: HeaderMap, body: String| {
            let fake = fake.clone();
            async move {
                fake.seen.lock().unwrap().push((uri.to_string(), headers, body));
                let mut answers = fake.answers.lock().unwrap();
                let (status, extra, body) = if answers.len() > 1 { answers.remove(0) } else { answers[0].clone() };
                let mut res: Response = (StatusCode::from_u16(status).unwrap(), body.to_owned()).into_response();
                for (k, v) in extra {
                    res.headers_mut().insert(k, v.parse().unwrap());
                }
                res.headers_mut().insert("content-type", "application/json".parse().unwrap());
                res
            }
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        base
    }

    fn calls(&self) -> usize {
        self.seen.lock().unwrap().len()
    }
}

fn quick(base: &str) -> ApiConfig {
    ApiConfig { backoff: Duration::from_millis(1), max_backoff: Duration::from_millis(5), ..ApiConfig::new(base) }
}

fn token() -> SecretString {
    SecretString::from("EAAG-test-token")
}

#[tokio::test]
async fn reads_a_phone_number_with_the_token_and_version() {
    let fake = Fake::answering(vec![(
        200,
        vec![],
        r#"{"id":"106540352242922","display_phone_number":"+1 555-016-2000","verified_name":"Tienda Ñ","quality_rating":"GREEN"}"#,
    )]);
    let base = fake.serve().await;
    let client = WhatsAppClient(GraphClient::new(quick(&base), "v27.0"));
    let number = client.phone_number("106540352242922", &token()).await.unwrap();
    assert_eq!((number.verified_name.as_str(), number.quality_rating.as_deref()), ("Tienda Ñ", Some("GREEN")));
    let seen = fake.seen.lock().unwrap();
    assert!(seen[0].0.starts_with("/v27.0/106540352242922?fields=id%2Cdisplay_phone_number"), "{}", seen[0].0);
    assert_eq!(seen[0].1["authorization"], "Bearer EAAG-test-token");
}

#[tokio::test]
async fn retries_throttling_after_retry_after_and_stops_on_permanent_errors() {
    let throttled = r#"{"error":{"message":"Application request limit reached","type":"OAuthException","code":4}}"#;
    let fake = Fake::answering(vec![
        (429, vec![("retry-after", "0")], "{}"),
        (400, vec![], throttled),
        (200, vec![], r#"{"success":true}"#),
    ]);
    let base = fake.serve().await;
    let client = WhatsAppClient(GraphClient::new(quick(&base), "v27.0"));
    assert!(client.subscribe_app("102290129340398", &token()).await.unwrap());
    assert_eq!(fake.calls(), 3, "429, then Graph code 4, then success");

    let invalid = r#"{"error":{"message":"Invalid parameter","type":"OAuthException","code":100,"error_subcode":33,"fbtrace_id":"Az8"}}"#;
    let fake = Fake::answering(vec![(400, vec![], invalid)]);
    let client = WhatsAppClient(GraphClient::new(quick(&fake.serve().await), "v27.0"));
    let err = client.subscribe_app("1", &token()).await.unwrap_err();
    assert_eq!(fake.calls(), 1, "a permanent error is not retried");
    assert!(matches!(err, GraphError::Api { code: 100, subcode: Some(33), .. }), "{err:?}");
}

#[tokio::test]
async fn an_expired_token_asks_for_reauthorisation_and_gives_up_after_the_last_attempt() {
    let expired = r#"{"error":{"message":"Error validating access token","type":"OAuthException","code":190}}"#;
    let fake = Fake::answering(vec![(401, vec![], expired)]);
    let client = MarketingClient(GraphClient::new(quick(&fake.serve().await), "v27.0"));
    let err = client.ad_account("act_123", &token()).await.unwrap_err();
    assert!(err.needs_reauthorisation(), "{err:?}");
    assert_eq!(fake.calls(), 1);

    let fake = Fake::answering(vec![(503, vec![], "{}")]);
    let client = MarketingClient(GraphClient::new(quick(&fake.serve().await), "v27.0"));
    assert!(client.ad_account("123", &token()).await.is_err());
    assert_eq!(fake.calls(), 4, "the configured number of attempts");
}

#[tokio::test]
async fn reads_an_ad_account_by_its_act_id() {
    let body =
        r#"{"id":"act_123","name":"Tienda","currency":"MXN","timezone_name":"America/Mexico_City","account_status":1}"#;
    let fake = Fake::answering(vec![(200, vec![], body)]);
    let client = MarketingClient(GraphClient::new(quick(&fake.serve().await), "v27.0"));
    let account = client.ad_account("123", &token()).await.unwrap();
    assert_eq!((account.currency.as_str(), account.account_status), ("MXN", 1));
    assert!(fake.seen.lock().unwrap()[0].0.starts_with("/v27.0/act_123?"));
}

#[tokio::test]
async fn asks_claude_with_its_headers_and_retries_overload_but_not_the_spend_limit() {
    let answer = r#"{"id":"msg_1","type":"message","role":"assistant","content":[{"type":"text","text":"Budget moves to B."}],"stop_reason":"end_turn"}"#;
    let fake = Fake::answering(vec![
        (529, vec![], r#"{"type":"error","error":{"type":"overloaded_error"}}"#),
        (200, vec![], answer),
    ]);
    let base = fake.serve().await;
    let claude = AnthropicClient::new(quick(&base), SecretString::from("sk-ant-test"), "claude-test");
    assert_eq!(claude.complete("Be brief.", "Why?", 300).await.unwrap(), "Budget moves to B.");
    assert_eq!(fake.calls(), 2);
    {
        let seen = fake.seen.lock().unwrap();
        let (uri, headers, body) = &seen[1];
        assert_eq!(
            (uri.as_str(), &headers["x-api-key"], &headers["anthropic-version"]),
            (
                "/v1/messages",
                &"sk-ant-test".parse::<axum::http::HeaderValue>().unwrap(),
                &"2023-06-01".parse::<axum::http::HeaderValue>().unwrap()
            )
        );
        let body: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(body["model"], "claude-test");
        assert_eq!(body["messages"][0]["content"], "Why?");
    }

    let spend = r#"{"type":"error","error":{"type":"rate_limit_error","message":"You have reached your spend limit"}}"#;
    let fake = Fake::answering(vec![(429, vec![("retry-after", "0")], spend)]);
    let claude = AnthropicClient::new(quick(&fake.serve().await), SecretString::from("k"), "m");
    assert!(matches!(claude.complete("s", "u", 10).await, Err(AnthropicError::Api(_))));
    assert_eq!(fake.calls(), 1, "a spend limit is not retried");

    let fake = Fake::answering(vec![(200, vec![], r#"{"content":[{"type":"text","text":"  "}]}"#)]);
    let claude = AnthropicClient::new(quick(&fake.serve().await), SecretString::from("k"), "m");
    assert!(matches!(claude.complete("s", "u", 10).await, Err(AnthropicError::Empty)));
}
