use crate::storage::mongo::{MongoStore, backend};
use crate::storage::whatsapp::{ConnectionRecord, ConnectionStatus, DeliveryRecord, WhatsAppStore};
use crate::storage::{StoreResult, to_millis};
use app::ids::OrgId;
use async_trait::async_trait;
use mongodb::bson::doc;
use time::OffsetDateTime;

/// This area's indexes (see `MongoStore::index`).
pub(crate) async fn ensure_indexes(m: &MongoStore) -> mongodb::error::Result<()> {
    m.index("whatsapp_connections", doc! { "phone_number_id": 1 }, Some("phone_number_id")).await?;
    m.index("whatsapp_deliveries", doc! { "received_at": 1 }, None).await
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

    async fn insert_delivery(&self, d: &DeliveryRecord) -> StoreResult<()> {
        self.deliveries().insert_one(d).await.map(|_| ()).map_err(backend)
    }

    async fn delivery(&self, id: &str) -> StoreResult<Option<DeliveryRecord>> {
        self.deliveries().find_one(doc! { "_id": id }).await.map_err(backend)
    }

    async fn finish_delivery(&self, id: &str, outcome: &str, now: OffsetDateTime) -> StoreResult<bool> {
        let set = doc! { "$set": { "outcome": outcome, "processed_at": to_millis(now) } };
        let done = self.deliveries().update_one(doc! { "_id": id }, set).await.map_err(backend)?;
        Ok(done.matched_count == 1)
    }
}
