//! `GET /api/inbox/events`: live updates for an open inbox, as Server-Sent Events. Every change
//! to an organisation's inbox moves its clock in the store (`InboxStore::touch_inbox`), so a
//! change made on any instance reaches browsers attached to any other. The stream sends the
//! clock's value whenever it moves (and once on connecting); the page then reads again. A
//! dropped connection is re-opened by the browser with `Last-Event-ID`, and nothing can be lost:
//! the next value covers every change before it.

use super::AppState;
use super::extract::Authenticated;
use crate::storage::inbox::InboxStore;
use app::error::AppError;
use app::ids::OrgId;
use app::server::request;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::Stream;
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;

/// How often an open stream looks at the clock: changes reach the page within this (plus a read).
const POLL: Duration = Duration::from_millis(250);

pub fn router() -> Router<AppState> {
    Router::new().route("/api/inbox/events", get(events)).route("/api/inbox/media/{message}", get(media))
}

/// Types a browser may show in the page; anything else is downloaded as bytes.
const INLINE: [&str; 12] = [
    "image/jpeg",
    "image/png",
    "image/webp",
    "audio/aac",
    "audio/mp4",
    "audio/mpeg",
    "audio/amr",
    "audio/ogg",
    "audio/ogg; codecs=opus",
    "video/mp4",
    "video/3gpp",
    "text/plain",
];

/// `GET /api/inbox/media/{message id}`: a customer's file, to members of its organisation only
/// (another organisation's answers 404, like a missing one).
async fn media(
    State(state): State<AppState>,
    Authenticated(caller): Authenticated,
    Path(message): Path<String>,
) -> Result<Response, AppError> {
    let stored = state.store.whatsapp.media(&caller.org_id, &message).await.map_err(request::internal)?;
    let Some(file) = stored else { return Err(AppError::with_status("error-not-found", 404)) };
    let mime = file.mime_type.to_ascii_lowercase();
    let (content_type, disposition) = if INLINE.contains(&mime.as_str()) {
        (mime, "inline")
    } else {
        ("application/octet-stream".to_owned(), "attachment")
    };
    let safe = super::safe_filename(file.filename.as_deref().unwrap_or("file"));
    let headers = [
        (header::CONTENT_TYPE, content_type),
        (header::CONTENT_DISPOSITION, format!("{disposition}; filename=\"{safe}\"")),
        (header::CACHE_CONTROL, "private, max-age=86400".to_owned()),
        // Whatever a file holds, it runs nothing in our origin.
        (header::CONTENT_SECURITY_POLICY, "sandbox; default-src 'none'".to_owned()),
    ];
    Ok((headers, file.bytes).into_response())
}

struct Watch {
    store: Arc<dyn InboxStore>,
    org: OrgId,
    last: Option<i64>,
    stopping: watch::Receiver<bool>,
}

async fn events(
    State(state): State<AppState>,
    Authenticated(caller): Authenticated,
    headers: HeaderMap,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let last = headers.get("last-event-id").and_then(|v| v.to_str().ok()).and_then(|v| v.parse().ok());
    let watch = Watch { store: state.store.inbox.clone(), org: caller.org_id, last, stopping: state.stopping.clone() };
    let stream = futures_util::stream::unfold(watch, |mut w| async move {
        loop {
            if *w.stopping.borrow() {
                return None; // the server is shutting down: let the browser reconnect elsewhere
            }
            match w.store.inbox_version(&w.org).await {
                Ok(version) if Some(version) != w.last => {
                    w.last = Some(version);
                    let event = Event::default().id(version.to_string()).data(version.to_string());
                    return Some((Ok(event), w));
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "inbox events: the clock could not be read"),
            }
            tokio::select! {
                _ = tokio::time::sleep(POLL) => {}
                _ = w.stopping.changed() => return None,
            }
        }
    });
    Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}
