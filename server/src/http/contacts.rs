//! The contacts routes that are not server functions: the CSV upload (multipart, streamed to
//! disk), the rejected-rows report and the export (downloads, streamed).

use super::AppState;
use super::extract::Authenticated;
use crate::contacts::export;
use crate::storage::contacts::{ContactFilter, Cursor};
use app::accounts::model::Role;
use app::contacts::model::ContactSort;
use app::error::AppError;
use app::i18n::Lang;
use axum::body::Body;
use axum::extract::{Multipart, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;

/// Path of the upload, which alone takes multipart bodies (up to the import's size limit).
pub const UPLOAD_PATH: &str = "/api/contacts/import/upload";

pub fn router() -> Router<AppState> {
    Router::new()
        .route(UPLOAD_PATH, post(upload))
        .route("/api/contacts/import/rejected", get(rejected))
        .route("/api/contacts/export", get(export_contacts))
}

fn wants_html(headers: &HeaderMap) -> bool {
    headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|a| a.contains("text/html"))
}

/// The language of the caller's browser, for translated downloads.
fn lang(headers: &HeaderMap) -> Lang {
    headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).map(Lang::negotiate).unwrap_or(Lang::En)
}

fn region(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::ACCEPT_LANGUAGE)?.to_str().ok()?;
    app::server::request::region_of(value)
}

/// `POST /api/contacts/import/upload`: the multipart field `file`. JSON clients get the import
/// (encoding, delimiter, preview, suggested mapping); a plain form goes on to the mapping step.
async fn upload(
    State(state): State<AppState>,
    Authenticated(caller): Authenticated,
    headers: HeaderMap,
    mut form: Multipart,
) -> Response {
    let html = wants_html(&headers);
    let result = async {
        while let Some(field) = form.next_field().await.map_err(|_| AppError::with_status("error-bad-request", 400))? {
            if field.name() != Some("file") {
                continue;
            }
            let name = field.file_name().unwrap_or("contacts.csv").to_owned();
            return Ok(state.imports.upload(&caller, &name, field, region(&headers)).await?);
        }
        Err(AppError::invalid("error-import-empty"))
    }
    .await;
    match (result, html) {
        (Ok(import), false) => Json(import).into_response(),
        (Ok(import), true) => Redirect::to(&format!("/app/contacts/import/{}", import.id)).into_response(),
        (Err(e), true) => Redirect::to(&format!("/app/contacts/import?error={}", e.code)).into_response(),
        (Err(e), false) => e.into_response(),
    }
}

#[derive(Deserialize)]
struct ImportId {
    id: String,
}

/// `GET /api/contacts/import/rejected?id=…`: the rejected rows with their reasons, as CSV.
async fn rejected(
    State(state): State<AppState>,
    Authenticated(caller): Authenticated,
    headers: HeaderMap,
    Query(ImportId { id }): Query<ImportId>,
) -> Result<Response, AppError> {
    let (name, bytes) = state.imports.rejected_csv(&caller, &id, lang(&headers)).await?;
    Ok(attachment(&name, "text/csv; charset=utf-8", Body::from(bytes)))
}

pub(super) fn attachment(name: &str, content_type: &str, body: Body) -> Response {
    let safe = super::safe_filename(name);
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{safe}\"")),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        body,
    )
        .into_response()
}

#[derive(Deserialize)]
struct ExportQuery {
    format: Option<String>,
    search: Option<String>,
    tag: Option<String>,
}

/// `GET /api/contacts/export?format=csv|json&search=&tag=`: every live contact matching the
/// filter (all without one), streamed a page at a time — never the whole list in memory.
async fn export_contacts(
    State(state): State<AppState>,
    Authenticated(caller): Authenticated,
    headers: HeaderMap,
    Query(q): Query<ExportQuery>,
) -> Result<Response, AppError> {
    if caller.role == Role::Member {
        return Err(AppError::with_status("error-forbidden", 403));
    }
    let json = match q.format.as_deref().unwrap_or("csv") {
        "csv" => false,
        "json" => true,
        _ => return Err(AppError::invalid("error-bad-request")),
    };
    let country = state.imports.service.country(&caller.org_id, region(&headers)).await?;
    let filter = ContactFilter {
        search: crate::contacts::service::search_key(q.search.as_deref().unwrap_or(""), &country),
        tag: q.tag.filter(|t| !t.trim().is_empty()),
        sort: ContactSort::Name,
    };
    let store = state.store.contacts.clone();
    let org = caller.org_id.clone();
    // (cursor of the next page, pages written, finished)
    let pages = futures_util::stream::unfold((None::<Cursor>, 0usize, false), move |(after, n, done)| {
        let (store, org, filter) = (store.clone(), org.clone(), filter.clone());
        async move {
            if done {
                return None;
            }
            let page = match store.list_contacts(&org, &filter, after.as_ref(), 1000).await {
                Ok(page) => page,
                Err(e) => {
                    tracing::error!(error = %e, "export stopped");
                    return Some((Err(std::io::Error::other("export stopped")), (None, n, true)));
                }
            };
            let last = page.len() < 1000;
            let next = page.last().map(|c| c.cursor(ContactSort::Name));
            let chunk = if json { export::json_chunk(page, n == 0, last) } else { export::csv_chunk(page, n == 0) };
            Some((Ok::<_, std::io::Error>(chunk), (next, n + 1, last)))
        }
    });
    let (name, content_type) =
        if json { ("contacts.json", "application/json") } else { ("contacts.csv", "text/csv; charset=utf-8") };
    Ok(attachment(name, content_type, Body::from_stream(pages)))
}
