//! Accounts, organisations and sessions: shared types and server-function declarations.

pub mod model;
