//! The shared inbox: conversations listed and read, replies queued as send jobs, assignment and
//! status. Every call stays in the caller's organisation.

use super::send::SEND_JOB;
use crate::contacts::service::{FALLBACK_COUNTRY, search_key};
use crate::limits::{Limiter, MESSAGING_ORG};
use crate::storage::contacts::ContactFilter;
use crate::storage::inbox::{
    AssigneeFilter, ConversationChange, ConversationFilter, ConversationRecord, MessageRecord,
};
use crate::storage::whatsapp::ConnectionStatus;
use crate::storage::{StoreError, Stores, to_millis};
use app::accounts::model::Caller;
use app::contacts::model::ContactSort;
use app::ids::OrgId;
use app::inbox::model::{
    ConversationPage, ConversationView, Direction, InboxPage, InboxSummary, MessageContent, MessageStatus, MessageView,
    OrderView, QuickReply,
};
use app::inbox::port::{Inbox, InboxChange, InboxError, InboxQuery, TemplateSend};
use app::inbox::templates::TemplateView;
use sha2::Digest;
use std::collections::HashMap;
use time::{Duration, OffsetDateTime};

const PAGE: u32 = 30;
/// A search or a tag narrows the list to at most this many contacts (and as many conversations
/// found by message text).
const WITHIN: u32 = 1000;
const MESSAGES: u32 = 50;
/// The longest text WhatsApp takes in one message.
pub const MAX_TEXT: usize = 4096;
/// After the customer's last message, free text may be sent for this long (then templates only).
pub const WINDOW: Duration = Duration::hours(24);

pub struct InboxService {
    stores: Stores,
    limiter: Limiter,
}

fn internal(e: impl std::fmt::Display) -> InboxError {
    InboxError::internal(e)
}

/// `<millis>:<id>`, the keyset cursor of both lists.
fn cursor(at: OffsetDateTime, id: &str) -> String {
    format!("{}:{id}", to_millis(at))
}

fn parse_cursor(text: &str) -> Result<(i64, String), InboxError> {
    let (at, id) = text.split_once(':').ok_or(InboxError::Invalid("error-bad-request"))?;
    Ok((at.parse().map_err(|_| InboxError::Invalid("error-bad-request"))?, id.to_owned()))
}

pub fn window_open(c: &ConversationRecord, now: OffsetDateTime) -> bool {
    c.last_inbound_at.is_some_and(|at| now - at < WINDOW)
}

pub fn message_view(m: MessageRecord, quoted: Option<String>) -> MessageView {
    MessageView {
        id: m.id,
        direction: m.direction,
        content: m.content,
        status: m.status,
        error: m.error,
        quoted,
        reactions: Vec::new(),
        created_at: to_millis(m.created_at),
    }
}

impl InboxService {
    pub fn new(stores: Stores) -> Self {
        Self { limiter: Limiter::new(stores.accounts.clone()), stores }
    }

    /// Member names by user id (assignees).
    async fn names(&self, org: &OrgId) -> Result<HashMap<String, String>, InboxError> {
        let members = self.stores.members.members(org).await.map_err(internal)?;
        Ok(members.into_iter().map(|(u, _)| (u.id.to_string(), format!("{} {}", u.first_name, u.last_name))).collect())
    }

    /// The conversations as the page shows them, their contacts read in one trip.
    async fn views(
        &self,
        org: &OrgId,
        records: Vec<ConversationRecord>,
        names: &HashMap<String, String>,
    ) -> Result<Vec<ConversationView>, InboxError> {
        let ids: Vec<String> = records.iter().map(|c| c.contact_id.clone()).collect();
        let contacts = self.stores.contacts.contacts_by_id(org, &ids).await.map_err(internal)?;
        let contacts: HashMap<String, _> = contacts.into_iter().map(|k| (k.id.clone(), k)).collect();
        let now = OffsetDateTime::now_utc();
        Ok(records
            .into_iter()
            .map(|c| {
                let contact = contacts.get(&c.contact_id);
                ConversationView {
                    window_open: window_open(&c, now),
                    assignee_name: c.assignee.as_ref().and_then(|a| names.get(a).cloned()),
                    contact_name: contact.map(|k| k.display_name.clone()).unwrap_or_default(),
                    contact_phone: contact.and_then(|k| k.phone.clone()),
                    tags: contact.map(|k| k.tags.clone()).unwrap_or_default(),
                    id: c.id,
                    contact_id: c.contact_id,
                    status: c.status,
                    assignee: c.assignee,
                    unread: c.unread,
                    preview: c.preview,
                    last_message_at: to_millis(c.last_message_at),
                    referral: c.referral,
                }
            })
            .collect())
    }

