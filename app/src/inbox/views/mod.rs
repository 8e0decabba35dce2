//! The inbox's pages: `/app/inbox` (conversations and the open one) and the WhatsApp section of
//! Settings.

mod connection;
mod conversation;
mod list;
mod quick_replies;
mod template;

pub use connection::WhatsAppSettings;
pub use list::{InboxPage, status_key};
pub use quick_replies::QuickReplySettings;

use crate::i18n::I18n;

/// A conversation's preview in the reader's language (see `model::preview_key`).
pub fn preview_text(i18n: I18n, preview: &str) -> Option<String> {
    let text = match crate::inbox::model::preview_key(preview) {
        Some(key) => i18n.t(key),
        None => preview.to_owned(),
    };
    crate::text::non_empty(text)
}

/// A failure's reason: ours are translation keys, Meta's are shown as Meta wrote them.
pub fn reason_text(i18n: I18n, title: &str) -> String {
    if title.starts_with("error-") { i18n.t(title) } else { title.to_owned() }
}

/// `14:05`: in the browser's time zone once `local` (after hydration), in UTC before — the server
/// cannot know the viewer's zone, and the first render must match it.
pub fn clock(ms: i64, local: bool) -> String {
    let secs = ms.div_euclid(1000) + if local { local_offset_minutes(ms) * 60 } else { 0 };
    let minutes = secs.div_euclid(60);
    format!("{:02}:{:02}", minutes.div_euclid(60).rem_euclid(24), minutes.rem_euclid(60))
}

/// The day a time falls on (for day separators), as `YYYY-MM-DD`, zoned like [`clock`].
pub fn day(ms: i64, local: bool) -> String {
    crate::text::civil_date(ms.div_euclid(1000) + if local { local_offset_minutes(ms) * 60 } else { 0 })
}

#[cfg(feature = "hydrate")]
fn local_offset_minutes(ms: i64) -> i64 {
    -(web_sys::js_sys::Date::new(&web_sys::wasm_bindgen::JsValue::from_f64(ms as f64)).get_timezone_offset() as i64)
}

#[cfg(not(feature = "hydrate"))]
fn local_offset_minutes(_ms: i64) -> i64 {
    0
}

/// A file's size for people: `850 KB`, `3.4 MB`.
pub fn size(bytes: u64) -> String {
    match bytes {
        0..1_000 => format!("{bytes} B"),
        1_000..1_000_000 => format!("{} KB", bytes.div_ceil(1_000)),
        _ => format!("{:.1} MB", bytes as f64 / 1e6),
    }
}
