//! What conversations led to: the order an agent records on a conversation, and the sums the
//! dashboards read over conversations and messages (here the conversations each ad started).

#[cfg(test)]
pub(crate) mod contract;
pub(crate) mod mongo;
pub(crate) mod sqlite;

use super::{Millis, StoreResult, millis};
use app::ids::OrgId;
use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

#[async_trait]
pub trait AnalyticsStore: Send + Sync {
    /// Records (or replaces) the conversation's order.
    async fn set_order(&self, order: &OrderRecord) -> StoreResult<()>;
    /// False when there was none.
    async fn clear_order(&self, org: &OrgId, conversation_id: &str) -> StoreResult<bool>;
    async fn order(&self, org: &OrgId, conversation_id: &str) -> StoreResult<Option<OrderRecord>>;
    /// Per ad (`referral.source_id`), the conversations it started from `from` (inclusive) to
    /// `to` (exclusive): how many, how many an agent answered, how many are resolved, and the
    /// orders recorded on them in `currency`.
    async fn referral_outcomes(
        &self,
        org: &OrgId,
        from: OffsetDateTime,
        to: OffsetDateTime,
        currency: &str,
    ) -> StoreResult<Vec<ReferralOutcome>>;
}

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow, Serialize, Deserialize)]
pub struct OrderRecord {
    #[sqlx(try_from = "String")]
    pub org_id: OrgId,
    pub conversation_id: String,
    /// Minor units of `currency`.
    pub value: i64,
    pub currency: String,
    /// The member who recorded it.
    pub recorded_by: String,
    #[sqlx(try_from = "Millis")]
    #[serde(with = "millis")]
    pub recorded_at: OffsetDateTime,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, sqlx::FromRow)]
pub struct ReferralOutcome {
    pub ad_id: String,
    pub started: i64,
    pub replied: i64,
    pub resolved: i64,
    pub orders: i64,
    pub revenue: i64,
}
