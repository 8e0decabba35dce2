//! Meta's webhook payload for WhatsApp (`object: whatsapp_business_account`), as documented for
//! the Cloud API: entries of changes whose `value` carries the receiving number's `metadata`, the
//! senders' `contacts`, inbound `messages` and our messages' `statuses`. Everything optional is
//! optional here too: a delivery is read as far as it makes sense, never refused whole.

use app::inbox::model::{MediaKind, MediaState, MessageContent, MessageError, MessageStatus, Referral};
use serde::Deserialize;
use serde_json::Value;

#[derive(Debug, Deserialize)]
pub struct Delivery {
    pub object: String,
    #[serde(default)]
    pub entry: Vec<Entry>,
}

#[derive(Debug, Deserialize)]
pub struct Entry {
    /// The WhatsApp Business Account id.
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub changes: Vec<Change>,
}

#[derive(Debug, Deserialize)]
pub struct Change {
    #[serde(default)]
    pub field: String,
    pub value: Option<ChangeValue>,
}

#[derive(Debug, Deserialize)]
pub struct ChangeValue {
    pub metadata: Option<Metadata>,
    #[serde(default)]
    pub contacts: Vec<Sender>,
    #[serde(default)]
    pub messages: Vec<Value>,
    #[serde(default)]
    pub statuses: Vec<Value>,
}

#[derive(Debug, Deserialize)]
pub struct Metadata {
    #[serde(default)]
    pub display_phone_number: String,
    pub phone_number_id: String,
}

#[derive(Debug, Deserialize)]
pub struct Sender {
    pub wa_id: String,
    pub profile: Option<Profile>,
}

#[derive(Debug, Deserialize)]
pub struct Profile {
    #[serde(default)]
    pub name: String,
}

/// One inbound message, read from its JSON (each is read on its own: one malformed message does
/// not cost the others).
#[derive(Clone, Debug, PartialEq)]
pub struct Inbound {
    pub wamid: String,
    pub from: String,
    /// Unix seconds, as Meta sent it.
    pub timestamp: i64,
    pub content: MessageContent,
    pub context_wamid: Option<String>,
    pub referral: Option<Referral>,
}

/// A status of one of our messages.
#[derive(Clone, Debug, PartialEq)]
pub struct StatusUpdate {
    pub wamid: String,
    pub status: MessageStatus,
    pub timestamp: i64,
    pub error: Option<MessageError>,
}

fn text(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_owned)
}

/// Meta sends times as strings of Unix seconds.
fn seconds(v: &Value) -> Option<i64> {
    match v.get("timestamp")? {
        Value::String(s) => s.parse().ok(),
        Value::Number(n) => n.as_i64(),
        _ => None,
    }
}

impl Inbound {
    /// `None` when the message lacks what every message has (`id`, `from`, `timestamp`).
    pub fn read(v: &Value) -> Option<Inbound> {
        let kind = text(v, "type").unwrap_or_default();
        Some(Inbound {
            wamid: text(v, "id")?,
            from: text(v, "from")?,
            timestamp: seconds(v)?,
            content: content(&kind, v),
            context_wamid: v.get("context").and_then(|c| text(c, "id")),
            referral: v.get("referral").and_then(referral),
        })
    }
}

fn content(kind: &str, v: &Value) -> MessageContent {
    let body = v.get(kind);
    let read = || -> Option<MessageContent> {
        let body = body?;
        Some(match kind {
            "text" => MessageContent::Text { body: text(body, "body")? },
            "image" | "audio" | "video" | "document" | "sticker" => MessageContent::Media {
                kind: MediaKind::from_key(kind)?,
                media_id: text(body, "id")?,
                mime_type: text(body, "mime_type"),
                caption: text(body, "caption"),
                filename: text(body, "filename"),
                state: MediaState::Fetching,
            },
            "location" => MessageContent::Location {
                latitude: body.get("latitude")?.as_f64()?,
                longitude: body.get("longitude")?.as_f64()?,
                name: text(body, "name"),
                address: text(body, "address"),
            },
            "contacts" => MessageContent::Contacts {
                cards: body
                    .as_array()?
                    .iter()
                    .map(|card| {
                        let name = card.get("name").and_then(|n| text(n, "formatted_name")).unwrap_or_default();
                        let phones = card
                            .get("phones")
                            .and_then(Value::as_array)
                            .map(|p| p.iter().filter_map(|p| text(p, "phone")).collect())
                            .unwrap_or_default();
                        (name, phones)
                    })
                    .collect(),
            },
            "interactive" => {
                let reply = body.get("button_reply").or_else(|| body.get("list_reply"))?;
                MessageContent::Choice { id: text(reply, "id"), title: text(reply, "title")? }
            }
            // A template's quick-reply button.
            "button" => MessageContent::Choice { id: text(body, "payload"), title: text(body, "text")? },
            "reaction" => MessageContent::Reaction {
                to: text(body, "message_id")?,
                emoji: text(body, "emoji").unwrap_or_default(),
            },
            _ => return None,
        })
    };
    read().unwrap_or_else(|| MessageContent::Unsupported {
        kind: if kind.is_empty() { "unknown".into() } else { kind.into() },
    })
}

fn referral(v: &Value) -> Option<Referral> {
    Some(Referral {
        source_id: text(v, "source_id")?,
        source_type: text(v, "source_type").unwrap_or_else(|| "ad".into()),
        ctwa_clid: text(v, "ctwa_clid"),
        headline: text(v, "headline"),
    })
}

impl StatusUpdate {
    pub fn read(v: &Value) -> Option<StatusUpdate> {
        let status = match v.get("status")?.as_str()? {
            "sent" => MessageStatus::Sent,
            "delivered" => MessageStatus::Delivered,
            "read" => MessageStatus::Read,
            "failed" => MessageStatus::Failed,
            _ => return None,
        };
        let error = v.get("errors").and_then(Value::as_array).and_then(|e| e.first()).map(|e| MessageError {
            code: e.get("code").and_then(Value::as_i64).unwrap_or(0),
            title: text(e, "title").or_else(|| text(e, "message")).unwrap_or_default(),
            details: e.get("error_data").and_then(|d| text(d, "details")),
        });
        Some(StatusUpdate { wamid: text(v, "id")?, status, timestamp: seconds(v)?, error })
    }
}

#[cfg(test)]
mod tests;
