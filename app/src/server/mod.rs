//! Request plumbing for server functions and server rendering (the whole module is `ssr`-only):
//! the request context, who is calling, and how an answer leaves.

pub mod auth;
pub mod request;
pub mod respond;
pub mod scope;
pub mod services;

pub use auth::caller;
pub use services::{Services, services};
