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
/// Browsers drop tabs and newlines from URLs and read `\\` as `/`, so `/\t/evil.example` or
/// `/\\evil.example` would leave the site; a percent-encoded slash or backslash is refused too,
/// whatever later decodes it.
pub fn safe_next(next: &str) -> String {
    let local = |p: &str| {
        p.starts_with('/')
            && !p.starts_with("//")
            && !p.chars().any(|c| c == '\\' || c.is_control() || c.is_whitespace())
    };
    let lower = next.to_ascii_lowercase();
    let encoded_separator = lower.contains("%2f")
        || lower.contains("%5c")
        || lower.contains("%09")
        || lower.contains("%0a")
        || lower.contains("%0d");
    if local(next) && !encoded_separator { next.to_owned() } else { "/app".to_owned() }
}

#[cfg(test)]
mod tests {
    #[test]
    fn next_targets_stay_on_this_site() {
        assert_eq!(super::safe_next("/app/contacts"), "/app/contacts");
        assert_eq!(super::safe_next("/app/settings?sent=password#members"), "/app/settings?sent=password#members");
        for bad in [
            "//evil.example",
            "https://evil.example",
            "/\\evil.example",
            "javascript:alert(1)",
            "/\t/evil.example",
            "/\n/evil.example",
            "/ /evil.example",
            "/%2F/evil.example",
            "/%2f%2fevil.example",
            "/%5Cevil.example",
            "/%09/evil.example",
            "\\\\evil.example",
            "evil.example",
            "",
        ] {
            assert_eq!(super::safe_next(bad), "/app", "{bad}");
        }
    }
}
