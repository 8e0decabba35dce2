//! How a server function's answer leaves: the session cookie, and the outcome of a form posted by
//! the hydrated page (data) or by a browser without JavaScript (a redirect back to its page).
//! The HTTP status of an error comes from the error itself (see the server's `api_status` layer).

use crate::accounts::REFRESH_COOKIE;
use crate::accounts::model::AccessGrant;
use crate::accounts::port::SessionStart;
use crate::error::AppError;
use crate::server::request::{internal, is_plain_form_post, referring_path};
use leptos::prelude::*;
use leptos_axum::ResponseOptions;
use tower_cookies::{Cookie, Cookies};

/// Sets the status of a server-rendered page (e.g. 404).
pub fn set_status(status: u16) {
    if let (Some(res), Ok(code)) = (use_context::<ResponseOptions>(), http::StatusCode::from_u16(status)) {
        res.set_status(code);
    }
}

/// Ends a server function that a form posts to. A hydrated page gets the result as data; a plain
/// HTML post (no JavaScript) is redirected back to its page with `?sent=FORM` or `?error=CODE`
/// and the form's anchor, so the server-rendered page can show the outcome.
pub fn finish_form(result: Result<(), impl Into<AppError>>, form: &str) -> Result<(), AppError> {
    let result = result.map_err(Into::into);
    if is_plain_form_post() {
        let query = match &result {
            Ok(()) => format!("sent={form}"),
            Err(e) => format!("error={}&form={form}", e.code),
        };
        leptos_axum::redirect(&format!("{}?{query}#{form}", referring_path()));
        return Ok(());
    }
    result
}

/// The request's cookie jar (tower-cookies' layer puts it on every request).
pub async fn cookies() -> Result<Cookies, AppError> {
    leptos_axum::extract::<Cookies>().await.map_err(internal)
}

/// The refresh token from the session cookie.
pub async fn session_cookie() -> Result<Option<String>, AppError> {
    Ok(cookies().await?.get(REFRESH_COOKIE).map(|c| c.value().to_owned()).filter(|v| !v.is_empty()))
}

fn secure() -> bool {
    use_context::<crate::PublicUrl>().is_some_and(|u| u.0.starts_with("https://"))
}

/// The HttpOnly refresh cookie: `Secure` behind https, `SameSite=Lax`, living as long as the
/// session family (an empty value with `Max-Age=0` removes it).
pub async fn set_session_cookie(value: String, max_age_secs: i64) -> Result<(), AppError> {
    let cookie = Cookie::build((REFRESH_COOKIE, value))
        .path("/")
        .http_only(true)
        .same_site(tower_cookies::cookie::SameSite::Lax)
        .secure(secure())
        .max_age(tower_cookies::cookie::time::Duration::seconds(max_age_secs.max(0)))
        .build();
    cookies().await?.add(cookie);
    Ok(())
}

/// Ends a sign-in style server function: sets the refresh cookie, and for a plain HTML form
/// redirects to `next` (success) or back with `?error=CODE&form=FORM` (failure).
pub async fn finish_session(
    result: Result<SessionStart, impl Into<AppError>>,
    next: &str,
    form: &str,
) -> Result<AccessGrant, AppError> {
    let plain = is_plain_form_post();
    match result.map_err(Into::into) {
        Ok(session) => {
            set_session_cookie(session.refresh_token, session.refresh_max_age).await?;
            if plain {
                leptos_axum::redirect(next);
            }
            Ok(session.grant)
        }
        Err(e) => {
            if plain {
                leptos_axum::redirect(&format!("{}?error={}&form={form}", referring_path(), e.code));
            }
            Err(e)
        }
    }
}
