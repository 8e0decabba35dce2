//! Accounts, organisations and sessions: shared types and server-function declarations.

pub mod api;
pub mod model;

/// Name of the HttpOnly cookie that carries the refresh token.
pub const REFRESH_COOKIE: &str = "adronx_refresh";
/// localStorage keys for the access token and its expiry (Unix seconds); cleared on sign-out.
pub const ACCESS_TOKEN_KEY: &str = "adronx_access_token";
pub const ACCESS_EXPIRY_KEY: &str = "adronx_access_expires";
