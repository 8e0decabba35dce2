//! The inbox as the browser and the server functions see it: WhatsApp conversations, their
//! messages, and a message's way from pending to read.

use serde::{Deserialize, Serialize};

/// Where a message stands. Outbound messages move only forward: pending → sent → delivered →
/// read; `failed` replaces pending or sent (Meta reports it instead of a delivery).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageStatus {
    /// A customer's message, as received.
    Received,
    /// Ours, queued, not yet accepted by Meta.
    Pending,
    Sent,
    Delivered,
    Read,
    Failed,
}

impl MessageStatus {
    pub const ALL: [MessageStatus; 6] = [
        MessageStatus::Received,
        MessageStatus::Pending,
        MessageStatus::Sent,
        MessageStatus::Delivered,
        MessageStatus::Read,
        MessageStatus::Failed,
    ];

    pub fn key(self) -> &'static str {
        match self {
            MessageStatus::Received => "received",
            MessageStatus::Pending => "pending",
            MessageStatus::Sent => "sent",
            MessageStatus::Delivered => "delivered",
            MessageStatus::Read => "read",
            MessageStatus::Failed => "failed",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.key() == key)
    }

    /// The order statuses may only climb. `failed` ranks above read, but stores apply it only
    /// over pending or sent (see [`MessageStatus::may_follow`]).
    pub fn rank(self) -> i64 {
        match self {
            MessageStatus::Received | MessageStatus::Pending => 0,
            MessageStatus::Sent => 1,
            MessageStatus::Delivered => 2,
            MessageStatus::Read => 3,
            MessageStatus::Failed => 4,
        }
    }

    /// Whether `self` may replace `current`: forward only, and a failure only before delivery.
    pub fn may_follow(self, current: MessageStatus) -> bool {
        self.rank() > current.rank() && (self != MessageStatus::Failed || current.rank() <= 1)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    In,
    Out,
}

impl Direction {
    pub fn key(self) -> &'static str {
        match self {
            Direction::In => "in",
            Direction::Out => "out",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        [Direction::In, Direction::Out].into_iter().find(|d| d.key() == key)
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConversationStatus {
    #[default]
    Open,
    Pending,
    Resolved,
}

impl ConversationStatus {
    pub fn key(self) -> &'static str {
        match self {
            ConversationStatus::Open => "open",
            ConversationStatus::Pending => "pending",
            ConversationStatus::Resolved => "resolved",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        [ConversationStatus::Open, ConversationStatus::Pending, ConversationStatus::Resolved]
            .into_iter()
            .find(|s| s.key() == key)
    }
}

/// Kinds of media a message can carry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MediaKind {
    Image,
    Audio,
    Video,
    Document,
    Sticker,
}

impl MediaKind {
    pub fn from_key(key: &str) -> Option<Self> {
        match key {
            "image" => Some(MediaKind::Image),
            "audio" => Some(MediaKind::Audio),
            "video" => Some(MediaKind::Video),
            "document" => Some(MediaKind::Document),
            "sticker" => Some(MediaKind::Sticker),
            _ => None,
        }
    }
}

/// A customer's file on its way into the organisation's media store.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum MediaState {
    /// Not fetched yet.
    #[default]
    Fetching,
    /// Kept, `bytes` long: members open it at `/api/inbox/media/{message id}`.
    Stored { bytes: u64 },
    /// Not kept: a translation key saying why (too large, gone from Meta…).
    Failed { reason: String },
}

/// What a message says, by WhatsApp message type.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum MessageContent {
    Text {
        body: String,
    },
    Media {
        kind: MediaKind,
        /// Meta's media id (fetched through the Graph API, then kept in our media store).
        media_id: String,
        mime_type: Option<String>,
        caption: Option<String>,
        filename: Option<String>,
        /// Whether we have the file yet (a job fetches it from Meta after the message arrives).
        #[serde(default)]
        state: MediaState,
    },
    Location {
        latitude: f64,
        longitude: f64,
        name: Option<String>,
        address: Option<String>,
    },
    /// Shared contact cards: each card's name and its phone numbers.
    Contacts {
        cards: Vec<(String, Vec<String>)>,
    },
    /// A tap on one of our buttons or list rows (interactive replies and template quick replies).
    Choice {
        id: Option<String>,
        title: String,
    },
    /// An emoji reaction to the message `to` (a wamid); an empty emoji takes it back.
    Reaction {
        to: String,
        emoji: String,
    },
    /// A template we sent: its body as filled in, and the values that filled it.
    Template {
        name: String,
        language: String,
        body: String,
        #[serde(default)]
        params: Vec<String>,
    },
    /// A type we do not show yet (kept, never dropped).
    Unsupported {
        kind: String,
    },
}

impl MessageContent {
    /// The line a conversation list shows for its last message.
    pub fn preview(&self) -> String {
        let text = match self {
            MessageContent::Text { body } => body.clone(),
            MessageContent::Media { caption: Some(c), .. } if !c.is_empty() => c.clone(),
            MessageContent::Media { kind, .. } => format!("[inbox-media-{kind:?}]").to_lowercase(),
            MessageContent::Location { name, .. } => name.clone().unwrap_or_else(|| "[inbox-location]".into()),
            MessageContent::Contacts { cards } => {
                cards.first().map(|(n, _)| n.clone()).unwrap_or_else(|| "[inbox-shared-contact]".into())
            }
            MessageContent::Choice { title, .. } => title.clone(),
            MessageContent::Reaction { emoji, .. } => emoji.clone(),
            MessageContent::Template { body, .. } => body.clone(),
            MessageContent::Unsupported { .. } => "[inbox-unsupported-preview]".into(),
        };
        crate::text::truncate_chars(&text, 120)
    }
}

