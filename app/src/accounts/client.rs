//! The browser's half of a session: the access token and its expiry in localStorage (the seed's
//! promise), refreshed shortly before it expires, and removed — those two keys only — on sign-out.

use super::model::AccessGrant;
#[cfg(feature = "hydrate")]
use super::{ACCESS_EXPIRY_KEY, ACCESS_TOKEN_KEY};

/// Refresh this long before the access token expires.
pub const REFRESH_MARGIN_SECS: i64 = 60;

#[cfg(feature = "hydrate")]
fn storage() -> Option<web_sys::Storage> {
    leptos::prelude::window().local_storage().ok().flatten()
}

pub fn store_grant(grant: &AccessGrant) {
    store(&grant.access_token, grant.expires_at);
}

/// `store_grant` of an `AccessGrant` still in its JSON (a `PostForm`'s answer): only its two
/// fields are read, with the browser's `JSON.parse`, so the account pages' bundle needs no JSON
/// decoder of its own (issue 14). An answer without them stores nothing.
pub fn store_grant_json(json: &str) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsValue;
        let Ok(grant) = js_sys::JSON::parse(json) else { return };
        let field = |name: &str| js_sys::Reflect::get(&grant, &JsValue::from_str(name)).ok();
        let token = field("access_token").and_then(|v| v.as_string());
        let expires_at = field("expires_at").and_then(|v| v.as_f64());
        if let (Some(token), Some(expires_at)) = (token, expires_at) {
            store(&token, expires_at as i64);
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = json;
}

fn store(access_token: &str, expires_at: i64) {
    #[cfg(feature = "hydrate")]
    if let Some(s) = storage() {
        let _ = s.set_item(ACCESS_TOKEN_KEY, access_token);
        let _ = s.set_item(ACCESS_EXPIRY_KEY, &expires_at.to_string());
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (access_token, expires_at);
}

pub fn clear_session() {
    #[cfg(feature = "hydrate")]
    if let Some(s) = storage() {
        let _ = s.remove_item(ACCESS_TOKEN_KEY);
        let _ = s.remove_item(ACCESS_EXPIRY_KEY);
    }
}

/// Seconds until the stored access token should be refreshed (≤ 0: now; `None`: no token).
pub fn seconds_until_refresh() -> Option<i64> {
    #[cfg(feature = "hydrate")]
    {
        let s = storage()?;
        s.get_item(ACCESS_TOKEN_KEY).ok().flatten()?;
        let expires: i64 = s.get_item(ACCESS_EXPIRY_KEY).ok().flatten()?.parse().ok()?;
        let now = (js_sys_now() / 1000.0) as i64;
        Some(expires - REFRESH_MARGIN_SECS - now)
    }
    #[cfg(not(feature = "hydrate"))]
    None
}

#[cfg(feature = "hydrate")]
fn js_sys_now() -> f64 {
    leptos::prelude::window().performance().map(|p| p.time_origin() + p.now()).unwrap_or(0.0)
}

/// Keeps the access token fresh while the app is open: refreshes now if it is missing or about to
/// expire, then again shortly before each expiry. A failed refresh means the session ended.
pub fn keep_fresh(on_expired: impl Fn() + Clone + 'static) {
    #[cfg(feature = "hydrate")]
    {
        use leptos::prelude::*;
        let wait = seconds_until_refresh().unwrap_or(0).max(0);
        set_timeout(
            move || {
                leptos::task::spawn_local(async move {
                    match super::api::refresh_session().await {
                        Ok(grant) => {
                            store_grant(&grant);
                            keep_fresh(on_expired);
                        }
                        Err(_) => {
                            clear_session();
                            on_expired();
                        }
                    }
                });
            },
            std::time::Duration::from_secs(wait as u64),
        );
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = on_expired;
}
