//! The WhatsApp inbox: conversations with contacts, their messages, and the connection that
//! carries them — shared types, server functions and pages.

pub mod api;
pub mod model;
#[cfg(feature = "ssr")]
pub mod port;
pub mod templates;
pub mod views;
