use crate::storage::budgets::{
    BudgetChangeRecord, BudgetSettingsRecord, BudgetsStore, ChangeUpdate, DecisionRecord, DraftRecord, ExplanationRecord,
};
use crate::storage::sqlite::{SqliteStore, backend};
use crate::storage::{StoreResult, to_millis};
use app::ids::OrgId;
use async_trait::async_trait;

#[async_trait]
impl BudgetsStore for SqliteStore {
    async fn budget_settings(&self, org: &OrgId) -> StoreResult<Option<BudgetSettingsRecord>> {
        sqlx::query_as("SELECT * FROM budget_settings WHERE org_id = ?")
            .bind(org.as_str())
            .fetch_optional(&self.pool)
            .await
            .map_err(backend)
    }

    async fn save_budget_settings(&self, s: &BudgetSettingsRecord) -> StoreResult<()> {
        sqlx::query(
            "INSERT OR REPLACE INTO budget_settings (org_id, currency, daily_budget, floor, cap, max_change_pct, \
             min_days, min_spend, auto, auto_paused, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(s.org_id.as_str())
        .bind(&s.currency)
        .bind(s.daily_budget)
        .bind(s.floor)
        .bind(s.cap)
        .bind(s.max_change_pct)
        .bind(s.min_days)
        .bind(s.min_spend)
        .bind(s.auto)
        .bind(&s.auto_paused)
        .bind(&s.updated_by)
        .bind(to_millis(s.updated_at))
        .execute(&self.pool)
        .await
        .map(|_| ())
        .map_err(backend)
    }

    async fn save_decision(&self, d: &DecisionRecord) -> StoreResult<()> {
        sqlx::query(
            "INSERT OR REPLACE INTO budget_decisions (id, org_id, day, inputs_hash, status, body, created_by, \
             created_at, applied_by, applied_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&d.id)
        .bind(d.org_id.as_str())
        .bind(&d.day)
        .bind(&d.inputs_hash)
        .bind(&d.status)
        .bind(&d.body)
        .bind(&d.created_by)
        .bind(to_millis(d.created_at))
        .bind(&d.applied_by)
        .bind(d.applied_at.map(to_millis))
        .execute(&self.pool)
        .await
        .map(|_| ())
        .map_err(backend)
    }

    async fn move_decision(&self, org: &OrgId, id: &str, from: &str, to: &str) -> StoreResult<bool> {
        let done = sqlx::query("UPDATE budget_decisions SET status = ? WHERE org_id = ? AND id = ? AND status = ?")
            .bind(to)
            .bind(org.as_str())
            .bind(id)
            .bind(from)
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        Ok(done.rows_affected() == 1)
    }

    async fn decision(&self, org: &OrgId, id: &str) -> StoreResult<Option<DecisionRecord>> {
        sqlx::query_as("SELECT * FROM budget_decisions WHERE org_id = ? AND id = ?")
            .bind(org.as_str())
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(backend)
    }

    async fn decisions(&self, org: &OrgId, limit: i64) -> StoreResult<Vec<DecisionRecord>> {
        sqlx::query_as("SELECT * FROM budget_decisions WHERE org_id = ? ORDER BY created_at DESC, id DESC LIMIT ?")
            .bind(org.as_str())
            .bind(limit)
            .fetch_all(&self.pool)
            .await
            .map_err(backend)
    }

    async fn explanation(&self, org: &OrgId, decision_id: &str, lang: &str) -> StoreResult<Option<ExplanationRecord>> {
        sqlx::query_as("SELECT * FROM budget_explanations WHERE org_id = ? AND decision_id = ? AND lang = ?")
            .bind(org.as_str())
            .bind(decision_id)
            .bind(lang)
            .fetch_optional(&self.pool)
            .await
            .map_err(backend)
    }

    async fn save_explanation(&self, e: &ExplanationRecord) -> StoreResult<()> {
        sqlx::query(
            "INSERT OR REPLACE INTO budget_explanations (org_id, decision_id, lang, text, source, created_at) \
             VALUES (?, ?, ?, ?, ?, ?)",
        )
        .bind(e.org_id.as_str())
        .bind(&e.decision_id)
        .bind(&e.lang)
        .bind(&e.text)
        .bind(&e.source)
        .bind(to_millis(e.created_at))
        .execute(&self.pool)
        .await
        .map(|_| ())
        .map_err(backend)
    }

    async fn add_changes(&self, changes: &[BudgetChangeRecord]) -> StoreResult<u64> {
        let mut tx = self.pool.begin().await.map_err(backend)?;
        let mut added = 0;
        for c in changes {
            let done = sqlx::query(
                "INSERT OR IGNORE INTO budget_changes (org_id, decision_id, campaign_id, budget_before, budget_after, \
                 applied_budget, status, error, attempts, requested_by, requested_at, updated_at) \
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(c.org_id.as_str())
            .bind(&c.decision_id)
            .bind(&c.campaign_id)
            .bind(c.budget_before)
            .bind(c.budget_after)
            .bind(c.applied_budget)
            .bind(&c.status)
            .bind(&c.error)
            .bind(c.attempts)
            .bind(&c.requested_by)
            .bind(to_millis(c.requested_at))
            .bind(to_millis(c.updated_at))
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
            added += done.rows_affected();
        }
        tx.commit().await.map_err(backend)?;
        Ok(added)
    }

    async fn changes(&self, org: &OrgId, decision_id: &str) -> StoreResult<Vec<BudgetChangeRecord>> {
        sqlx::query_as("SELECT * FROM budget_changes WHERE org_id = ? AND decision_id = ? ORDER BY campaign_id")
            .bind(org.as_str())
            .bind(decision_id)
            .fetch_all(&self.pool)
            .await
            .map_err(backend)
    }

    async fn set_change(&self, u: &ChangeUpdate<'_>) -> StoreResult<bool> {
        let done = sqlx::query(
            "UPDATE budget_changes SET status = ?, error = ?, applied_budget = COALESCE(?, applied_budget), \
             attempts = attempts + ?, updated_at = ? WHERE org_id = ? AND decision_id = ? AND campaign_id = ?",
        )
        .bind(u.status)
        .bind(u.error)
        .bind(u.applied_budget)
        .bind(i64::from(u.attempt))
        .bind(to_millis(u.now))
        .bind(u.org.as_str())
        .bind(u.decision_id)
        .bind(u.campaign_id)
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        Ok(done.rows_affected() == 1)
    }

    async fn save_draft(&self, d: &DraftRecord) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO budget_drafts (id, org_id, decision_id, budgets, created_by, created_at) \
             VALUES (?, ?, ?, ?, ?, ?)",
        )
        .bind(&d.id)
        .bind(d.org_id.as_str())
        .bind(&d.decision_id)
        .bind(&d.budgets)
        .bind(&d.created_by)
        .bind(to_millis(d.created_at))
        .execute(&self.pool)
        .await
        .map(|_| ())
        .map_err(backend)
    }

    async fn draft(&self, org: &OrgId, id: &str) -> StoreResult<Option<DraftRecord>> {
        sqlx::query_as("SELECT * FROM budget_drafts WHERE org_id = ? AND id = ?")
            .bind(org.as_str())
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(backend)
    }
}