    async fn view(
        &self,
        c: ConversationRecord,
        names: &HashMap<String, String>,
    ) -> Result<ConversationView, InboxError> {
        let org = c.org_id.clone();
        self.views(&org, vec![c], names).await?.pop().ok_or_else(|| internal("a conversation without its view"))
    }

    /// Ids of the contacts matching a contacts search key and tag (the first [`WITHIN`]).
    async fn contact_ids(&self, org: &OrgId, search: &str, tag: Option<&str>) -> Result<Vec<String>, InboxError> {
        let filter = ContactFilter { search: search.to_owned(), tag: tag.map(str::to_owned), sort: ContactSort::Name };
        let found = self.stores.contacts.list_contacts(org, &filter, None, WITHIN).await.map_err(internal)?;
        Ok(found.into_iter().map(|c| c.id).collect())
    }

    /// A search's matches: contacts by name, number (in any form) or e-mail, and conversations
    /// by message text.
    async fn search(&self, org: &OrgId, text: &str) -> Result<(Vec<String>, Vec<String>), InboxError> {
        let country = self.stores.contacts.default_country(org).await.map_err(internal)?;
        let key = search_key(text, country.as_deref().unwrap_or(FALLBACK_COUNTRY));
        let (contacts, conversations) =
            tokio::join!(self.contact_ids(org, &key, None), self.stores.inbox.search_messages(org, text, WITHIN));
        Ok((contacts?, conversations.map_err(internal)?))
    }

    /// Counts one messaging request against the organisation's minute — first, through the
    /// store: every request, on every instance.
    async fn count_message(&self, caller: &Caller) -> Result<(), InboxError> {
        let now = OffsetDateTime::now_utc();
        if self.limiter.over(MESSAGING_ORG, caller.org_id.as_str(), now).await.map_err(internal)? {
            return Err(InboxError::RateLimited(MESSAGING_ORG.retry_after()));
        }
        Ok(())
    }

    /// Stores our message as pending and queues its send job, both under an id derived from the
    /// submit's key: a repeat finds the first and sends nothing. Free text (`in_window`) only
    /// while the customer's 24-hour window is open.
    async fn queue(
        &self,
        caller: &Caller,
        conversation_id: &str,
        content: MessageContent,
        key: &str,
        in_window: bool,
    ) -> Result<MessageView, InboxError> {
        let conversation = self.conversation_record(caller, conversation_id).await?;
        let connection = self.stores.whatsapp.connection(&caller.org_id).await.map_err(internal)?;
        match connection {
            None => return Err(InboxError::NotConnected),
            Some(c) if c.status == ConnectionStatus::Reauthorise => return Err(InboxError::Reauthorise),
            Some(_) => {}
        }
        let now = OffsetDateTime::now_utc();
        if in_window && !window_open(&conversation, now) {
            return Err(InboxError::WindowClosed);
        }
        let digest = sha2::Sha256::digest(format!("{}\n{conversation_id}\n{key}", caller.org_id).as_bytes());
        let id = format!("out-{}", &hex::encode(digest)[..32]);
        let message = MessageRecord {
            id: id.clone(),
            org_id: caller.org_id.clone(),
            conversation_id: conversation.id.clone(),
            phone_number_id: conversation.phone_number_id.clone(),
            wamid: None,
            direction: Direction::Out,
            content,
            context_wamid: None,
            status: MessageStatus::Pending,
            error: None,
            sent_by: Some(caller.user_id.to_string()),
            created_at: now,
            status_at: now,
        };
        match self.stores.inbox.add_message(&message, None).await {
            Ok(true) => {
                let payload = serde_json::json!({ "org": caller.org_id.as_str(), "message": id });
                crate::jobs::enqueue(self.stores.jobs.as_ref(), SEND_JOB, payload, Some(id.clone()))
                    .await
                    .map_err(internal)?;
                self.stores.inbox.touch_inbox(&caller.org_id).await.map_err(internal)?;
                Ok(message_view(message, None))
            }
            Ok(false) | Err(StoreError::Duplicate) => {
                let existing = self.stores.inbox.message(&caller.org_id, &id).await.map_err(internal)?;
                existing.map(|m| message_view(m, None)).ok_or_else(|| internal("a repeated message vanished"))
            }
            Err(e) => Err(internal(e)),
        }
    }