/// The preview of a message with no text of its own is a translation key in brackets (stored
/// once, shown in each reader's language); `Some(key)` for those.
pub fn preview_key(preview: &str) -> Option<&str> {
    preview.strip_prefix('[')?.strip_suffix(']').filter(|k| k.starts_with("inbox-"))
}

/// A failed message's reason: Meta's code and title, or ours (code 0 or 190) with a translation
/// key as its title.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageError {
    pub code: i64,
    pub title: String,
    pub details: Option<String>,
}

/// The click-to-WhatsApp ad that started a conversation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Referral {
    /// The ad's id (`source_type` "ad") or the post's.
    pub source_id: String,
    pub source_type: String,
    pub ctwa_clid: Option<String>,
    pub headline: Option<String>,
}

/// A stored key that is none of ours.
#[derive(Debug, thiserror::Error)]
#[error("unknown {0} {1:?}")]
pub struct UnknownKey(&'static str, String);

macro_rules! from_text {
    ($($t:ident),*) => {$(
        impl TryFrom<String> for $t {
            type Error = UnknownKey;

            fn try_from(s: String) -> Result<Self, UnknownKey> {
                $t::from_key(&s).ok_or(UnknownKey(stringify!($t), s))
            }
        }
    )*};
}

from_text!(MessageStatus, ConversationStatus, Direction);

/// The organisation's WhatsApp number as Settings shows it (the token never leaves the server).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConnectionView {
    /// `meta` or `sandbox`.
    pub kind: String,
    pub waba_id: String,
    pub phone_number_id: String,
    pub display_phone: String,
    pub verified_name: String,
    pub quality_rating: Option<String>,
    /// `connected` or `reauthorise`.
    pub status: String,
    /// Unix milliseconds.
    pub connected_at: i64,
}

impl ConnectionView {
    pub fn needs_reauthorisation(&self) -> bool {
        self.status == "reauthorise"
    }

    pub fn is_sandbox(&self) -> bool {
        self.kind == "sandbox"
    }
}

/// A conversation in the list and at the top of its page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConversationView {
    pub id: String,
    pub contact_id: String,
    pub contact_name: String,
    /// E.164.
    pub contact_phone: Option<String>,
    /// The contact's tags.
    #[serde(default)]
    pub tags: Vec<String>,
    pub status: ConversationStatus,
    pub assignee: Option<String>,
    pub assignee_name: Option<String>,
    pub unread: u32,
    pub preview: String,
    /// Unix milliseconds.
    pub last_message_at: i64,
    /// Free text may be sent: the customer wrote within the last 24 hours.
    pub window_open: bool,
    pub referral: Option<Referral>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MessageView {
    pub id: String,
    pub direction: Direction,
    pub content: MessageContent,
    pub status: MessageStatus,
    pub error: Option<MessageError>,
    /// What a quoted reply quotes: the earlier message's preview, when we have it.
    pub quoted: Option<String>,
    /// The customer's reaction to it (an emoji).
    #[serde(default)]
    pub reactions: Vec<String>,
    /// Unix milliseconds.
    pub created_at: i64,
}

/// One page of the conversation list.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct InboxPage {
    pub conversations: Vec<ConversationView>,
    /// Pass as `after` for the next page.
    pub next: Option<String>,
    /// Whether the organisation has a number connected at all.
    pub connected: bool,
}

/// A conversation with its newest messages (oldest first, for reading).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConversationPage {
    pub conversation: ConversationView,
    pub messages: Vec<MessageView>,
    /// Pass as `before` for older messages.
    pub older: Option<String>,
    /// Who it can be assigned to: the organisation's members (user id, name), by name.
    #[serde(default)]
    pub members: Vec<(String, String)>,
    /// What the customer bought, as an agent recorded it.
    #[serde(default)]
    pub order: Option<OrderView>,
}

/// An order recorded on a conversation: `value` in minor units of `currency` (ISO 4217).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderView {
    pub value: i64,
    pub currency: String,
}

/// A saved answer: typed as `/shortcut` in the reply box (or picked from its suggestions).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuickReply {
    pub id: String,
    pub shortcut: String,
    pub text: String,
}

/// What every app page shows of the inbox: the unread count in the navigation, and a banner
/// while the connection needs re-authorisation.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxSummary {
    pub unread: u64,
    pub reauthorise: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn previews_without_text_are_keys_the_page_translates() {
        let photo = MessageContent::Media {
            kind: MediaKind::Image,
            media_id: "m".into(),
            mime_type: None,
            caption: None,
            filename: None,
            state: MediaState::Fetching,
        };
        assert_eq!(preview_key(&photo.preview()), Some("inbox-media-image"));
        let captioned = MessageContent::Media {
            kind: MediaKind::Image,
            media_id: "m".into(),
            mime_type: None,
            caption: Some("¿Este?".into()),
            filename: None,
            state: MediaState::Stored { bytes: 10 },
        };
        assert_eq!((captioned.preview(), preview_key(&captioned.preview())), ("¿Este?".into(), None));
        assert_eq!(
            preview_key(&MessageContent::Unsupported { kind: "order".into() }.preview()),
            Some("inbox-unsupported-preview")
        );
        assert_eq!(preview_key("[not ours]"), None);
        assert_eq!(
            MessageContent::Text { body: "ñ".repeat(130) }.preview().chars().count(),
            121,
            "cut at 120 and an ellipsis"
        );
    }
}
