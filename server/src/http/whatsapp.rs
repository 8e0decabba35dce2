//! `GET/POST /webhooks/whatsapp`: one URL for every organisation, as Meta configures one per app.
//! GET is Meta's verification handshake; POST takes signed deliveries, stores them and answers
//! 200 at once (processing runs in background jobs, routed by the receiving number).

use super::AppState;
use crate::whatsapp::signature::{self, SignatureError};
use app::error::AppError;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use secrecy::ExposeSecret;
use serde::Deserialize;

pub const WEBHOOK_PATH: &str = "/webhooks/whatsapp";

pub fn router() -> Router<AppState> {
    Router::new().route(WEBHOOK_PATH, get(handshake).post(receive))
}

#[derive(Deserialize)]
struct Handshake {
    #[serde(rename = "hub.mode")]
    mode: Option<String>,
    #[serde(rename = "hub.verify_token")]
    verify_token: Option<String>,
    #[serde(rename = "hub.challenge")]
    challenge: Option<String>,
}

/// Byte strings equal, in time independent of where they differ.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Echoes `hub.challenge` when Meta presents our verify token.
async fn handshake(State(state): State<AppState>, Query(h): Query<Handshake>) -> Response {
    let expected = state.secrets.whatsapp_verify_token.expose_secret().as_bytes();
    match (h.mode.as_deref(), h.verify_token, h.challenge) {
        (Some("subscribe"), Some(token), Some(challenge)) if same(token.as_bytes(), expected) => {
            ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], challenge).into_response()
        }
        _ => AppError::with_status("error-webhook-verify-token", 403).into_response(),
    }
}

async fn receive(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let given = headers.get(signature::HEADER).and_then(|v| v.to_str().ok());
    match signature::verify(&state.secrets.whatsapp_app_secret, given, &body) {
        Ok(()) => {}
        Err(SignatureError::Missing) => return AppError::with_status("error-webhook-unsigned", 401).into_response(),
        Err(SignatureError::Wrong) => return AppError::with_status("error-webhook-signature", 403).into_response(),
    }
    match state.deliveries.accept(&body).await {
        Ok(id) => {
            tracing::debug!(delivery = %id, bytes = body.len(), "webhook delivery stored");
            // The id lets an operator (and the tests) find what became of the delivery.
            (StatusCode::OK, [("x-delivery-id", id)]).into_response()
        }
        // Meta retries a delivery that was not acknowledged: nothing is lost by a 500.
        Err(e) => app::server::request::internal(e).into_response(),
    }
}
