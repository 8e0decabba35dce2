use crate::storage::inbox::{
    AssigneeFilter, ConversationChange, ConversationFilter, ConversationRecord, InboxStore, MessageRecord,
};
use crate::storage::mongo::{MongoStore, backend, is_duplicate, regex_escape};
use crate::storage::{StoreError, StoreResult, to_millis};
use app::ids::OrgId;
use app::inbox::model::{Direction, MessageContent, MessageError, MessageStatus, Referral};
use async_trait::async_trait;
use futures_util::TryStreamExt;
use mongodb::bson::{Bson, Document, doc};
use mongodb::options::ReturnDocument;
use time::OffsetDateTime;

/// This area's indexes (see `MongoStore::index`).
pub(crate) async fn ensure_indexes(m: &MongoStore) -> mongodb::error::Result<()> {
    m.index("conversations", doc! { "org_id": 1, "contact_id": 1, "phone_number_id": 1 }, Some("contact_id")).await?;
    m.index("conversations", doc! { "org_id": 1, "last_message_at": -1, "_id": -1 }, None).await?;
    m.index("conversations", doc! { "org_id": 1, "unread": 1 }, None).await?;
    m.index("messages", doc! { "phone_number_id": 1, "wamid": 1 }, Some("wamid")).await?;
    m.index("messages", doc! { "conversation_id": 1, "created_at": -1, "_id": -1 }, None).await
}

