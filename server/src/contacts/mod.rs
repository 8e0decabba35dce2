//! Contacts: the organisation's customers — phone normalisation, the service behind the contacts
//! server functions, CSV import and export.

pub mod export;
pub mod import;
pub mod phone;
pub mod service;

pub use service::ContactService;
