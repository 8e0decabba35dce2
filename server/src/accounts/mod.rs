//! Accounts: password policy and hashing, session tokens, and the service behind sign-up,
//! sign-in, refresh and sign-out.

pub mod password;
pub mod service;
pub mod session;
mod validate;

pub use service::{AccountService, REFRESH_COOKIE};
