use crate::storage::analytics::{AnalyticsStore, OrderRecord, ReferralOutcome};
use crate::storage::sqlite::{SqliteStore, backend};
use crate::storage::{StoreResult, to_millis};
use app::ids::OrgId;
use async_trait::async_trait;
use time::OffsetDateTime;

#[async_trait]
impl AnalyticsStore for SqliteStore {
    async fn set_order(&self, o: &OrderRecord) -> StoreResult<()> {
        sqlx::query(
            "INSERT OR REPLACE INTO conversation_orders (org_id, conversation_id, value, currency, recorded_by, \
             recorded_at) VALUES (?, ?, ?, ?, ?, ?)",
        )
        .bind(o.org_id.as_str())
        .bind(&o.conversation_id)
        .bind(o.value)
        .bind(&o.currency)
        .bind(&o.recorded_by)
        .bind(to_millis(o.recorded_at))
        .execute(&self.pool)
        .await
        .map(|_| ())
        .map_err(backend)
    }

    async fn clear_order(&self, org: &OrgId, conversation_id: &str) -> StoreResult<bool> {
        let done = sqlx::query("DELETE FROM conversation_orders WHERE org_id = ? AND conversation_id = ?")
            .bind(org.as_str())
            .bind(conversation_id)
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        Ok(done.rows_affected() == 1)
    }

    async fn order(&self, org: &OrgId, conversation_id: &str) -> StoreResult<Option<OrderRecord>> {
        sqlx::query_as("SELECT * FROM conversation_orders WHERE org_id = ? AND conversation_id = ?")
            .bind(org.as_str())
            .bind(conversation_id)
            .fetch_optional(&self.pool)
            .await
            .map_err(backend)
    }

    async fn referral_outcomes(
        &self,
        org: &OrgId,
        from: OffsetDateTime,
        to: OffsetDateTime,
        currency: &str,
    ) -> StoreResult<Vec<ReferralOutcome>> {
        sqlx::query_as(
            "SELECT json_extract(c.referral, '$.source_id') AS ad_id, COUNT(*) AS started, \
             SUM(EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = c.id AND m.direction = 'out')) AS replied, \
             SUM(c.status = 'resolved') AS resolved, \
             COALESCE(SUM(o.currency = ?), 0) AS orders, \
             COALESCE(SUM(CASE WHEN o.currency = ? THEN o.value END), 0) AS revenue \
             FROM conversations c \
             LEFT JOIN conversation_orders o ON o.org_id = c.org_id AND o.conversation_id = c.id \
             WHERE c.org_id = ? AND c.referral IS NOT NULL AND c.created_at >= ? AND c.created_at < ? \
             GROUP BY 1 ORDER BY 1",
        )
        .bind(currency)
        .bind(currency)
        .bind(org.as_str())
        .bind(to_millis(from))
        .bind(to_millis(to))
        .fetch_all(&self.pool)
        .await
        .map_err(backend)
    }
}