    /// A page of messages (newest first from the store) as read, oldest first: a customer's
    /// reaction is shown on the message it reacts to (the latest one counts, an empty one takes
    /// it back), and a quoted reply carries the preview of what it quotes.
    async fn message_views(
        &self,
        org: &OrgId,
        newest_first: Vec<MessageRecord>,
    ) -> Result<Vec<MessageView>, InboxError> {
        let messages: Vec<MessageRecord> = newest_first.into_iter().rev().collect();
        let by_wamid: HashMap<&str, usize> =
            messages.iter().enumerate().filter_map(|(i, m)| Some((m.wamid.as_deref()?, i))).collect();
        let mut reactions: HashMap<usize, String> = HashMap::new();
        let mut shown_apart = Vec::new();
        for (i, m) in messages.iter().enumerate() {
            match &m.content {
                MessageContent::Reaction { to, emoji } if by_wamid.contains_key(to.as_str()) => {
                    reactions.insert(by_wamid[to.as_str()], emoji.clone());
                }
                _ => shown_apart.push(i),
            }
        }
        let mut views = Vec::with_capacity(shown_apart.len());
        for i in shown_apart {
            let m = &messages[i];
            let quoted = match m.context_wamid.as_deref() {
                Some(wamid) if by_wamid.contains_key(wamid) => Some(messages[by_wamid[wamid]].content.preview()),
                Some(wamid) => self
                    .stores
                    .inbox
                    .message_by_wamid(&m.phone_number_id, wamid)
                    .await
                    .map_err(internal)?
                    .filter(|q| &q.org_id == org)
                    .map(|q| q.content.preview()),
                None => None,
            };
            let mut view = message_view(m.clone(), quoted);
            view.reactions = reactions.get(&i).filter(|e| !e.is_empty()).cloned().into_iter().collect();
            views.push(view);
        }
        Ok(views)
    }

    async fn conversation_record(&self, caller: &Caller, id: &str) -> Result<ConversationRecord, InboxError> {
        self.stores.inbox.conversation(&caller.org_id, id).await.map_err(internal)?.ok_or(InboxError::NotFound)
    }
}

#[async_trait::async_trait]
impl Inbox for InboxService {
    async fn summary(&self, caller: &Caller) -> Result<InboxSummary, InboxError> {
        let org = &caller.org_id;
        let (unread, connection) =
            tokio::join!(self.stores.inbox.unread_total(org), self.stores.whatsapp.connection(org));
        let reauthorise = connection.map_err(internal)?.is_some_and(|c| c.status == ConnectionStatus::Reauthorise);
        Ok(InboxSummary { unread: unread.map_err(internal)?, reauthorise })
    }

