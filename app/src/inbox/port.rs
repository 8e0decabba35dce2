//! The inbox and WhatsApp connection services as the server functions see them (implemented in
//! the `server` crate). Every method takes the caller first and stays in the caller's
//! organisation: another organisation's conversation answers exactly like a missing one.

use super::model::{
    ConnectionView, ConversationPage, ConversationStatus, ConversationView, InboxPage, InboxSummary, MessageView,
    OrderView, QuickReply,
};
use super::templates::TemplateView;
use crate::accounts::model::Caller;
use crate::error::AppError;

/// Which conversations the list shows.
#[derive(Clone, Debug, Default)]
pub struct InboxQuery {
    /// `mine`, `unassigned` or anything else for all.
    pub view: String,
    pub status: Option<ConversationStatus>,
    pub after: Option<String>,
    /// Only this contact's conversations.
    pub contact_id: Option<String>,
    /// Contact name, number (any form) or e-mail, or message text.
    pub search: Option<String>,
    /// Only conversations with contacts carrying this tag.
    pub tag: Option<String>,
}

/// What an admin types to connect Meta's Cloud API (not `Debug`: it holds the token).
#[derive(Clone, Default)]
pub struct ConnectForm {
    pub waba_id: String,
    pub phone_number_id: String,
    pub access_token: String,
}

/// One change to a conversation.
#[derive(Clone, Debug)]
pub enum InboxChange {
    Status(ConversationStatus),
    /// `None` unassigns.
    Assign(Option<String>),
}

#[async_trait::async_trait]
pub trait WhatsApp: Send + Sync {
    async fn connection(&self, caller: &Caller) -> Result<Option<ConnectionView>, InboxError>;
    /// Admins and owners: checks the number and token with Meta, subscribes our app to the
    /// account's webhooks, and keeps the token sealed.
    async fn connect(&self, caller: &Caller, form: ConnectForm) -> Result<ConnectionView, InboxError>;
    /// Admins and owners, outside production: the built-in simulator instead of Meta.
    async fn connect_sandbox(&self, caller: &Caller) -> Result<ConnectionView, InboxError>;
    async fn disconnect(&self, caller: &Caller) -> Result<(), InboxError>;
    /// Reads the account's templates from Meta again; how many there are.
    async fn sync_templates(&self, caller: &Caller) -> Result<usize, InboxError>;
}

#[async_trait::async_trait]
pub trait Inbox: Send + Sync {
    async fn summary(&self, caller: &Caller) -> Result<InboxSummary, InboxError>;
    async fn conversations(&self, caller: &Caller, query: InboxQuery) -> Result<InboxPage, InboxError>;
    /// The conversation and its newest `pages` pages of messages (older ones `before` a cursor);
    /// opening it marks it read.
    async fn conversation(
        &self,
        caller: &Caller,
        id: &str,
        before: Option<String>,
        pages: u32,
    ) -> Result<ConversationPage, InboxError>;
    /// The contact's conversation on the organisation's number, created if there is none yet —
    /// how an agent writes first (with a template, as the window is closed).
    async fn open_with(&self, caller: &Caller, contact_id: &str) -> Result<ConversationView, InboxError>;
    /// Queues a text reply; `key` makes a retried submit send once.
    async fn reply(
        &self,
        caller: &Caller,
        conversation_id: &str,
        text: &str,
        key: &str,
    ) -> Result<MessageView, InboxError>;
    async fn change(&self, caller: &Caller, id: &str, change: InboxChange) -> Result<ConversationView, InboxError>;
    /// Records what the customer bought (`amount` a decimal in `currency`); an empty amount
    /// clears it. The campaigns dashboard counts it as the revenue of the ad that started the
    /// conversation.
    async fn record_order(
        &self,
        caller: &Caller,
        conversation_id: &str,
        amount: &str,
        currency: &str,
    ) -> Result<Option<OrderView>, InboxError>;
    /// The organisation's quick replies, by shortcut (every member).
    async fn quick_replies(&self, caller: &Caller) -> Result<Vec<QuickReply>, InboxError>;
    /// Admins and owners: a new quick reply (`id` empty) or a change to one.
    async fn save_quick_reply(
        &self,
        caller: &Caller,
        id: Option<String>,
        shortcut: &str,
        text: &str,
    ) -> Result<QuickReply, InboxError>;
    /// Admins and owners.
    async fn delete_quick_reply(&self, caller: &Caller, id: &str) -> Result<(), InboxError>;
    /// The organisation's templates as last synced.
    async fn templates(&self, caller: &Caller) -> Result<Vec<TemplateView>, InboxError>;
    /// Queues an approved template with its body's values — the way to write after the 24-hour
    /// window closed; `key` as for `reply`.
    async fn send_template(
        &self,
        caller: &Caller,
        conversation_id: &str,
        send: TemplateSend,
    ) -> Result<MessageView, InboxError>;
}

/// A template to send: which one and the values of its body, in order.
#[derive(Clone, Debug, Default)]
pub struct TemplateSend {
    pub name: String,
    pub language: String,
    pub params: Vec<String>,
    pub key: String,
}

#[derive(Debug, thiserror::Error)]
pub enum InboxError {
    #[error("invalid input: {0}")]
    Invalid(&'static str),
    #[error("not found (or another organisation's)")]
    NotFound,
    #[error("the caller's role does not allow this")]
    Forbidden,
    #[error("no WhatsApp number is connected")]
    NotConnected,
    #[error("Meta rejected the token: the connection needs re-authorisation")]
    Reauthorise,
    #[error("the 24-hour window is closed: only a template may be sent")]
    WindowClosed,
    #[error("the number is another organisation's")]
    NumberTaken,
    #[error("another quick reply has this shortcut")]
    ShortcutTaken,
    #[error("the contact opted out of messages")]
    OptedOut,
    #[error("Meta refused: {0}")]
    Meta(String),
    #[error("too many messages: retry in {0} s")]
    RateLimited(u64),
    #[error("internal: {0}")]
    Internal(String),
}

impl InboxError {
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        Self::Internal(cause.to_string())
    }
}

impl From<InboxError> for AppError {
    fn from(e: InboxError) -> Self {
        let (code, status) = match e {
            InboxError::Invalid(code) => (code, 422),
            InboxError::NotFound => ("error-not-found", 404),
            InboxError::Forbidden => ("error-forbidden", 403),
            InboxError::NotConnected => ("error-whatsapp-not-connected", 409),
            InboxError::Reauthorise => ("error-whatsapp-reauthorise", 409),
            InboxError::WindowClosed => ("error-whatsapp-window-closed", 409),
            InboxError::NumberTaken => ("error-whatsapp-number-taken", 409),
            InboxError::ShortcutTaken => ("error-quick-reply-taken", 409),
            InboxError::OptedOut => ("error-inbox-opted-out", 409),
            InboxError::Meta(detail) => {
                tracing::info!(%detail, "Meta refused a connection");
                ("error-whatsapp-meta-refused", 422)
            }
            InboxError::RateLimited(secs) => {
                return AppError {
                    retry_after: Some(secs),
                    ..AppError::with_status("error-whatsapp-rate-limited", 429)
                };
            }
            InboxError::Internal(cause) => return crate::server::request::internal(cause),
        };
        AppError::with_status(code, status)
    }
}
