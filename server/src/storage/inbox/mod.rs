//! The inbox: one conversation per contact and WhatsApp number, and its messages.

#[cfg(test)]
pub(crate) mod contract;
pub(crate) mod mongo;
pub(crate) mod sqlite;

use super::{Millis, OptionMillis, StoreResult, millis, option_millis};
use app::ids::OrgId;
use app::inbox::model::{ConversationStatus, Direction, MessageContent, MessageError, MessageStatus, Referral};
use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

#[async_trait]
pub trait InboxStore: Send + Sync {
    /// The conversation of `new`'s contact on `new`'s number: the stored one, or `new` itself,
    /// stored (two deliveries racing for the same contact get the same conversation).
    async fn open_conversation(&self, new: &ConversationRecord) -> StoreResult<ConversationRecord>;
    /// `None` for another organisation's id.
    async fn conversation(&self, org: &OrgId, id: &str) -> StoreResult<Option<ConversationRecord>>;
    /// Newest activity first, after `after` (the last one of the previous page).
    async fn list_conversations(
        &self,
        org: &OrgId,
        filter: &ConversationFilter,
        after: Option<&(i64, String)>,
        limit: u32,
    ) -> StoreResult<Vec<ConversationRecord>>;
    /// Changes status, assignee or unread count; false for an unknown (or another org's) id.
    async fn change_conversation(
        &self,
        org: &OrgId,
        id: &str,
        change: &ConversationChange,
        now: OffsetDateTime,
    ) -> StoreResult<bool>;

    /// Stores the message and moves its conversation on (preview, time, unread count for a
    /// customer's message, the 24-hour window, the ad referral if the conversation has none).
    /// `false`, changing nothing, when the number already has a message with this wamid.
    async fn add_message(&self, message: &MessageRecord, referral: Option<&Referral>) -> StoreResult<bool>;
    /// Files customers' messages, each into its contact's conversation (opened as
    /// `open_conversation` does, the message's `conversation_id` set to it) as `add_message`
    /// would, in order; whether each was new. The embedded store does the whole batch in one
    /// transaction; this default, one message after another, is what MongoDB does.
    async fn file_messages(&self, batch: &[Filing]) -> StoreResult<Vec<bool>> {
        let mut added = Vec::with_capacity(batch.len());
        for f in batch {
            let conversation = self.open_conversation(&f.conversation).await?;
            let message = MessageRecord { conversation_id: conversation.id, ..f.message.clone() };
            added.push(self.add_message(&message, f.referral.as_ref()).await?);
        }
        Ok(added)
    }
    async fn message(&self, org: &OrgId, id: &str) -> StoreResult<Option<MessageRecord>>;
    async fn message_by_wamid(&self, phone_number_id: &str, wamid: &str) -> StoreResult<Option<MessageRecord>>;
    /// The conversation's messages, newest first, before `before` (created time and id).
    async fn messages(
        &self,
        org: &OrgId,
        conversation_id: &str,
        before: Option<&(i64, String)>,
        limit: u32,
    ) -> StoreResult<Vec<MessageRecord>>;
    /// Applies a status Meta reported if it moves the message forward (see
    /// `MessageStatus::may_follow`); the message as changed, `None` when it did not move or is
    /// unknown.
    async fn advance_status(
        &self,
        phone_number_id: &str,
        wamid: &str,
        status: MessageStatus,
        error: Option<&MessageError>,
        at: OffsetDateTime,
    ) -> StoreResult<Option<MessageRecord>>;
    /// Our message was accepted by Meta: records its wamid and moves it to sent unless a later
    /// status already arrived. False for an unknown id.
    async fn set_wamid(&self, org: &OrgId, id: &str, wamid: &str, at: OffsetDateTime) -> StoreResult<bool>;
    /// Our message could not be sent (Meta refused it, or the connection needs
    /// re-authorisation): failed with the reason, if it is still pending. False otherwise.
    async fn fail_unsent(&self, org: &OrgId, id: &str, error: &MessageError, at: OffsetDateTime) -> StoreResult<bool>;

    /// The conversations (newest message first, at most `limit`) with a message whose text,
    /// caption or choice contains `text` (three characters or more), case-insensitively.
    async fn search_messages(&self, org: &OrgId, text: &str, limit: u32) -> StoreResult<Vec<String>>;
    /// Replaces a message's content (a customer's file was fetched, or could not be); false for
    /// an unknown (or another organisation's) id.
    async fn set_content(&self, org: &OrgId, id: &str, content: &MessageContent) -> StoreResult<bool>;

