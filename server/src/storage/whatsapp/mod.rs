//! WhatsApp connections (one number per organisation) and the raw webhook deliveries.

#[cfg(test)]
pub(crate) mod contract;
pub(crate) mod mongo;
pub(crate) mod sqlite;

use super::{Millis, OptionMillis, StoreError, StoreResult, millis, option_millis};
use app::ids::OrgId;
use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

#[async_trait]
pub trait WhatsAppStore: Send + Sync {
    /// Creates or replaces the organisation's connection. `Duplicate` when the phone number id is
    /// another organisation's (a number is routed to exactly one).
    async fn save_connection(&self, connection: &ConnectionRecord) -> StoreResult<()>;
    async fn connection(&self, org: &OrgId) -> StoreResult<Option<ConnectionRecord>>;
    /// The connection deliveries for this number belong to.
    async fn connection_for_number(&self, phone_number_id: &str) -> StoreResult<Option<ConnectionRecord>>;
    /// Health: `Connected`, or `Reauthorise` with Meta's reason; false without a connection.
    async fn set_connection_status(
        &self,
        org: &OrgId,
        status: ConnectionStatus,
        detail: Option<&str>,
        now: OffsetDateTime,
    ) -> StoreResult<bool>;
    async fn remove_connection(&self, org: &OrgId) -> StoreResult<bool>;

    /// Replaces the organisation's templates with `templates` (a sync).
    async fn replace_templates(&self, org: &OrgId, templates: &[TemplateRecord]) -> StoreResult<()>;
    /// The organisation's templates by name, then language.
    async fn templates(&self, org: &OrgId) -> StoreResult<Vec<TemplateRecord>>;

    /// Creates or changes (by id) a quick reply; `Duplicate` when another of the organisation's
    /// has the shortcut.
    async fn save_quick_reply(&self, reply: &QuickReplyRecord) -> StoreResult<()>;
    /// The organisation's quick replies by shortcut.
    async fn quick_replies(&self, org: &OrgId) -> StoreResult<Vec<QuickReplyRecord>>;
    /// False for an unknown (or another organisation's) id.
    async fn remove_quick_reply(&self, org: &OrgId, id: &str) -> StoreResult<bool>;

    /// Keeps a customer's file (a second put for the same message replaces it: a retried fetch).
    async fn put_media(&self, media: &MediaRecord) -> StoreResult<()>;
    /// `None` for another organisation's message.
    async fn media(&self, org: &OrgId, message_id: &str) -> StoreResult<Option<MediaRecord>>;

    async fn insert_delivery(&self, delivery: &DeliveryRecord) -> StoreResult<()>;
    /// Stores deliveries together, in one transaction where the store has them: all or none.
    async fn insert_deliveries(&self, deliveries: &[DeliveryRecord]) -> StoreResult<()>;
    async fn delivery(&self, id: &str) -> StoreResult<Option<DeliveryRecord>>;
    /// Records how processing went (`processed`, `unknown-number:…`, `malformed`…).
    async fn finish_delivery(&self, id: &str, outcome: &str, now: OffsetDateTime) -> StoreResult<bool>;
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConnectionKind {
    /// Meta's WhatsApp Cloud API.
    Meta,
    /// The simulator this binary serves outside production.
    Sandbox,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConnectionStatus {
    Connected,
    /// Meta rejected the token (error 190): nothing is sent until it is replaced.
    Reauthorise,
}

macro_rules! text_enum {
    ($name:ident { $($variant:ident = $key:literal),* }) => {
        impl $name {
            pub fn key(self) -> &'static str {
                match self { $($name::$variant => $key),* }
            }
        }

        impl TryFrom<String> for $name {
            type Error = StoreError;

            fn try_from(s: String) -> StoreResult<Self> {
                match s.as_str() {
                    $($key => Ok($name::$variant),)*
                    _ => Err(StoreError::Corrupt(format!("{} {s}", stringify!($name)))),
                }
            }
        }
    };
}

text_enum!(ConnectionKind { Meta = "meta", Sandbox = "sandbox" });
text_enum!(ConnectionStatus { Connected = "connected", Reauthorise = "reauthorise" });

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow, Serialize, Deserialize)]
pub struct ConnectionRecord {
    #[serde(rename = "_id")]
    #[sqlx(try_from = "String")]
    pub org_id: OrgId,
    #[sqlx(try_from = "String")]
    pub kind: ConnectionKind,
    pub waba_id: String,
    pub phone_number_id: String,
    pub display_phone: String,
    pub verified_name: String,
    pub quality_rating: Option<String>,
    /// The access token sealed with the keyring (context: the organisation).
    pub token: String,
    #[sqlx(try_from = "String")]
    pub status: ConnectionStatus,
    pub status_detail: Option<String>,
    #[sqlx(try_from = "Millis")]
    #[serde(with = "millis")]
    pub connected_at: OffsetDateTime,
    #[sqlx(try_from = "Millis")]
    #[serde(with = "millis")]
    pub updated_at: OffsetDateTime,
}

/// A webhook delivery as it arrived.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow, Serialize, Deserialize)]
pub struct DeliveryRecord {
    #[serde(rename = "_id")]
    pub id: String,
    pub body: String,
    #[sqlx(try_from = "Millis")]
    #[serde(with = "millis")]
    pub received_at: OffsetDateTime,
    pub outcome: Option<String>,
    #[sqlx(try_from = "OptionMillis")]
    #[serde(with = "option_millis", default)]
    pub processed_at: Option<OffsetDateTime>,
}

/// A message template as Meta describes it (components: header, body, footer, buttons).
#[derive(Clone, Debug, PartialEq, sqlx::FromRow, Serialize, Deserialize)]
pub struct TemplateRecord {
    #[sqlx(try_from = "String")]
    pub org_id: OrgId,
    pub name: String,
    pub language: String,
    pub category: String,
    pub status: String,
    #[sqlx(json)]
    pub components: serde_json::Value,
    #[sqlx(try_from = "Millis")]
    #[serde(with = "millis")]
    pub synced_at: OffsetDateTime,
}

/// A file a customer sent (image, audio, video, document, sticker), fetched from Meta and kept
/// for the organisation's members. At most [`crate::whatsapp::media::MAX_MEDIA`] bytes: one
/// record, in both stores (MongoDB's documents end at 16 MiB).
#[derive(Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct MediaRecord {
    #[sqlx(try_from = "String")]
    pub org_id: OrgId,
    pub message_id: String,
    pub mime_type: String,
    pub filename: Option<String>,
    /// Hex SHA-256 of `bytes`, as Meta reports it.
    pub sha256: String,
    pub bytes: Vec<u8>,
    #[sqlx(try_from = "Millis")]
    pub stored_at: OffsetDateTime,
}

impl std::fmt::Debug for MediaRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // A customer's file never reaches a log, even in a failed assertion.
        f.debug_struct("MediaRecord")
            .field("org_id", &self.org_id)
            .field("message_id", &self.message_id)
            .field("mime_type", &self.mime_type)
            .field("len", &self.bytes.len())
            .finish_non_exhaustive()
    }
}

/// A saved answer agents insert by its shortcut.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow, Serialize, Deserialize)]
pub struct QuickReplyRecord {
    #[serde(rename = "_id")]
    pub id: String,
    #[sqlx(try_from = "String")]
    pub org_id: OrgId,
    /// Lower-case letters, digits, `-` and `_`, without the `/`.
    pub shortcut: String,
    pub text: String,
    #[sqlx(try_from = "Millis")]
    #[serde(with = "millis")]
    pub updated_at: OffsetDateTime,
}
