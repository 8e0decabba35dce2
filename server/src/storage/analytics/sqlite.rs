use crate::storage::analytics::{AgentFigures, AnalyticsStore, Messaging, OrderRecord, ReferralOutcome};
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

    async fn messaging(&self, org: &OrgId, from: OffsetDateTime, to: OffsetDateTime) -> StoreResult<Messaging> {
        let (org, from, to) = (org.as_str(), to_millis(from), to_millis(to));
        let pool = &self.pool;
        let opened = sqlx::query_as(
            "SELECT status, COUNT(*) FROM conversations WHERE org_id = ? AND created_at >= ? AND created_at < ? \
             GROUP BY status ORDER BY status",
        )
        .bind(org)
        .bind(from)
        .bind(to)
        .fetch_all(pool);
        let days = sqlx::query_as(
            "SELECT date(created_at / 1000, 'unixepoch') AS day, SUM(direction = 'in'), SUM(direction = 'out') \
             FROM messages WHERE org_id = ? AND created_at >= ? AND created_at < ? GROUP BY day ORDER BY day",
        )
        .bind(org)
        .bind(from)
        .bind(to)
        .fetch_all(pool);
        let outbound = sqlx::query_as(
            "SELECT status, COUNT(*) FROM messages WHERE org_id = ? AND direction = 'out' AND created_at >= ? \
             AND created_at < ? GROUP BY status ORDER BY status",
        )
        .bind(org)
        .bind(from)
        .bind(to)
        .fetch_all(pool);
        // The first customer message of each conversation in the period, and our first message after it.
        let first_responses = sqlx::query_scalar(
            "WITH first AS (SELECT conversation_id, MIN(created_at) AS at FROM messages \
               WHERE org_id = ? AND direction = 'in' AND created_at >= ? AND created_at < ? GROUP BY conversation_id) \
             SELECT answered - at FROM (SELECT f.at, (SELECT MIN(m.created_at) FROM messages m \
               WHERE m.conversation_id = f.conversation_id AND m.direction = 'out' AND m.created_at >= f.at) AS answered \
               FROM first f) WHERE answered IS NOT NULL ORDER BY 1",
        )
        .bind(org)
        .bind(from)
        .bind(to)
        .fetch_all(pool);
        let resolutions = sqlx::query_scalar(
            "SELECT updated_at - created_at FROM conversations WHERE org_id = ? AND status = 'resolved' \
             AND created_at >= ? AND created_at < ? ORDER BY 1",
        )
        .bind(org)
        .bind(from)
        .bind(to)
        .fetch_all(pool);
        let agents = sqlx::query_as(
            "SELECT user_id, SUM(sent) AS sent, SUM(assigned) AS assigned, SUM(resolved) AS resolved FROM ( \
               SELECT sent_by AS user_id, COUNT(*) AS sent, 0 AS assigned, 0 AS resolved FROM messages \
                 WHERE org_id = ? AND direction = 'out' AND sent_by IS NOT NULL AND created_at >= ? AND created_at < ? \
                 GROUP BY sent_by \
               UNION ALL \
               SELECT assignee, 0, COUNT(*), SUM(status = 'resolved') FROM conversations \
                 WHERE org_id = ? AND assignee IS NOT NULL AND created_at >= ? AND created_at < ? GROUP BY assignee \
             ) GROUP BY user_id ORDER BY user_id",
        )
        .bind(org)
        .bind(from)
        .bind(to)
        .bind(org)
        .bind(from)
        .bind(to)
        .fetch_all(pool);
        let (opened, days, outbound, first_responses, resolutions, agents) =
            tokio::try_join!(opened, days, outbound, first_responses, resolutions, agents).map_err(backend)?;
        let agents: Vec<AgentFigures> = agents;
        Ok(Messaging { opened, days, outbound, first_responses, resolutions, agents })
    }
}
