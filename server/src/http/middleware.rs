//! Middleware every response passes through: request logging, HTTPS enforcement, security headers.

use super::AppState;
use app::error::AppError;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use std::time::Instant;
use tracing::Instrument;

/// A client may pass its own `X-Request-Id` (to correlate its logs with ours) only as a short token
/// of safe characters; anything else is dropped here and the next layer makes a fresh id, so no
/// client text reaches our log lines or headers as an id.
pub async fn sanitize_request_id(mut req: Request, next: Next) -> Response {
    let acceptable = req.headers().get("x-request-id").is_none_or(|v| {
        let v = v.as_bytes();
        !v.is_empty() && v.len() <= 64 && v.iter().all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(b))
    });
    if !acceptable {
        req.headers_mut().remove("x-request-id");
    }
    next.run(req).await
}

/// One span per request carrying its id; the path is logged, never the query (it may hold tokens).
pub async fn trace_request(req: Request, next: Next) -> Response {
    let id = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("-").to_owned();
    let span = tracing::info_span!("request", request_id = %id, method = %req.method(), path = %req.uri().path());
    let started = Instant::now();
    async move {
        let res = next.run(req).await;
        tracing::info!(status = res.status().as_u16(), ms = started.elapsed().as_millis() as u64, "served");
        res
    }
    .instrument(span)
    .await
}

/// Behind a TLS-terminating proxy with an https public URL: browsers' plain-http GETs are sent to
/// the https address (built from configuration, never from the Host header); other plain-http
/// requests are refused, since redirecting a POST would resend its body in the clear.
pub async fn https_only(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if state.config.is_https() && forwarded_proto_is_http(req.headers()) {
        if matches!(*req.method(), Method::GET | Method::HEAD) {
            let path = req.uri().path_and_query().map(|p| p.as_str()).unwrap_or("/");
            return Redirect::permanent(&format!("{}{path}", state.config.public_url)).into_response();
        }
        return (StatusCode::FORBIDDEN, "HTTPS is required").into_response();
    }
    next.run(req).await
}

fn forwarded_proto_is_http(headers: &HeaderMap) -> bool {
    headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(',').next())
        .is_some_and(|proto| proto.trim().eq_ignore_ascii_case("http"))
}

/// A strict policy for responses that did not set their own (pages set one with their nonce).
const DEFAULT_CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
     img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

pub async fn security_headers(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    let set = |h: &mut HeaderMap, name: header::HeaderName, value: &'static str| {
        h.entry(name).or_insert(HeaderValue::from_static(value));
    };
    set(h, header::CONTENT_SECURITY_POLICY, DEFAULT_CSP);
    set(h, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(h, header::X_FRAME_OPTIONS, "DENY");
    set(h, header::REFERRER_POLICY, "strict-origin-when-cross-origin");
    set(h, header::HeaderName::from_static("cross-origin-opener-policy"), "same-origin");
    set(h, header::HeaderName::from_static("permissions-policy"), "camera=(), microphone=(), geolocation=()");
    if state.config.is_https() {
        set(h, header::STRICT_TRANSPORT_SECURITY, "max-age=31536000; includeSubDomains");
    }
    res
}

/// Largest request body the form-posting API accepts. (Webhooks, which carry up to 3 MB, will get
/// their own limit on their own route.)
pub const API_BODY_LIMIT: usize = 64 * 1024;

/// Server functions take url-encoded forms only: anything else (JSON objects that could smuggle
/// operators like `{"$ne": null}`, multipart, …) is refused before it is parsed, and so are bodies
/// over the limit.
pub async fn api_input(req: Request, next: Next) -> Response {
    if req.method() == Method::POST && req.uri().path() == super::contacts::UPLOAD_PATH {
        let multipart = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("multipart/form-data"));
        if !multipart {
            return AppError::with_status("error-unsupported-media-type", 415).into_response();
        }
        let length: Option<u64> =
            req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse().ok());
        if length.is_some_and(|l| l > crate::contacts::import::MAX_FILE + 64 * 1024) {
            return unread("error-import-too-large");
        }
        return next.run(req).await;
    }
    if req.method() == Method::POST && req.uri().path().starts_with("/api/") {
        let headers = req.headers();
        let form = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.split(';').next().is_some_and(|t| t.trim() == "application/x-www-form-urlencoded"));
        let length: Option<usize> =
            headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse().ok());
        // Calls without arguments (refresh, sign-out…) send no body at all, hence no type.
        let empty = length == Some(0) || (length.is_none() && !headers.contains_key(header::TRANSFER_ENCODING));
        if !form && !empty {
            return AppError::with_status("error-unsupported-media-type", 415).into_response();
        }
        if length.is_some_and(|l| l > API_BODY_LIMIT) {
            return unread("error-too-large");
        }
    }
    next.run(req).await
}

/// A 413 sent before the body is read. The connection closes after it (the unread body is still
/// on the wire), and `Connection: close` tells the client so: without it a client that pools
/// connections sends its next request down the closing one and sees it cut.
fn unread(code: &'static str) -> Response {
    let mut res = AppError::with_status(code, 413).into_response();
    res.headers_mut().insert(header::CONNECTION, header::HeaderValue::from_static("close"));
    res
}

/// server_fn answers every error with 500; the error itself carries its status
/// (`AppError::status`), which this applies — one place, instead of every server function.
pub async fn api_status(req: Request, next: Next) -> Response {
    let api = req.uri().path().starts_with("/api/");
    let res = next.run(req).await;
    if !api || res.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, API_BODY_LIMIT).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    if let Ok(error) = serde_json::from_slice::<AppError>(&bytes)
        && let Ok(status) = StatusCode::from_u16(error.status)
    {
        parts.status = status;
        if let Some(secs) = error.retry_after {
            parts.headers.insert(axum::http::header::RETRY_AFTER, secs.into());
        }
    }
    Response::from_parts(parts, axum::body::Body::from(bytes))
}
