use crate::storage::mongo::{MongoStore, backend};
use crate::storage::whatsapp::{
    ConnectionRecord, ConnectionStatus, DeliveryRecord, MediaRecord, QuickReplyRecord, TemplateRecord, WhatsAppStore,
};
use crate::storage::{StoreError, StoreResult, to_millis};
use app::ids::OrgId;
use async_trait::async_trait;
use futures_util::TryStreamExt;
use mongodb::bson::{Bson, doc};
use time::OffsetDateTime;

/// This area's indexes (see `MongoStore::index`).
pub(crate) async fn ensure_indexes(m: &MongoStore) -> mongodb::error::Result<()> {
    m.index("whatsapp_connections", doc! { "phone_number_id": 1 }, Some("phone_number_id")).await?;
    m.index("whatsapp_deliveries", doc! { "received_at": 1 }, None).await?;
    m.index("whatsapp_templates", doc! { "org_id": 1, "name": 1, "language": 1 }, None).await?;
    m.index("quick_replies", doc! { "org_id": 1, "shortcut": 1 }, Some("shortcut")).await
}

impl MongoStore {
    fn connections(&self) -> mongodb::Collection<ConnectionRecord> {
        self.typed("whatsapp_connections")
    }

    fn deliveries(&self) -> mongodb::Collection<DeliveryRecord> {
        self.typed("whatsapp_deliveries")
    }
}

#[async_trait]
impl WhatsAppStore for MongoStore {
    async fn save_connection(&self, c: &ConnectionRecord) -> StoreResult<()> {
        let filter = doc! { "_id": c.org_id.as_str() };
        self.connections().replace_one(filter, c).upsert(true).await.map(|_| ()).map_err(backend)
    }

    async fn connection(&self, org: &OrgId) -> StoreResult<Option<ConnectionRecord>> {
        self.connections().find_one(doc! { "_id": org.as_str() }).await.map_err(backend)
    }

    async fn connection_for_number(&self, phone_number_id: &str) -> StoreResult<Option<ConnectionRecord>> {
        self.connections().find_one(doc! { "phone_number_id": phone_number_id }).await.map_err(backend)
    }

    async fn set_connection_status(
        &self,
        org: &OrgId,
        status: ConnectionStatus,
        detail: Option<&str>,
        now: OffsetDateTime,
    ) -> StoreResult<bool> {
        let set = doc! { "$set": { "status": status.key(), "status_detail": detail, "updated_at": to_millis(now) } };
        let done = self.connections().update_one(doc! { "_id": org.as_str() }, set).await.map_err(backend)?;
        Ok(done.matched_count == 1)
    }

    async fn remove_connection(&self, org: &OrgId) -> StoreResult<bool> {
        let done = self.connections().delete_one(doc! { "_id": org.as_str() }).await.map_err(backend)?;
        Ok(done.deleted_count == 1)
    }

    async fn save_quick_reply(&self, r: &QuickReplyRecord) -> StoreResult<()> {
        let replies = self.typed::<QuickReplyRecord>("quick_replies");
        // Upsert within the organisation: another organisation's id matches nothing, and the
        // insert then collides on `_id`.
        replies.replace_one(doc! { "_id": &r.id, "org_id": r.org_id.as_str() }, r).upsert(true).await.map_err(backend)?;
        Ok(())
    }

    async fn quick_replies(&self, org: &OrgId) -> StoreResult<Vec<QuickReplyRecord>> {
        let replies = self.typed::<QuickReplyRecord>("quick_replies");
        let found = replies.find(doc! { "org_id": org.as_str() }).sort(doc! { "shortcut": 1 }).await.map_err(backend)?;
        found.try_collect().await.map_err(backend)
    }

    async fn remove_quick_reply(&self, org: &OrgId, id: &str) -> StoreResult<bool> {
        let replies = self.raw("quick_replies");
        let done = replies.delete_one(doc! { "_id": id, "org_id": org.as_str() }).await.map_err(backend)?;
        Ok(done.deleted_count == 1)
    }

