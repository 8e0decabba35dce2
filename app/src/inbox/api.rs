//! Server functions for the inbox and the WhatsApp connection. Each checks the caller, then calls
//! the port; every one also accepts a bearer token (see `docs/API.md`).

use super::model::{
    ConnectionView, ConversationPage, ConversationView, InboxPage, InboxSummary, MessageView, QuickReply,
};
use crate::error::AppError;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {
    super::model::ConversationStatus,
    super::port::{ConnectForm, InboxChange, InboxQuery, TemplateSend},
    crate::server::respond::finish_form,
    crate::server::{caller, services},
};

#[server(name = WhatsAppConnection, prefix = "/api", endpoint = "whatsapp/connection")]
pub async fn whatsapp_connection() -> Result<Option<ConnectionView>, AppError> {
    let caller = caller().await?;
    Ok(services()?.whatsapp.connection(&caller).await?)
}

// The three connection forms answer with nothing (read the connection again); a plain HTML post
// goes back to Settings with the outcome.

#[server(name = ConnectWhatsApp, prefix = "/api", endpoint = "whatsapp/connect")]
pub async fn connect_whatsapp(waba_id: String, phone_number_id: String, access_token: String) -> Result<(), AppError> {
    let caller = caller().await?;
    let form = ConnectForm { waba_id, phone_number_id, access_token };
    finish_form(services()?.whatsapp.connect(&caller, form).await.map(|_| ()), "whatsapp")
}

#[server(name = ConnectSandbox, prefix = "/api", endpoint = "whatsapp/connect-sandbox")]
pub async fn connect_sandbox() -> Result<(), AppError> {
    let caller = caller().await?;
    finish_form(services()?.whatsapp.connect_sandbox(&caller).await.map(|_| ()), "whatsapp")
}

#[server(name = DisconnectWhatsApp, prefix = "/api", endpoint = "whatsapp/disconnect")]
pub async fn disconnect_whatsapp() -> Result<(), AppError> {
    let caller = caller().await?;
    finish_form(services()?.whatsapp.disconnect(&caller).await, "whatsapp")
}

#[server(name = GetInboxSummary, prefix = "/api", endpoint = "inbox/summary")]
pub async fn inbox_summary() -> Result<InboxSummary, AppError> {
    let caller = caller().await?;
    Ok(services()?.inbox.summary(&caller).await?)
}

#[server(name = ListConversations, prefix = "/api", endpoint = "inbox/list")]
pub async fn list_conversations(
    view: Option<String>,
    status: Option<String>,
    after: Option<String>,
    contact: Option<String>,
    q: Option<String>,
    tag: Option<String>,
) -> Result<InboxPage, AppError> {
    let caller = caller().await?;
    if q.as_ref().is_some_and(|q| q.chars().count() > 200) {
        return Err(AppError::invalid("error-inbox-search-long"));
    }
    let query = InboxQuery {
        view: view.unwrap_or_default(),
        status: status.as_deref().and_then(ConversationStatus::from_key),
        after: after.filter(|a| !a.is_empty()),
        contact_id: contact.filter(|c| !c.is_empty()),
        search: q,
        tag,
    };
    Ok(services()?.inbox.conversations(&caller, query).await?)
}

/// The newest `pages` × 50 messages (1 to 20 pages; older ones also `before` a cursor).
#[server(name = GetConversation, prefix = "/api", endpoint = "inbox/conversation")]
pub async fn get_conversation(
    id: String,
    before: Option<String>,
    pages: Option<u32>,
) -> Result<ConversationPage, AppError> {
    let caller = caller().await?;
    let pages = pages.unwrap_or(1).clamp(1, 20);
    Ok(services()?.inbox.conversation(&caller, &id, before.filter(|b| !b.is_empty()), pages).await?)
}

/// Opens (or creates) the contact's conversation; a plain form post goes to it in the inbox.
#[server(name = OpenConversation, prefix = "/api", endpoint = "inbox/open")]
pub async fn open_conversation(contact: String) -> Result<ConversationView, AppError> {
    let caller = caller().await?;
    let opened = services()?.inbox.open_with(&caller, &contact).await?;
    if crate::server::request::is_plain_form_post() {
        leptos_axum::redirect(&format!("/app/inbox?c={}", opened.id));
    }
    Ok(opened)
}

/// `key`: any string unique to this submit (the page sends one); a repeat sends nothing twice.
#[server(name = Reply, prefix = "/api", endpoint = "inbox/reply")]
pub async fn reply(conversation_id: String, text: String, key: Option<String>) -> Result<MessageView, AppError> {
    let caller = caller().await?;
    let key = key.filter(|k| !k.is_empty()).unwrap_or_else(|| default_key(&conversation_id, &text));
    Ok(services()?.inbox.reply(&caller, &conversation_id, &text, &key).await?)
}

