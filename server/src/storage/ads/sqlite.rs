use crate::storage::ads::{
    AdAccountRecord, AdRecord, AdSetRecord, AdsStore, CampaignRecord, Clock, DayResultRow, Group, InsightRecord, InsightSum,
    Level, SightingPairs, SightingRecord, SumQuery, SyncState,
};
use crate::storage::sqlite::{SqliteStore, backend};
use crate::storage::whatsapp::ConnectionStatus;
use crate::storage::{StoreError, StoreResult, to_millis};
use app::ids::OrgId;
use async_trait::async_trait;
use time::OffsetDateTime;

macro_rules! account_columns {
    () => {
        "org_id, kind, account_id, page_id, name, currency, timezone, account_status, token, status, status_detail, \
         connected_at, updated_at, sync_state, sync_stage, sync_cursor, sync_done, sync_total, sync_detail, last_sync_at, \
         clock_days, clock_left"
    };
}

/// Rows per statement in a batch upsert (SQLite allows 32,766 bound values).
const ROWS: usize = 500;

#[async_trait]
impl AdsStore for SqliteStore {
    async fn save_ad_account(&self, a: &AdAccountRecord) -> StoreResult<()> {
        let sql = concat!(
            "INSERT OR REPLACE INTO ad_accounts (",
            account_columns!(),
            ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        );
        sqlx::query(sql)
            .bind(a.org_id.as_str())
            .bind(a.kind.key())
            .bind(&a.account_id)
            .bind(&a.page_id)
            .bind(&a.name)
            .bind(&a.currency)
            .bind(&a.timezone)
            .bind(a.account_status)
            .bind(&a.token)
            .bind(a.status.key())
            .bind(&a.status_detail)
            .bind(to_millis(a.connected_at))
            .bind(to_millis(a.updated_at))
            .bind(&a.sync.sync_state)
            .bind(&a.sync.sync_stage)
            .bind(&a.sync.sync_cursor)
            .bind(a.sync.sync_done)
            .bind(a.sync.sync_total)
            .bind(&a.sync.sync_detail)
            .bind(a.sync.last_sync_at.map(to_millis))
            .bind(a.clock.clock_days)
            .bind(a.clock.clock_left)
            .execute(&self.pool)
            .await
            .map(|_| ())
            .map_err(backend)
    }

    async fn ad_account(&self, org: &OrgId) -> StoreResult<Option<AdAccountRecord>> {
        let sql = concat!("SELECT ", account_columns!(), " FROM ad_accounts WHERE org_id = ?");
        sqlx::query_as(sql).bind(org.as_str()).fetch_optional(&self.pool).await.map_err(backend)
    }

    async fn set_ad_account_status(
        &self,
        org: &OrgId,
        status: ConnectionStatus,
        detail: Option<&str>,
        now: OffsetDateTime,
    ) -> StoreResult<bool> {
        let done = sqlx::query("UPDATE ad_accounts SET status = ?, status_detail = ?, updated_at = ? WHERE org_id = ?")
            .bind(status.key())
            .bind(detail)
            .bind(to_millis(now))
            .bind(org.as_str())
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        Ok(done.rows_affected() == 1)
    }

    async fn set_sync(&self, org: &OrgId, s: &SyncState) -> StoreResult<bool> {
        let done = sqlx::query(
            "UPDATE ad_accounts SET sync_state = ?, sync_stage = ?, sync_cursor = ?, sync_done = ?, sync_total = ?, \
             sync_detail = ?, last_sync_at = ? WHERE org_id = ?",
        )
        .bind(&s.sync_state)
        .bind(&s.sync_stage)
        .bind(&s.sync_cursor)
        .bind(s.sync_done)
        .bind(s.sync_total)
        .bind(&s.sync_detail)
        .bind(s.last_sync_at.map(to_millis))
        .bind(org.as_str())
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        Ok(done.rows_affected() == 1)
    }

    async fn set_clock(&self, org: &OrgId, c: Clock) -> StoreResult<bool> {
        let done = sqlx::query("UPDATE ad_accounts SET clock_days = ?, clock_left = ? WHERE org_id = ?")
            .bind(c.clock_days)
            .bind(c.clock_left)
            .bind(org.as_str())
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        Ok(done.rows_affected() == 1)
    }

    async fn remove_ad_account(&self, org: &OrgId) -> StoreResult<bool> {
        let mut tx = self.pool.begin().await.map_err(backend)?;
        for table in ["ad_sightings", "ad_insights", "ads", "ad_sets", "ad_campaigns"] {
            // The table names are this list's constants.
            sqlx::query(sqlx::AssertSqlSafe(format!("DELETE FROM {table} WHERE org_id = ?")))
                .bind(org.as_str())
                .execute(&mut *tx)
                .await
                .map_err(backend)?;
        }
        let done = sqlx::query("DELETE FROM ad_accounts WHERE org_id = ?")
            .bind(org.as_str())
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
        tx.commit().await.map_err(backend)?;
        Ok(done.rows_affected() == 1)
    }

