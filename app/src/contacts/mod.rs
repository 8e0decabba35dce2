//! Contacts: the organisation's customers — shared types, server functions and pages.

pub mod api;
pub mod import;
pub mod model;
#[cfg(feature = "ssr")]
pub mod port;
pub mod views;