    /// Unread customer messages over all the organisation's conversations.
    async fn unread_total(&self, org: &OrgId) -> StoreResult<u64>;

    /// Moves the organisation's inbox clock on: something in its inbox changed.
    async fn touch_inbox(&self, org: &OrgId) -> StoreResult<()>;
    /// The organisation's inbox clock (0 before any change). Live views read again when it moves.
    async fn inbox_version(&self, org: &OrgId) -> StoreResult<i64>;
}

/// Which conversations a list shows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ConversationFilter {
    pub status: Option<ConversationStatus>,
    pub assignee: AssigneeFilter,
    /// One contact's conversations (one per number).
    pub contact_id: Option<String>,
    /// Only these contacts' conversations (say, the contacts with a tag).
    pub contacts: Option<Vec<String>>,
    /// Only conversations of these contacts or with these ids (a search's matches by contact and
    /// by message text).
    pub matching: Option<(Vec<String>, Vec<String>)>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum AssigneeFilter {
    #[default]
    Anyone,
    Nobody,
    User(String),
}

/// A customer's message to file: the conversation it opens if its contact has none on the
/// number yet, the message, and the ad it came from.
#[derive(Clone, Debug, PartialEq)]
pub struct Filing {
    pub conversation: ConversationRecord,
    pub message: MessageRecord,
    pub referral: Option<Referral>,
}

/// One change to a conversation; `None` fields stay.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ConversationChange {
    pub status: Option<ConversationStatus>,
    /// `Some(None)` unassigns.
    pub assignee: Option<Option<String>>,
    /// An agent opened it.
    pub read: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow, Serialize, Deserialize)]
pub struct ConversationRecord {
    #[serde(rename = "_id")]
    pub id: String,
    #[sqlx(try_from = "String")]
    pub org_id: OrgId,
    pub contact_id: String,
    pub phone_number_id: String,
    #[sqlx(try_from = "String")]
    pub status: ConversationStatus,
    pub assignee: Option<String>,
    pub unread: u32,
    pub preview: String,
    #[sqlx(try_from = "Millis")]
    #[serde(with = "millis")]
    pub last_message_at: OffsetDateTime,
    /// The customer's last message: replies are free text for 24 hours after it.
    #[sqlx(try_from = "OptionMillis")]
    #[serde(with = "option_millis", default)]
    pub last_inbound_at: Option<OffsetDateTime>,
    #[sqlx(json(nullable))]
    pub referral: Option<Referral>,
    #[sqlx(try_from = "Millis")]
    #[serde(with = "millis")]
    pub created_at: OffsetDateTime,
    #[sqlx(try_from = "Millis")]
    #[serde(with = "millis")]
    pub updated_at: OffsetDateTime,
}

impl ConversationRecord {
    /// A new open conversation, unassigned and read, its last message at `at` (what
    /// `open_conversation` stores when the contact has none on the number yet).
    pub fn open(id: String, org: OrgId, contact_id: String, phone_number_id: String, at: OffsetDateTime) -> Self {
        Self {
            id,
            org_id: org,
            contact_id,
            phone_number_id,
            status: ConversationStatus::Open,
            assignee: None,
            unread: 0,
            preview: String::new(),
            last_message_at: at,
            last_inbound_at: None,
            referral: None,
            created_at: at,
            updated_at: at,
        }
    }
}

#[derive(Clone, Debug, PartialEq, sqlx::FromRow, Serialize, Deserialize)]
pub struct MessageRecord {
    #[serde(rename = "_id")]
    pub id: String,
    #[sqlx(try_from = "String")]
    pub org_id: OrgId,
    pub conversation_id: String,
    pub phone_number_id: String,
    /// Meta's id; `None` while our message waits to be sent.
    pub wamid: Option<String>,
    #[sqlx(try_from = "String")]
    pub direction: Direction,
    #[sqlx(json)]
    pub content: MessageContent,
    /// The wamid of the message this one quotes.
    pub context_wamid: Option<String>,
    #[sqlx(try_from = "String")]
    pub status: MessageStatus,
    #[sqlx(json(nullable))]
    pub error: Option<MessageError>,
    /// The member who sent it (ours only).
    pub sent_by: Option<String>,
    #[sqlx(try_from = "Millis")]
    #[serde(with = "millis")]
    pub created_at: OffsetDateTime,
    #[sqlx(try_from = "Millis")]
    #[serde(with = "millis")]
    pub status_at: OffsetDateTime,
}