    async fn conversations(&self, caller: &Caller, query: InboxQuery) -> Result<InboxPage, InboxError> {
        let filter = ConversationFilter {
            status: query.status,
            assignee: match query.view.as_str() {
                "mine" => AssigneeFilter::User(caller.user_id.to_string()),
                "unassigned" => AssigneeFilter::Nobody,
                _ => AssigneeFilter::Anyone,
            },
            contact_id: query.contact_id,
            contacts: match query.tag.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
                Some(tag) => Some(self.contact_ids(&caller.org_id, "", Some(tag)).await?),
                None => None,
            },
            matching: match query.search.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
                Some(text) => Some(self.search(&caller.org_id, text).await?),
                None => None,
            },
        };
        let after = query.after.as_deref().map(parse_cursor).transpose()?;
        let org = &caller.org_id;
        let (records, connection, names) = tokio::join!(
            self.stores.inbox.list_conversations(org, &filter, after.as_ref(), PAGE + 1),
            self.stores.whatsapp.connection(org),
            self.names(org),
        );
        let mut records = records.map_err(internal)?;
        let names = names?;
        let next = (records.len() > PAGE as usize).then(|| {
            records.truncate(PAGE as usize);
            records.last().map(|c| cursor(c.last_message_at, &c.id))
        });
        Ok(InboxPage {
            conversations: self.views(org, records, &names).await?,
            next: next.flatten(),
            connected: connection.map_err(internal)?.is_some(),
        })
    }

    async fn conversation(
        &self,
        caller: &Caller,
        id: &str,
        before: Option<String>,
        pages: u32,
    ) -> Result<ConversationPage, InboxError> {
        let mut record = self.conversation_record(caller, id).await?;
        let before = before.as_deref().map(parse_cursor).transpose()?;
        let limit = MESSAGES * pages.clamp(1, 20);
        let mut messages =
            self.stores.inbox.messages(&caller.org_id, id, before.as_ref(), limit + 1).await.map_err(internal)?;
        let older = (messages.len() > limit as usize).then(|| {
            messages.truncate(limit as usize);
            messages.last().map(|m| cursor(m.created_at, &m.id))
        });
        if record.unread > 0 && before.is_none() {
            let read = ConversationChange { read: true, ..Default::default() };
            self.stores
                .inbox
                .change_conversation(&caller.org_id, id, &read, OffsetDateTime::now_utc())
                .await
                .map_err(internal)?;
            self.stores.inbox.touch_inbox(&caller.org_id).await.map_err(internal)?;
            record.unread = 0;
        }
        let views = self.message_views(&caller.org_id, messages).await?;
        let names = self.names(&caller.org_id).await?;
        let order = self.stores.analytics.order(&caller.org_id, id).await.map_err(internal)?;
        let mut members: Vec<(String, String)> = names.iter().map(|(id, n)| (id.clone(), n.clone())).collect();
        members.sort_by(|a, b| a.1.cmp(&b.1));
        Ok(ConversationPage {
            conversation: self.view(record, &names).await?,
            messages: views,
            older: older.flatten(),
            members,
            order: order.map(|o| OrderView { value: o.value, currency: o.currency }),
        })
    }

    async fn open_with(&self, caller: &Caller, contact_id: &str) -> Result<ConversationView, InboxError> {
        let org = &caller.org_id;
        let connection = match self.stores.whatsapp.connection(org).await.map_err(internal)? {
            None => return Err(InboxError::NotConnected),
            Some(c) if c.status == ConnectionStatus::Reauthorise => return Err(InboxError::Reauthorise),
            Some(c) => c,
        };
        let contact = self.stores.contacts.contact(org, contact_id).await.map_err(internal)?;
        let contact = contact.filter(|c| c.deleted_at.is_none()).ok_or(InboxError::NotFound)?;
        if contact.opt_out_at.is_some() {
            return Err(InboxError::OptedOut);
        }
        if contact.wa_id.is_none() && contact.phone.is_none() {
            return Err(InboxError::Invalid("error-whatsapp-no-number"));
        }
        let now = OffsetDateTime::now_utc();
        let new = ConversationRecord {
            assignee: Some(caller.user_id.to_string()),
            ..ConversationRecord::open(
                uuid::Uuid::now_v7().to_string(),
                org.clone(),
                contact.id,
                connection.phone_number_id,
                now,
            )
        };
        let conversation = self.stores.inbox.open_conversation(&new).await.map_err(internal)?;
        if conversation.id == new.id {
            self.stores.inbox.touch_inbox(org).await.map_err(internal)?;
        }
        let names = self.names(org).await?;
        self.view(conversation, &names).await
    }

    async fn reply(
        &self,
        caller: &Caller,
        conversation_id: &str,
        text: &str,
        key: &str,
    ) -> Result<MessageView, InboxError> {
        self.count_message(caller).await?;
        let text = text.trim();
        if text.is_empty() {
            return Err(InboxError::Invalid("error-inbox-reply-empty"));
        }
        if text.chars().count() > MAX_TEXT {
            return Err(InboxError::Invalid("error-inbox-reply-long"));
        }
        let text = super::quick_replies::expand(&self.stores, caller, text).await?;
        let content = MessageContent::Text { body: text };
        self.queue(caller, conversation_id, content, key, true).await
    }

    async fn change(&self, caller: &Caller, id: &str, change: InboxChange) -> Result<ConversationView, InboxError> {
        let names = self.names(&caller.org_id).await?;
        let change = match change {
            InboxChange::Status(status) => ConversationChange { status: Some(status), ..Default::default() },
            InboxChange::Assign(assignee) => {
                if assignee.as_ref().is_some_and(|a| !names.contains_key(a)) {
                    return Err(InboxError::Invalid("error-inbox-assignee"));
                }
                ConversationChange { assignee: Some(assignee), ..Default::default() }
            }
        };
        let now = OffsetDateTime::now_utc();
        if !self.stores.inbox.change_conversation(&caller.org_id, id, &change, now).await.map_err(internal)? {
            return Err(InboxError::NotFound);
        }
        self.stores.inbox.touch_inbox(&caller.org_id).await.map_err(internal)?;
        let record = self.conversation_record(caller, id).await?;
        self.view(record, &names).await
    }

    async fn record_order(
        &self,
        caller: &Caller,
        conversation_id: &str,
        amount: &str,
        currency: &str,
    ) -> Result<Option<OrderView>, InboxError> {
        super::orders::record(&self.stores, caller, conversation_id, amount, currency).await
    }

    async fn quick_replies(&self, caller: &Caller) -> Result<Vec<QuickReply>, InboxError> {
        super::quick_replies::list(&self.stores, caller).await
    }

    async fn save_quick_reply(
        &self,
        caller: &Caller,
        id: Option<String>,
        shortcut: &str,
        text: &str,
    ) -> Result<QuickReply, InboxError> {
        super::quick_replies::save(&self.stores, caller, id, shortcut, text).await
    }

    async fn delete_quick_reply(&self, caller: &Caller, id: &str) -> Result<(), InboxError> {
        super::quick_replies::delete(&self.stores, caller, id).await
    }

    async fn templates(&self, caller: &Caller) -> Result<Vec<TemplateView>, InboxError> {
        let records = self.stores.whatsapp.templates(&caller.org_id).await.map_err(internal)?;
        Ok(records.iter().map(super::templates::view).collect())
    }

    async fn send_template(
        &self,
        caller: &Caller,
        conversation_id: &str,
        send: TemplateSend,
    ) -> Result<MessageView, InboxError> {
        self.count_message(caller).await?;
        let templates = self.templates(caller).await?;
        let template = templates
            .into_iter()
            .find(|t| t.name == send.name && t.language == send.language)
            .ok_or(InboxError::Invalid("error-template-unknown"))?;
        let params: Vec<String> = send.params.iter().map(|p| p.trim().to_owned()).collect();
        template.check(&params).map_err(InboxError::Invalid)?;
        let content = MessageContent::Template {
            body: template.fill(&params),
            name: template.name,
            language: template.language,
            params,
        };
        self.queue(caller, conversation_id, content, &send.key, false).await
    }
}