/// Without a key from the client, one per conversation, text and minute: a double click or a
/// resubmitted form does not send twice.
#[cfg(feature = "ssr")]
fn default_key(conversation_id: &str, text: &str) -> String {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (
        conversation_id,
        text,
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() / 60),
    )
        .hash(&mut h);
    format!("auto-{:016x}", h.finish())
}

/// `assignee`: a member's user id, `me`, or empty to unassign.
#[server(name = AssignConversation, prefix = "/api", endpoint = "inbox/assign")]
pub async fn assign_conversation(id: String, assignee: Option<String>) -> Result<ConversationView, AppError> {
    let caller = caller().await?;
    let assignee = match assignee.unwrap_or_default().trim() {
        "" => None,
        "me" => Some(caller.user_id.to_string()),
        other => Some(other.to_owned()),
    };
    Ok(services()?.inbox.change(&caller, &id, InboxChange::Assign(assignee)).await?)
}

/// `status`: `open`, `pending` or `resolved`.
#[server(name = SetConversationStatus, prefix = "/api", endpoint = "inbox/status")]
pub async fn set_conversation_status(id: String, status: String) -> Result<ConversationView, AppError> {
    let caller = caller().await?;
    let status = ConversationStatus::from_key(&status).ok_or(AppError::invalid("error-inbox-status"))?;
    Ok(services()?.inbox.change(&caller, &id, InboxChange::Status(status)).await?)
}

/// Records the order on a conversation (`amount` empty clears it); a plain form is redirected back.
#[server(name = RecordOrder, prefix = "/api", endpoint = "inbox/order")]
pub async fn record_order(conversation_id: String, amount: String, currency: String) -> Result<(), AppError> {
    let caller = caller().await?;
    let recorded = services()?.inbox.record_order(&caller, &conversation_id, &amount, &currency).await;
    finish_form(recorded.map(|_| ()), "order")
}

#[server(name = SyncTemplates, prefix = "/api", endpoint = "whatsapp/templates/sync")]
pub async fn sync_templates() -> Result<usize, AppError> {
    let caller = caller().await?;
    Ok(services()?.whatsapp.sync_templates(&caller).await?)
}

#[server(name = ListTemplates, prefix = "/api", endpoint = "inbox/templates")]
pub async fn list_templates() -> Result<Vec<super::templates::TemplateView>, AppError> {
    let caller = caller().await?;
    Ok(services()?.inbox.templates(&caller).await?)
}

/// `template`: `name|language`; `params`: the body's values, one per line.
#[server(name = SendTemplate, prefix = "/api", endpoint = "inbox/send-template")]
pub async fn send_template(
    conversation_id: String,
    template: String,
    params: Option<String>,
    key: Option<String>,
) -> Result<MessageView, AppError> {
    let caller = caller().await?;
    let (name, language) = template.split_once('|').ok_or(AppError::invalid("error-template-unknown"))?;
    let params: Vec<String> = params.unwrap_or_default().lines().map(str::to_owned).collect();
    let key = key
        .filter(|k| !k.is_empty())
        .unwrap_or_else(|| default_key(&conversation_id, &format!("{template}\n{params:?}")));
    let send = TemplateSend { name: name.to_owned(), language: language.to_owned(), params, key };
    Ok(services()?.inbox.send_template(&caller, &conversation_id, send).await?)
}

#[server(name = ListQuickReplies, prefix = "/api", endpoint = "inbox/quick-replies")]
pub async fn list_quick_replies() -> Result<Vec<QuickReply>, AppError> {
    let caller = caller().await?;
    Ok(services()?.inbox.quick_replies(&caller).await?)
}

/// Admins and owners. `id` empty creates one; `shortcut` without the `/`.
#[server(name = SaveQuickReply, prefix = "/api", endpoint = "inbox/quick-replies/save")]
pub async fn save_quick_reply(id: Option<String>, shortcut: String, text: String) -> Result<(), AppError> {
    let caller = caller().await?;
    let id = id.filter(|i| !i.is_empty());
    let saved = services()?.inbox.save_quick_reply(&caller, id, &shortcut, &text).await;
    finish_form(saved.map(|_| ()), "quick-replies")
}

#[server(name = DeleteQuickReply, prefix = "/api", endpoint = "inbox/quick-replies/delete")]
pub async fn delete_quick_reply(id: String) -> Result<(), AppError> {
    let caller = caller().await?;
    finish_form(services()?.inbox.delete_quick_reply(&caller, &id).await, "quick-replies")
}
