//! Quick replies: an organisation's saved answers, each with a shortcut. Admins and owners keep
//! them; every member uses them, picked in the reply box or typed as `/shortcut` (expanded here,
//! so a plain form and an API client get the same).

use crate::storage::whatsapp::QuickReplyRecord;
use crate::storage::{StoreError, Stores};
use app::accounts::model::Caller;
use app::inbox::model::QuickReply;
use app::inbox::port::InboxError;
use time::OffsetDateTime;

const MAX_SHORTCUT: usize = 32;

fn view(r: QuickReplyRecord) -> QuickReply {
    QuickReply { id: r.id, shortcut: r.shortcut, text: r.text }
}

/// `/Envío-Rápido` → `envío-rápido`: lower case letters (any script), digits, `-` and `_`.
pub fn shortcut(raw: &str) -> Result<String, InboxError> {
    let s = raw.trim().trim_start_matches('/').to_lowercase();
    let valid = (1..=MAX_SHORTCUT).contains(&s.chars().count())
        && s.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '_');
    if valid { Ok(s) } else { Err(InboxError::Invalid("error-quick-reply-shortcut")) }
}

pub async fn list(stores: &Stores, caller: &Caller) -> Result<Vec<QuickReply>, InboxError> {
    let found = stores.whatsapp.quick_replies(&caller.org_id).await.map_err(InboxError::internal)?;
    Ok(found.into_iter().map(view).collect())
}

pub async fn save(
    stores: &Stores,
    caller: &Caller,
    id: Option<String>,
    raw_shortcut: &str,
    text: &str,
) -> Result<QuickReply, InboxError> {
    if !caller.role.can_manage_members() {
        return Err(InboxError::Forbidden);
    }
    let shortcut = shortcut(raw_shortcut)?;
    let text = text.trim();
    if text.is_empty() || text.chars().count() > super::inbox::MAX_TEXT {
        return Err(InboxError::Invalid("error-quick-reply-text"));
    }
    if let Some(id) = &id
        && !list(stores, caller).await?.iter().any(|r| &r.id == id)
    {
        return Err(InboxError::NotFound);
    }
    let record = QuickReplyRecord {
        id: id.unwrap_or_else(|| uuid::Uuid::now_v7().to_string()),
        org_id: caller.org_id.clone(),
        shortcut,
        text: text.to_owned(),
        updated_at: OffsetDateTime::now_utc(),
    };
    match stores.whatsapp.save_quick_reply(&record).await {
        Ok(()) => Ok(view(record)),
        Err(StoreError::Duplicate) => Err(InboxError::ShortcutTaken),
        Err(e) => Err(InboxError::internal(e)),
    }
}

pub async fn delete(stores: &Stores, caller: &Caller, id: &str) -> Result<(), InboxError> {
    if !caller.role.can_manage_members() {
        return Err(InboxError::Forbidden);
    }
    match stores.whatsapp.remove_quick_reply(&caller.org_id, id).await.map_err(InboxError::internal)? {
        true => Ok(()),
        false => Err(InboxError::NotFound),
    }
}

/// A reply that is exactly `/shortcut` of a quick reply becomes its text; anything else stays.
pub async fn expand(stores: &Stores, caller: &Caller, text: &str) -> Result<String, InboxError> {
    let text = text.trim();
    if !text.starts_with('/') || text.chars().any(char::is_whitespace) {
        return Ok(text.to_owned());
    }
    let Ok(wanted) = shortcut(text) else { return Ok(text.to_owned()) };
    let found = list(stores, caller).await?.into_iter().find(|r| r.shortcut == wanted);
    Ok(found.map_or_else(|| text.to_owned(), |r| r.text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortcuts_are_lower_case_words_without_the_slash() {
        assert_eq!(shortcut(" /Envío_Rápido ").unwrap(), "envío_rápido");
        assert_eq!(shortcut("شحن").unwrap(), "شحن");
        for bad in ["", "/", "two words", "a/b", "emoji😀", &"x".repeat(33)] {
            assert!(shortcut(bad).is_err(), "{bad:?}");
        }
    }
}
