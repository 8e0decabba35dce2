//! Accounts: password policy and hashing, session tokens, and the service behind sign-up,
//! sign-in, refresh and sign-out.

pub mod members;
pub mod password;
mod rules;
pub mod service;
pub mod session;
mod validate;

pub use members::MemberService;
pub use service::{AccountService, REFRESH_COOKIE};
