//! `GET /api/me`: who the presented credential belongs to — for API clients checking a token,
//! and the smallest example of a plain route behind `Authenticated`.

use super::AppState;
use super::extract::Authenticated;
use axum::routing::get;
use axum::{Json, Router};

pub fn router() -> Router<AppState> {
    Router::new().route("/api/me", get(me))
}

async fn me(Authenticated(caller): Authenticated) -> Json<serde_json::Value> {
    Json(serde_json::json!({
        "user_id": caller.user_id,
        "org_id": caller.org_id,
        "role": caller.role,
    }))
}