    async fn upsert_campaigns(&self, campaigns: &[CampaignRecord]) -> StoreResult<()> {
        let mut tx = self.pool.begin().await.map_err(backend)?;
        for chunk in campaigns.chunks(ROWS) {
            let mut q = sqlx::QueryBuilder::new(
                "INSERT OR REPLACE INTO ad_campaigns (org_id, id, name, objective, status, daily_budget, \
                 lifetime_budget, bid_strategy, synced_at) ",
            );
            q.push_values(chunk, |mut row, c| {
                row.push_bind(c.org_id.as_str())
                    .push_bind(&c.id)
                    .push_bind(&c.name)
                    .push_bind(&c.objective)
                    .push_bind(&c.status)
                    .push_bind(c.daily_budget)
                    .push_bind(c.lifetime_budget)
                    .push_bind(&c.bid_strategy)
                    .push_bind(to_millis(c.synced_at));
            });
            q.build().execute(&mut *tx).await.map_err(backend)?;
        }
        tx.commit().await.map_err(backend)
    }

    async fn upsert_ad_sets(&self, sets: &[AdSetRecord]) -> StoreResult<()> {
        let mut tx = self.pool.begin().await.map_err(backend)?;
        for chunk in sets.chunks(ROWS) {
            let mut q = sqlx::QueryBuilder::new(
                "INSERT OR REPLACE INTO ad_sets (org_id, id, campaign_id, name, status, daily_budget, \
                 lifetime_budget, bid_strategy, synced_at) ",
            );
            q.push_values(chunk, |mut row, s| {
                row.push_bind(s.org_id.as_str())
                    .push_bind(&s.id)
                    .push_bind(&s.campaign_id)
                    .push_bind(&s.name)
                    .push_bind(&s.status)
                    .push_bind(s.daily_budget)
                    .push_bind(s.lifetime_budget)
                    .push_bind(&s.bid_strategy)
                    .push_bind(to_millis(s.synced_at));
            });
            q.build().execute(&mut *tx).await.map_err(backend)?;
        }
        tx.commit().await.map_err(backend)
    }

    async fn upsert_ads(&self, ads: &[AdRecord]) -> StoreResult<()> {
        let mut tx = self.pool.begin().await.map_err(backend)?;
        for chunk in ads.chunks(ROWS) {
            let mut q = sqlx::QueryBuilder::new(
                "INSERT OR REPLACE INTO ads (org_id, id, adset_id, campaign_id, name, status, title, body, \
                 image_url, call_to_action, synced_at) ",
            );
            q.push_values(chunk, |mut row, a| {
                row.push_bind(a.org_id.as_str())
                    .push_bind(&a.id)
                    .push_bind(&a.adset_id)
                    .push_bind(&a.campaign_id)
                    .push_bind(&a.name)
                    .push_bind(&a.status)
                    .push_bind(&a.title)
                    .push_bind(&a.body)
                    .push_bind(&a.image_url)
                    .push_bind(&a.call_to_action)
                    .push_bind(to_millis(a.synced_at));
            });
            q.build().execute(&mut *tx).await.map_err(backend)?;
        }
        tx.commit().await.map_err(backend)
    }

    async fn upsert_insights(&self, insights: &[InsightRecord]) -> StoreResult<()> {
        let mut tx = self.pool.begin().await.map_err(backend)?;
        for chunk in insights.chunks(ROWS) {
            let mut q = sqlx::QueryBuilder::new(
                "INSERT OR REPLACE INTO ad_insights (org_id, level, day, object_id, campaign_id, impressions, \
                 clicks, spend, purchases, revenue) ",
            );
            q.push_values(chunk, |mut row, i| {
                row.push_bind(i.org_id.as_str())
                    .push_bind(i.level.key())
                    .push_bind(&i.day)
                    .push_bind(&i.object_id)
                    .push_bind(&i.campaign_id)
                    .push_bind(i.impressions)
                    .push_bind(i.clicks)
                    .push_bind(i.spend)
                    .push_bind(i.purchases)
                    .push_bind(i.revenue);
            });
            q.build().execute(&mut *tx).await.map_err(backend)?;
        }
        tx.commit().await.map_err(backend)
    }

    async fn campaigns(&self, org: &OrgId) -> StoreResult<Vec<CampaignRecord>> {
        sqlx::query_as("SELECT * FROM ad_campaigns WHERE org_id = ? ORDER BY name, id")
            .bind(org.as_str())
            .fetch_all(&self.pool)
            .await
            .map_err(backend)
    }

    async fn campaign(&self, org: &OrgId, id: &str) -> StoreResult<Option<CampaignRecord>> {
        sqlx::query_as("SELECT * FROM ad_campaigns WHERE org_id = ? AND id = ?")
            .bind(org.as_str())
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(backend)
    }

    async fn ad_sets(&self, org: &OrgId, campaign_id: &str) -> StoreResult<Vec<AdSetRecord>> {
        sqlx::query_as("SELECT * FROM ad_sets WHERE org_id = ? AND campaign_id = ? ORDER BY name, id")
            .bind(org.as_str())
            .bind(campaign_id)
            .fetch_all(&self.pool)
            .await
            .map_err(backend)
    }

