//! Accounts, organisations and sessions: shared types and server-function declarations.

pub mod api;
pub mod client;
pub mod members_api;
pub mod model;
#[cfg(feature = "ssr")]
pub mod port;
pub mod views;

/// Name of the HttpOnly cookie that carries the refresh token.
pub const REFRESH_COOKIE: &str = "adronx_refresh";
/// localStorage keys for the access token and its expiry (Unix seconds); cleared on sign-out.
pub const ACCESS_TOKEN_KEY: &str = "adronx_access_token";
pub const ACCESS_EXPIRY_KEY: &str = "adronx_access_expires";

/// Only local paths may be a `next` target, so a link cannot send a signed-in user elsewhere.
pub fn safe_next(next: &str) -> String {
    let local = next.starts_with('/') && !next.starts_with("//") && !next.contains('\\');
    if local { next.to_owned() } else { "/app".to_owned() }
}

#[cfg(test)]
mod tests {
    #[test]
    fn next_targets_stay_on_this_site() {
        assert_eq!(super::safe_next("/app/contacts"), "/app/contacts");
        for bad in ["//evil.example", "https://evil.example", "/\\evil.example", "javascript:alert(1)"] {
            assert_eq!(super::safe_next(bad), "/app", "{bad}");
        }
    }
}