    async fn put_media(&self, m: &MediaRecord) -> StoreResult<()> {
        let key = doc! { "_id": format!("{}/{}", m.org_id.as_str(), m.message_id) };
        let bytes = mongodb::bson::Binary { subtype: mongodb::bson::spec::BinarySubtype::Generic, bytes: m.bytes.clone() };
        let record = doc! {
            "org_id": m.org_id.as_str(), "message_id": &m.message_id, "mime_type": &m.mime_type,
            "filename": m.filename.as_deref(), "sha256": &m.sha256, "bytes": bytes, "stored_at": to_millis(m.stored_at),
        };
        let media = self.raw("whatsapp_media");
        media.replace_one(key, record).upsert(true).await.map(|_| ()).map_err(backend)
    }

    async fn media(&self, org: &OrgId, message_id: &str) -> StoreResult<Option<MediaRecord>> {
        let key = doc! { "_id": format!("{}/{}", org.as_str(), message_id) };
        let Some(d) = self.raw("whatsapp_media").find_one(key).await.map_err(backend)? else { return Ok(None) };
        let corrupt = |e: mongodb::bson::error::Error| StoreError::Corrupt(format!("media: {e}"));
        Ok(Some(MediaRecord {
            org_id: OrgId::new(d.get_str("org_id").map_err(corrupt)?),
            message_id: d.get_str("message_id").map_err(corrupt)?.to_owned(),
            mime_type: d.get_str("mime_type").map_err(corrupt)?.to_owned(),
            filename: d.get_str("filename").ok().map(str::to_owned),
            sha256: d.get_str("sha256").map_err(corrupt)?.to_owned(),
            bytes: d.get_binary_generic("bytes").map_err(corrupt)?.clone(),
            stored_at: crate::storage::from_millis(d.get_i64("stored_at").map_err(corrupt)?),
        }))
    }

    async fn insert_delivery(&self, d: &DeliveryRecord) -> StoreResult<()> {
        self.deliveries().insert_one(d).await.map(|_| ()).map_err(backend)
    }

    async fn insert_deliveries(&self, deliveries: &[DeliveryRecord]) -> StoreResult<()> {
        // Ordered: a failure stops the rest, and the webhook answers 500 for all of them (Meta
        // delivers again; repeated messages are de-duplicated by wamid).
        if deliveries.is_empty() {
            return Ok(());
        }
        self.deliveries().insert_many(deliveries).await.map(|_| ()).map_err(backend)
    }

    async fn delivery(&self, id: &str) -> StoreResult<Option<DeliveryRecord>> {
        self.deliveries().find_one(doc! { "_id": id }).await.map_err(backend)
    }

    async fn finish_delivery(&self, id: &str, outcome: &str, now: OffsetDateTime) -> StoreResult<bool> {
        let set = doc! { "$set": { "outcome": outcome, "processed_at": to_millis(now) } };
        let done = self.deliveries().update_one(doc! { "_id": id }, set).await.map_err(backend)?;
        Ok(done.matched_count == 1)
    }

    async fn replace_templates(&self, org: &OrgId, templates: &[TemplateRecord]) -> StoreResult<()> {
        // One document per template keyed by (org, name, language): upserts, then the rest removed.
        let collection = self.raw("whatsapp_templates");
        let mut keep = Vec::new();
        for t in templates {
            let id = format!("{}/{}/{}", org, t.name, t.language);
            let mut document = mongodb::bson::serialize_to_document(t).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            document.insert("components", t.components.to_string());
            collection.replace_one(doc! { "_id": &id }, document).upsert(true).await.map_err(backend)?;
            keep.push(id);
        }
        collection.delete_many(doc! { "org_id": org.as_str(), "_id": { "$nin": keep } }).await.map_err(backend)?;
        Ok(())
    }

    async fn templates(&self, org: &OrgId) -> StoreResult<Vec<TemplateRecord>> {
        let mut cursor = self
            .raw("whatsapp_templates")
            .find(doc! { "org_id": org.as_str() })
            .sort(doc! { "name": 1, "language": 1 })
            .await
            .map_err(backend)?;
        let mut found = Vec::new();
        while let Some(mut d) = cursor.try_next().await.map_err(backend)? {
            let components = d.get_str("components").unwrap_or("null").to_owned();
            d.insert("components", Bson::Null);
            let mut t: TemplateRecord =
                mongodb::bson::deserialize_from_document(d).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            t.components = serde_json::from_str(&components).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            found.push(t);
        }
        Ok(found)
    }
}
