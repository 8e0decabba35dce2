use crate::storage::sqlite::{SqliteStore, backend};
use crate::storage::whatsapp::{
    ConnectionRecord, ConnectionStatus, DeliveryRecord, MediaRecord, QuickReplyRecord, TemplateRecord, WhatsAppStore,
};
use crate::storage::{StoreResult, to_millis};
use app::ids::OrgId;
use async_trait::async_trait;
use time::OffsetDateTime;

macro_rules! connection_columns {
    () => {
        "org_id, kind, waba_id, phone_number_id, display_phone, verified_name, quality_rating, token, status, \
         status_detail, connected_at, updated_at"
    };
}

#[async_trait]
impl WhatsAppStore for SqliteStore {
    async fn save_connection(&self, c: &ConnectionRecord) -> StoreResult<()> {
        // The org's row is replaced whole; another org's number trips the UNIQUE index.
        let sql = concat!(
            "INSERT INTO whatsapp_connections (",
            connection_columns!(),
            ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) \
             ON CONFLICT (org_id) DO UPDATE SET kind = excluded.kind, waba_id = excluded.waba_id, \
             phone_number_id = excluded.phone_number_id, display_phone = excluded.display_phone, \
             verified_name = excluded.verified_name, quality_rating = excluded.quality_rating, \
             token = excluded.token, status = excluded.status, status_detail = excluded.status_detail, \
             connected_at = excluded.connected_at, updated_at = excluded.updated_at"
        );
        sqlx::query(sql)
            .bind(c.org_id.as_str())
            .bind(c.kind.key())
            .bind(&c.waba_id)
            .bind(&c.phone_number_id)
            .bind(&c.display_phone)
            .bind(&c.verified_name)
            .bind(&c.quality_rating)
            .bind(&c.token)
            .bind(c.status.key())
            .bind(&c.status_detail)
            .bind(to_millis(c.connected_at))
            .bind(to_millis(c.updated_at))
            .execute(&self.pool)
            .await
            .map(|_| ())
            .map_err(backend)
    }

    async fn connection(&self, org: &OrgId) -> StoreResult<Option<ConnectionRecord>> {
        let sql = concat!("SELECT ", connection_columns!(), " FROM whatsapp_connections WHERE org_id = ?");
        sqlx::query_as(sql).bind(org.as_str()).fetch_optional(&self.pool).await.map_err(backend)
    }

    async fn connection_for_number(&self, phone_number_id: &str) -> StoreResult<Option<ConnectionRecord>> {
        let sql = concat!("SELECT ", connection_columns!(), " FROM whatsapp_connections WHERE phone_number_id = ?");
        sqlx::query_as(sql).bind(phone_number_id).fetch_optional(&self.pool).await.map_err(backend)
    }

    async fn set_connection_status(
        &self,
        org: &OrgId,
        status: ConnectionStatus,
        detail: Option<&str>,
        now: OffsetDateTime,
    ) -> StoreResult<bool> {
        let done = sqlx::query(
            "UPDATE whatsapp_connections SET status = ?, status_detail = ?, updated_at = ? WHERE org_id = ?",
        )
        .bind(status.key())
        .bind(detail)
        .bind(to_millis(now))
        .bind(org.as_str())
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        Ok(done.rows_affected() == 1)
    }

    async fn remove_connection(&self, org: &OrgId) -> StoreResult<bool> {
        let done = sqlx::query("DELETE FROM whatsapp_connections WHERE org_id = ?")
            .bind(org.as_str())
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        Ok(done.rows_affected() == 1)
    }

    async fn save_quick_reply(&self, r: &QuickReplyRecord) -> StoreResult<()> {
        // The id's row is replaced (only within its organisation); a shortcut taken by another
        // row trips the UNIQUE index.
        let done = sqlx::query(
            "INSERT INTO quick_replies (id, org_id, shortcut, text, updated_at) VALUES (?, ?, ?, ?, ?) \
             ON CONFLICT (id) DO UPDATE SET shortcut = excluded.shortcut, text = excluded.text, \
             updated_at = excluded.updated_at WHERE quick_replies.org_id = excluded.org_id",
        )
        .bind(&r.id)
        .bind(r.org_id.as_str())
        .bind(&r.shortcut)
        .bind(&r.text)
        .bind(to_millis(r.updated_at))
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        if done.rows_affected() == 0 {
            return Err(crate::storage::StoreError::Duplicate); // another organisation's id
        }
        Ok(())
    }

    async fn quick_replies(&self, org: &OrgId) -> StoreResult<Vec<QuickReplyRecord>> {
        sqlx::query_as(
            "SELECT id, org_id, shortcut, text, updated_at FROM quick_replies WHERE org_id = ? ORDER BY shortcut",
        )
        .bind(org.as_str())
        .fetch_all(&self.pool)
        .await
        .map_err(backend)
    }

    async fn remove_quick_reply(&self, org: &OrgId, id: &str) -> StoreResult<bool> {
        let done = sqlx::query("DELETE FROM quick_replies WHERE org_id = ? AND id = ?")
            .bind(org.as_str())
            .bind(id)
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        Ok(done.rows_affected() == 1)
    }

    async fn put_media(&self, m: &MediaRecord) -> StoreResult<()> {
        sqlx::query(
            "INSERT OR REPLACE INTO whatsapp_media (org_id, message_id, mime_type, filename, sha256, bytes, stored_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(m.org_id.as_str())
        .bind(&m.message_id)
        .bind(&m.mime_type)
        .bind(&m.filename)
        .bind(&m.sha256)
        .bind(&m.bytes)
        .bind(to_millis(m.stored_at))
        .execute(&self.pool)
        .await
        .map(|_| ())
        .map_err(backend)
    }

    async fn media(&self, org: &OrgId, message_id: &str) -> StoreResult<Option<MediaRecord>> {
        sqlx::query_as(
            "SELECT org_id, message_id, mime_type, filename, sha256, bytes, stored_at FROM whatsapp_media \
             WHERE org_id = ? AND message_id = ?",
        )
        .bind(org.as_str())
        .bind(message_id)
        .fetch_optional(&self.pool)
        .await
        .map_err(backend)
    }

    async fn insert_delivery(&self, d: &DeliveryRecord) -> StoreResult<()> {
        sqlx::query("INSERT INTO whatsapp_deliveries (id, body, received_at) VALUES (?, ?, ?)")
            .bind(&d.id)
            .bind(&d.body)
            .bind(to_millis(d.received_at))
            .execute(&self.pool)
            .await
            .map(|_| ())
            .map_err(backend)
    }

    async fn insert_deliveries(&self, deliveries: &[DeliveryRecord]) -> StoreResult<()> {
        let mut tx = self.pool.begin().await.map_err(backend)?;
        for d in deliveries {
            sqlx::query("INSERT INTO whatsapp_deliveries (id, body, received_at) VALUES (?, ?, ?)")
                .bind(&d.id)
                .bind(&d.body)
                .bind(to_millis(d.received_at))
                .execute(&mut *tx)
                .await
                .map_err(backend)?;
        }
        tx.commit().await.map_err(backend)
    }

    async fn delivery(&self, id: &str) -> StoreResult<Option<DeliveryRecord>> {
        sqlx::query_as("SELECT id, body, received_at, outcome, processed_at FROM whatsapp_deliveries WHERE id = ?")
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(backend)
    }

    async fn finish_delivery(&self, id: &str, outcome: &str, now: OffsetDateTime) -> StoreResult<bool> {
        let done = sqlx::query("UPDATE whatsapp_deliveries SET outcome = ?, processed_at = ? WHERE id = ?")
            .bind(outcome)
            .bind(to_millis(now))
            .bind(id)
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        Ok(done.rows_affected() == 1)
    }

    async fn replace_templates(&self, org: &OrgId, templates: &[TemplateRecord]) -> StoreResult<()> {
        let mut tx = self.pool.begin().await.map_err(backend)?;
        sqlx::query("DELETE FROM whatsapp_templates WHERE org_id = ?").bind(org.as_str()).execute(&mut *tx).await.map_err(backend)?;
        for t in templates {
            sqlx::query(
                "INSERT INTO whatsapp_templates (org_id, name, language, category, status, components, synced_at) \
                 VALUES (?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(org.as_str())
            .bind(&t.name)
            .bind(&t.language)
            .bind(&t.category)
            .bind(&t.status)
            .bind(t.components.to_string())
            .bind(to_millis(t.synced_at))
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
        }
        tx.commit().await.map_err(backend)
    }

    async fn templates(&self, org: &OrgId) -> StoreResult<Vec<TemplateRecord>> {
        sqlx::query_as(
            "SELECT org_id, name, language, category, status, components, synced_at FROM whatsapp_templates \
             WHERE org_id = ? ORDER BY name, language",
        )
        .bind(org.as_str())
        .fetch_all(&self.pool)
        .await
        .map_err(backend)
    }
}
