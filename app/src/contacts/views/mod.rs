//! The contacts pages: the list (search, tag filter, sort, bulk actions, create) and a contact's
//! own page (fields, edit, opt-out, delete with undo).

mod detail;
mod fields;
mod import;
mod list;

pub use detail::ContactDetail;
pub use import::{ImportStart, ImportWizard};
pub use list::ContactList;
