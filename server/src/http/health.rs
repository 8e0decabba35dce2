//! Health probes: `/healthz` (the process is up) and `/readyz` (its store answers).

use super::AppState;
use app::error::AppError;
use axum::Router;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::routing::get;

pub fn router() -> Router<AppState> {
    Router::new().route("/healthz", get(healthz)).route("/readyz", get(readyz))
}

/// The process is up.
async fn healthz() -> &'static str {
    "ok"
}

/// The process can serve: its store answers.
async fn readyz(State(state): State<AppState>, headers: HeaderMap) -> Result<&'static str, AppError> {
    state.store.health.ping().await.map(|()| "ready").map_err(|e| {
        tracing::warn!(error = %e, "store not ready");
        let request_id = headers.get("x-request-id").and_then(|v| v.to_str().ok()).map(str::to_owned);
        AppError { request_id, ..AppError::with_status("error-unavailable", 503) }
    })
}
