//! The budget optimiser's records: an organisation's settings (its daily budget and rails, and the
//! automatic mode), its decisions — each proposal and what became of it — and Claude's
//! explanation of a decision, kept once per language.

#[cfg(test)]
pub(crate) mod contract;
pub(crate) mod mongo;
pub(crate) mod sqlite;

use super::{Millis, OptionMillis, StoreResult, millis, option_millis};
use app::ids::OrgId;
use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

#[async_trait]
pub trait BudgetsStore: Send + Sync {
    async fn budget_settings(&self, org: &OrgId) -> StoreResult<Option<BudgetSettingsRecord>>;
    /// Creates or replaces the organisation's settings.
    async fn save_budget_settings(&self, settings: &BudgetSettingsRecord) -> StoreResult<()>;
    /// Creates or replaces a decision (by id).
    async fn save_decision(&self, decision: &DecisionRecord) -> StoreResult<()>;
    /// Moves a decision's status from `from` to `to`, touching nothing else; false (and nothing
    /// changed) when its status is no longer `from` — so jobs and requests racing on one decision
    /// cannot write over each other's fields.
    async fn move_decision(&self, org: &OrgId, id: &str, from: &str, to: &str) -> StoreResult<bool>;
    async fn decision(&self, org: &OrgId, id: &str) -> StoreResult<Option<DecisionRecord>>;
    /// The organisation's decisions, newest first.
    async fn decisions(&self, org: &OrgId, limit: i64) -> StoreResult<Vec<DecisionRecord>>;
    async fn explanation(&self, org: &OrgId, decision_id: &str, lang: &str) -> StoreResult<Option<ExplanationRecord>>;
    /// Keeps a decision's explanation in a language (replacing one there was).
    async fn save_explanation(&self, explanation: &ExplanationRecord) -> StoreResult<()>;

    /// Records the changes an apply asks for; a (decision, campaign) already recorded is left as
    /// it is (nothing is applied twice). Answers how many were new.
    async fn add_changes(&self, changes: &[BudgetChangeRecord]) -> StoreResult<u64>;
    /// A decision's changes, by campaign.
    async fn changes(&self, org: &OrgId, decision_id: &str) -> StoreResult<Vec<BudgetChangeRecord>>;
    /// Moves one change to `status` with its error (if any) and, once applied, the budget Meta
    /// took; false when there is no such change.
    async fn set_change(&self, update: &ChangeUpdate<'_>) -> StoreResult<bool>;

    /// Keeps a what-if plan (ids are new each time: a saved draft never changes).
    async fn save_draft(&self, draft: &DraftRecord) -> StoreResult<()>;
    async fn draft(&self, org: &OrgId, id: &str) -> StoreResult<Option<DraftRecord>>;
}

/// A what-if plan saved to share: `budgets` is a JSON object, campaign id → minor units.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow, Serialize, Deserialize)]
pub struct DraftRecord {
    #[serde(rename = "_id")]
    pub id: String,
    #[sqlx(try_from = "String")]
    pub org_id: OrgId,
    pub decision_id: String,
    pub budgets: String,
    pub created_by: String,
    #[sqlx(try_from = "Millis")]
    #[serde(with = "millis")]
    pub created_at: OffsetDateTime,
}

/// One campaign's budget change when a decision is applied: the job's state and the audit trail
/// (who asked, what changed, when it took).
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow, Serialize, Deserialize)]
pub struct BudgetChangeRecord {
    #[sqlx(try_from = "String")]
    pub org_id: OrgId,
    pub decision_id: String,
    pub campaign_id: String,
    pub budget_before: i64,
    /// What the decision asks for, and what Meta took (its currency unit may be coarser).
    pub budget_after: i64,
    pub applied_budget: Option<i64>,
    /// `pending`, `applied` or `failed`.
    pub status: String,
    /// An error code (`error-…`) when it failed.
    pub error: Option<String>,
    pub attempts: i64,
    pub requested_by: String,
    #[sqlx(try_from = "Millis")]
    #[serde(with = "millis")]
    pub requested_at: OffsetDateTime,
    #[sqlx(try_from = "Millis")]
    #[serde(with = "millis")]
    pub updated_at: OffsetDateTime,
}

/// What [`BudgetsStore::set_change`] writes.
#[derive(Clone, Copy, Debug)]
pub struct ChangeUpdate<'a> {
    pub org: &'a OrgId,
    pub decision_id: &'a str,
    pub campaign_id: &'a str,
    pub status: &'a str,
    pub error: Option<&'a str>,
    pub applied_budget: Option<i64>,
    /// Counts one more attempt (a retry asked by an admin).
    pub attempt: bool,
    pub now: OffsetDateTime,
}

/// What the optimiser may do with an organisation's ad budget. Amounts in minor units of
/// `currency` (the ad account's when saved).
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow, Serialize, Deserialize)]
pub struct BudgetSettingsRecord {
    #[serde(rename = "_id")]
    #[sqlx(try_from = "String")]
    pub org_id: OrgId,
    pub currency: String,
    /// The account's daily budget, shared among the campaigns.
    pub daily_budget: i64,
    /// Every campaign gets at least `floor` and at most `cap`.
    pub floor: i64,
    pub cap: i64,
    /// The largest day-over-day change of a campaign's budget, in percent.
    pub max_change_pct: i64,
    /// A campaign with fewer matured days or less spend over them keeps its budget.
    pub min_days: i64,
    pub min_spend: i64,
    /// The automatic mode (owners switch it on), and why it paused itself.
    pub auto: bool,
    pub auto_paused: Option<String>,
    pub updated_by: String,
    #[sqlx(try_from = "Millis")]
    #[serde(with = "millis")]
    pub updated_at: OffsetDateTime,
}

/// A proposal and what became of it. `body` is the decision as the service wrote it (JSON, read
/// only by the service).
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow, Serialize, Deserialize)]
pub struct DecisionRecord {
    #[serde(rename = "_id")]
    pub id: String,
    #[sqlx(try_from = "String")]
    pub org_id: OrgId,
    /// The account's day it was proposed on (`YYYY-MM-DD`).
    pub day: String,
    /// Of everything it was computed from: the same inputs give the same decision.
    pub inputs_hash: String,
    /// `proposed`, `applying`, `applied`, `partial` (some changes failed), `superseded`.
    pub status: String,
    pub body: String,
    /// A member's id, or `auto`/`schedule`.
    pub created_by: String,
    #[sqlx(try_from = "Millis")]
    #[serde(with = "millis")]
    pub created_at: OffsetDateTime,
    pub applied_by: Option<String>,
    #[sqlx(try_from = "OptionMillis")]
    #[serde(with = "option_millis", default)]
    pub applied_at: Option<OffsetDateTime>,
}

/// A decision explained in one language: by Claude (`source` = `claude`) or built from the
/// decision's record when Claude was not available (`rules`).
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow, Serialize, Deserialize)]
pub struct ExplanationRecord {
    #[sqlx(try_from = "String")]
    pub org_id: OrgId,
    pub decision_id: String,
    pub lang: String,
    pub text: String,
    pub source: String,
    #[sqlx(try_from = "Millis")]
    #[serde(with = "millis")]
    pub created_at: OffsetDateTime,
}