fn bson<T: serde::Serialize>(value: &T) -> StoreResult<Bson> {
    mongodb::bson::serialize_to_bson(value).map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// Keyset condition: strictly before (`at`, `id`) in newest-first order.
fn before(field: &str, (at, id): &(i64, String)) -> Vec<Document> {
    vec![doc! { field: { "$lt": at } }, doc! { field: at, "_id": { "$lt": id } }]
}

impl MongoStore {
    fn conversations(&self) -> mongodb::Collection<ConversationRecord> {
        self.typed("conversations")
    }

    fn messages(&self) -> mongodb::Collection<MessageRecord> {
        self.typed("messages")
    }
}

#[async_trait]
impl InboxStore for MongoStore {
    async fn open_conversation(&self, c: &ConversationRecord) -> StoreResult<ConversationRecord> {
        match self.conversations().insert_one(c).await {
            Ok(_) => Ok(c.clone()),
            Err(e) if is_duplicate(&e) => {
                let key = doc! { "org_id": c.org_id.as_str(), "contact_id": &c.contact_id, "phone_number_id": &c.phone_number_id };
                self.conversations()
                    .find_one(key)
                    .await
                    .map_err(backend)?
                    .ok_or_else(|| StoreError::Backend("conversation vanished".into()))
            }
            Err(e) => Err(backend(e)),
        }
    }

    async fn conversation(&self, org: &OrgId, id: &str) -> StoreResult<Option<ConversationRecord>> {
        self.conversations().find_one(doc! { "_id": id, "org_id": org.as_str() }).await.map_err(backend)
    }

    async fn list_conversations(
        &self,
        org: &OrgId,
        filter: &ConversationFilter,
        after: Option<&(i64, String)>,
        limit: u32,
    ) -> StoreResult<Vec<ConversationRecord>> {
        let mut query = doc! { "org_id": org.as_str() };
        if let Some(status) = filter.status {
            query.insert("status", status.key());
        }
        if let Some(contact) = &filter.contact_id {
            query.insert("contact_id", contact.as_str());
        }
        match &filter.assignee {
            AssigneeFilter::Anyone => {}
            AssigneeFilter::Nobody => {
                query.insert("assignee", Bson::Null);
            }
            AssigneeFilter::User(user) => {
                query.insert("assignee", user.as_str());
            }
        }
        let mut all = Vec::new();
        if let Some(contacts) = &filter.contacts {
            all.push(doc! { "contact_id": { "$in": contacts } });
        }
        if let Some((contacts, conversations)) = &filter.matching {
            all.push(doc! { "$or": [{ "contact_id": { "$in": contacts } }, { "_id": { "$in": conversations } }] });
        }
        if let Some(after) = after {
            all.push(doc! { "$or": before("last_message_at", after) });
        }
        if !all.is_empty() {
            query.insert("$and", all);
        }
        self.conversations()
            .find(query)
            .sort(doc! { "last_message_at": -1, "_id": -1 })
            .limit(limit as i64)
            .await
            .map_err(backend)?
            .try_collect()
            .await
            .map_err(backend)
    }

    async fn change_conversation(
        &self,
        org: &OrgId,
        id: &str,
        change: &ConversationChange,
        now: OffsetDateTime,
    ) -> StoreResult<bool> {
        let mut set = doc! { "updated_at": to_millis(now) };
        if let Some(status) = change.status {
            set.insert("status", status.key());
        }
        if let Some(assignee) = &change.assignee {
            set.insert("assignee", assignee.clone());
        }
        if change.read {
            set.insert("unread", 0);
        }
        let done = self
            .conversations()
            .update_one(doc! { "_id": id, "org_id": org.as_str() }, doc! { "$set": set })
            .await
            .map_err(backend)?;
        Ok(done.matched_count == 1)
    }

    async fn add_message(&self, m: &MessageRecord, referral: Option<&Referral>) -> StoreResult<bool> {
        let mut document = mongodb::bson::serialize_to_document(m).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        document.insert("status_rank", m.status.rank());
        match self.raw("messages").insert_one(document).await {
            Ok(_) => {}
            Err(e) if is_duplicate(&e) => return Ok(false),
            Err(e) => return Err(backend(e)),
        }
        // Single-document updates, each safe on its own (no transactions on MongoDB here).
        let id = doc! { "_id": &m.conversation_id, "org_id": m.org_id.as_str() };
        let at = to_millis(m.created_at);
        let conversations = self.raw("conversations");
        let mut newer = id.clone();
        newer.insert("last_message_at", doc! { "$lte": at });
        conversations.update_one(newer, doc! { "$set": { "preview": m.content.preview() } }).await.map_err(backend)?;
        let inbound = m.direction == Direction::In;
        let mut max = doc! { "last_message_at": at };
        if inbound {
            max.insert("last_inbound_at", at);
        }
        let update = doc! {
            "$max": max,
            "$inc": { "unread": inbound as i32 },
            "$set": { "updated_at": to_millis(m.status_at) },
        };
        conversations.update_one(id.clone(), update).await.map_err(backend)?;
        if inbound {
            let mut resolved = id.clone();
            resolved.insert("status", "resolved");
            conversations.update_one(resolved, doc! { "$set": { "status": "open" } }).await.map_err(backend)?;
        }
        if let Some(referral) = referral {
            let mut without = id;
            without.insert("referral", Bson::Null);
            conversations.update_one(without, doc! { "$set": { "referral": bson(referral)? } }).await.map_err(backend)?;
        }
        Ok(true)
    }

    async fn message(&self, org: &OrgId, id: &str) -> StoreResult<Option<MessageRecord>> {
        self.messages().find_one(doc! { "_id": id, "org_id": org.as_str() }).await.map_err(backend)
    }

    async fn message_by_wamid(&self, phone_number_id: &str, wamid: &str) -> StoreResult<Option<MessageRecord>> {
        self.messages().find_one(doc! { "phone_number_id": phone_number_id, "wamid": wamid }).await.map_err(backend)
    }

    async fn messages(
        &self,
        org: &OrgId,
        conversation_id: &str,
        before_key: Option<&(i64, String)>,
        limit: u32,
    ) -> StoreResult<Vec<MessageRecord>> {
        let mut query = doc! { "conversation_id": conversation_id, "org_id": org.as_str() };
        if let Some(key) = before_key {
            query.insert("$or", before("created_at", key));
        }
        self.messages()
            .find(query)
            .sort(doc! { "created_at": -1, "_id": -1 })
            .limit(limit as i64)
            .await
            .map_err(backend)?
            .try_collect()
            .await
            .map_err(backend)
    }

    async fn advance_status(
        &self,
        phone_number_id: &str,
        wamid: &str,
        status: MessageStatus,
        error: Option<&MessageError>,
        at: OffsetDateTime,
    ) -> StoreResult<Option<MessageRecord>> {
        let ceiling = if status == MessageStatus::Failed { 2 } else { status.rank() };
        let filter = doc! { "phone_number_id": phone_number_id, "wamid": wamid, "status_rank": { "$lt": ceiling } };
        let mut set = doc! { "status": status.key(), "status_rank": status.rank(), "status_at": to_millis(at) };
        if let Some(error) = error {
            set.insert("error", bson(error)?);
        }
        self.messages()
            .find_one_and_update(filter, doc! { "$set": set })
            .return_document(ReturnDocument::After)
            .await
            .map_err(backend)
    }

    async fn set_wamid(&self, org: &OrgId, id: &str, wamid: &str, at: OffsetDateTime) -> StoreResult<bool> {
        let key = doc! { "_id": id, "org_id": org.as_str() };
        let done = self.messages().update_one(key.clone(), doc! { "$set": { "wamid": wamid } }).await.map_err(backend)?;
        let mut pending = key;
        pending.insert("status_rank", doc! { "$lt": 1 });
        let sent = doc! { "$set": { "status": "sent", "status_rank": 1, "status_at": to_millis(at) } };
        self.messages().update_one(pending, sent).await.map_err(backend)?;
        Ok(done.matched_count == 1)
    }

    async fn search_messages(&self, org: &OrgId, text: &str, limit: u32) -> StoreResult<Vec<String>> {
        if text.chars().count() < 3 {
            return Ok(Vec::new());
        }
        let pattern = doc! { "$regex": regex_escape(text), "$options": "i" };
        let found = doc! { "org_id": org.as_str(), "$or": [
            { "content.body": &pattern }, { "content.caption": &pattern }, { "content.title": &pattern },
        ] };
        let pipeline = vec![
            doc! { "$match": found },
            doc! { "$group": { "_id": "$conversation_id", "at": { "$max": "$created_at" } } },
            doc! { "$sort": { "at": -1 } },
            doc! { "$limit": limit as i64 },
        ];
        let rows: Vec<Document> =
            self.raw("messages").aggregate(pipeline).await.map_err(backend)?.try_collect().await.map_err(backend)?;
        Ok(rows.iter().filter_map(|d| d.get_str("_id").ok().map(str::to_owned)).collect())
    }

    async fn set_content(&self, org: &OrgId, id: &str, content: &MessageContent) -> StoreResult<bool> {
        let set = doc! { "$set": { "content": bson(content)? } };
        let done = self.messages().update_one(doc! { "_id": id, "org_id": org.as_str() }, set).await.map_err(backend)?;
        Ok(done.matched_count == 1)
    }

    async fn fail_unsent(&self, org: &OrgId, id: &str, error: &MessageError, at: OffsetDateTime) -> StoreResult<bool> {
        let filter = doc! { "_id": id, "org_id": org.as_str(), "status_rank": 0 };
        let set = doc! { "$set": {
            "status": MessageStatus::Failed.key(), "status_rank": MessageStatus::Failed.rank(),
            "error": bson(error)?, "status_at": to_millis(at),
        } };
        Ok(self.messages().update_one(filter, set).await.map_err(backend)?.modified_count == 1)
    }

    async fn touch_inbox(&self, org: &OrgId) -> StoreResult<()> {
        let clock = self.raw("inbox_clock");
        clock.update_one(doc! { "_id": org.as_str() }, doc! { "$inc": { "version": 1i64 } }).upsert(true).await.map_err(backend)?;
        Ok(())
    }

    async fn inbox_version(&self, org: &OrgId) -> StoreResult<i64> {
        let found = self.raw("inbox_clock").find_one(doc! { "_id": org.as_str() }).await.map_err(backend)?;
        Ok(found.and_then(|d| d.get_i64("version").ok()).unwrap_or(0))
    }

    async fn unread_total(&self, org: &OrgId) -> StoreResult<u64> {
        let pipeline = vec![
            doc! { "$match": { "org_id": org.as_str(), "unread": { "$gt": 0 } } },
            doc! { "$group": { "_id": Bson::Null, "total": { "$sum": "$unread" } } },
        ];
        let mut cursor = self.raw("conversations").aggregate(pipeline).await.map_err(backend)?;
        let total = match cursor.try_next().await.map_err(backend)? {
            Some(d) => d.get_i64("total").or_else(|_| d.get_i32("total").map(i64::from)).unwrap_or(0),
            None => 0,
        };
        Ok(total.max(0) as u64)
    }
}
