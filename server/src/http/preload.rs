//! What a page shows before it renders: loaded here and put on the request, where the page reads
//! it synchronously (and leptos sends it to the browser with the page, in a `SharedValue`).
//! A page that awaited it in a `Suspense` instead was built twice on the server, with every
//! resource inside it (see `app::AppFrame`), and its bundle carried the async machinery (see
//! `app::InvitationPage`). Every other request passes untouched.

use super::AppState;
use app::accounts::REFRESH_COOKIE;
use app::accounts::port::Credential;
use app::error::AppError;
use app::server::auth::Preauthenticated;
use app::server::request::same_origin;
use app::{AppFrame, InvitationPage};
use axum::extract::{Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::Response;

pub async fn preload(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    if req.method() == Method::GET {
        let path = req.uri().path();
        if path == "/app" || path.starts_with("/app/") {
            let ours = same_origin(req.headers(), &state.config.public_url);
            let cookies = req.extensions().get::<tower_cookies::Cookies>();
            let cookie = cookies.and_then(|c| c.get(REFRESH_COOKIE)).map(|c| c.value().to_owned());
            let (frame, authenticated) = app_frame(&state, cookie.filter(|_| ours)).await;
            req.extensions_mut().insert(frame);
            if let Some(authenticated) = authenticated {
                req.extensions_mut().insert(authenticated);
            }
        } else if path == "/invite" {
            let query = axum::extract::Query::<std::collections::HashMap<String, String>>::try_from_uri(req.uri());
            let token = query.ok().and_then(|q| q.0.get("token").cloned()).unwrap_or_default();
            let page = invitation(&state, &token).await;
            req.extensions_mut().insert(page);
        }
    }
    next.run(req).await
}

/// The signed-in app's frame, from the session cookie (which, as for `current_viewer` and
/// `inbox_summary`, a request from another site does not get to use), and the session it was
/// authenticated with, for the page's server functions.
async fn app_frame(state: &AppState, cookie: Option<String>) -> (AppFrame, Option<Preauthenticated>) {
    let Some(session) = cookie.filter(|v| !v.is_empty()) else { return (AppFrame::SignedOut, None) };
    let accounts = &state.services.accounts;
    let Ok(caller) = accounts.authenticate(Credential::Session(session.clone())).await else {
        return (AppFrame::SignedOut, None);
    };
    let Ok(Some(viewer)) = accounts.viewer(&caller).await else { return (AppFrame::SignedOut, None) };
    // The count and the banner are extras: without them the page still works.
    let summary = state.services.inbox.summary(&caller).await.unwrap_or_default();
    (AppFrame::SignedIn(viewer, summary), Some(Preauthenticated { session, caller }))
}

/// The invitation the page's token opens, or why it opens none.
async fn invitation(state: &AppState, token: &str) -> InvitationPage {
    match state.services.members.preview(token).await {
        Ok(found) => InvitationPage::Found(found),
        Err(e) => InvitationPage::Refused(AppError::from(e).code),
    }
}