    async fn ads(&self, org: &OrgId, campaign_id: &str) -> StoreResult<Vec<AdRecord>> {
        sqlx::query_as("SELECT * FROM ads WHERE org_id = ? AND campaign_id = ? ORDER BY name, id")
            .bind(org.as_str())
            .bind(campaign_id)
            .fetch_all(&self.pool)
            .await
            .map_err(backend)
    }

    async fn ad_campaigns(&self, org: &OrgId) -> StoreResult<Vec<(String, String)>> {
        sqlx::query_as("SELECT id, campaign_id FROM ads WHERE org_id = ?")
            .bind(org.as_str())
            .fetch_all(&self.pool)
            .await
            .map_err(backend)
    }

    async fn insight_sums(&self, org: &OrgId, q: &SumQuery<'_>) -> StoreResult<Vec<InsightSum>> {
        let key = match q.group {
            Group::Day => "day",
            Group::Object => "object_id",
        };
        let campaign = if q.campaign.is_some() { " AND campaign_id = ?" } else { "" };
        let sql = format!(
            "SELECT {key} AS key, SUM(impressions) AS impressions, SUM(clicks) AS clicks, SUM(spend) AS spend, \
             SUM(purchases) AS purchases, SUM(revenue) AS revenue FROM ad_insights \
             WHERE org_id = ? AND level = ? AND day >= ? AND day <= ?{campaign} GROUP BY {key} ORDER BY {key}"
        );
        // Built from constants: every value is bound.
        let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(org.as_str()).bind(q.level.key()).bind(q.from).bind(q.to);
        if let Some(campaign) = q.campaign {
            query = query.bind(campaign);
        }
        query.fetch_all(&self.pool).await.map_err(backend)
    }

    async fn daily_results(&self, org: &OrgId, level: Level, from: &str, to: &str) -> StoreResult<Vec<DayResultRow>> {
        // A year of fifty campaigns is 18,000 rows: decoded one by one through the driver they
        // cost more than the optimiser itself, so SQLite joins each campaign's days into one
        // text ("day spend revenue,…") and they are split here.
        let grouped: Vec<(String, String)> = sqlx::query_as(
            "SELECT object_id, group_concat(day || ' ' || spend || ' ' || revenue, ',') FROM ad_insights \
             WHERE org_id = ? AND level = ? AND day >= ? AND day <= ? GROUP BY object_id",
        )
        .bind(org.as_str())
        .bind(level.key())
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        let mut rows = Vec::new();
        for (campaign, days) in grouped {
            let start = rows.len();
            for day in joined(&days) {
                let (day, spend, revenue) = day?;
                rows.push(DayResultRow { campaign_id: campaign.clone(), day: day.to_owned(), spend, revenue });
            }
            rows[start..].sort_unstable_by(|a, b| a.day.cmp(&b.day));
        }
        rows.sort_by(|a, b| a.campaign_id.cmp(&b.campaign_id));
        Ok(rows)
    }

    async fn record_sightings(&self, sightings: &[SightingRecord]) -> StoreResult<()> {
        let mut tx = self.pool.begin().await.map_err(backend)?;
        for chunk in sightings.chunks(ROWS) {
            let mut q = sqlx::QueryBuilder::new(
                "INSERT OR IGNORE INTO ad_sightings (org_id, campaign_id, day, age, revenue) ",
            );
            q.push_values(chunk, |mut row, s| {
                row.push_bind(s.org_id.as_str()).push_bind(&s.campaign_id).push_bind(&s.day).push_bind(s.age).push_bind(s.revenue);
            });
            q.build().execute(&mut *tx).await.map_err(backend)?;
        }
        tx.commit().await.map_err(backend)
    }

    async fn sighting_pairs(&self, org: &OrgId, from: &str) -> StoreResult<Vec<SightingPairs>> {
        // Each campaign's sightings joined into one text in primary-key order (no sort), paired
        // here: cheaper than a window over every row (see `daily_results`).
        let grouped: Vec<(String, String)> = sqlx::query_as(
            "SELECT campaign_id, group_concat(day || ' ' || age || ' ' || revenue, ',') FROM ad_sightings \
             WHERE org_id = ? AND day >= ? GROUP BY campaign_id ORDER BY campaign_id",
        )
        .bind(org.as_str())
        .bind(from)
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        let mut out = Vec::new();
        for (campaign, text) in &grouped {
            let seen = joined(text).collect::<StoreResult<Vec<_>>>()?;
            out.extend(crate::storage::ads::pair_campaign(campaign, seen));
        }
        Ok(out)
    }
}

/// The items of a `group_concat` of `"text number number"` joined with commas.
fn joined(text: &str) -> impl Iterator<Item = StoreResult<(&str, i64, i64)>> {
    text.split(',').map(|item| {
        let mut parts = item.split(' ');
        let number = |t: Option<&str>| {
            t.and_then(|t| t.parse::<i64>().ok()).ok_or_else(|| StoreError::Backend(format!("unreadable {item:?}")))
        };
        Ok((parts.next().unwrap_or_default(), number(parts.next())?, number(parts.next())?))
    })
}
