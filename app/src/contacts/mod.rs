//! Contacts: the organisation's customers — shared types, server functions and pages.

pub mod model;
