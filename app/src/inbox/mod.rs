//! The WhatsApp inbox: conversations with contacts, their messages, and the connection that
//! carries them — shared types, server functions and pages.

pub mod model;
