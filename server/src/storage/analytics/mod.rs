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
    /// The messaging side of `from`..`to` (exclusive): see [`Messaging`].
    async fn messaging(&self, org: &OrgId, from: OffsetDateTime, to: OffsetDateTime) -> StoreResult<Messaging>;
}

/// What the inbox did in a period.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Messaging {
    /// Conversations opened in the period, by their status now (`open`, `pending`, `resolved`).
    pub opened: Vec<(String, i64)>,
    /// Per UTC day (`YYYY-MM-DD`) with messages: customers' messages and ours.
    pub days: Vec<(String, i64, i64)>,
    /// Our messages of the period by their status (`pending`, `sent`, `delivered`, `read`, `failed`).
    pub outbound: Vec<(String, i64)>,
    /// For each conversation whose first customer message of the period was answered: the wait
    /// for the first answer, in milliseconds.
    pub first_responses: Vec<i64>,
    /// For conversations opened in the period and resolved since: from opening to the last change
    /// (their resolution), in milliseconds.
    pub resolutions: Vec<i64>,
    /// Per member: our messages they sent, conversations assigned to them opened in the period,
    /// and those resolved.
    pub agents: Vec<AgentFigures>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, sqlx::FromRow)]
pub struct AgentFigures {
    pub user_id: String,
    pub sent: i64,
    pub assigned: i64,
    pub resolved: i64,
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
