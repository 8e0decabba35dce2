//! People, organisations, memberships, sign-ins and pending sign-ups.

#[cfg(test)]
pub(crate) mod contract;
pub(crate) mod mongo;
pub(crate) mod sqlite;

use super::{Millis, OptionMillis, StoreResult, millis, option_millis};
use app::accounts::model::Role;
use app::ids::{OrgId, UserId};
use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

#[async_trait]
pub trait AccountStore: Send + Sync {
    /// Creates a user together with the organisation they own. `Duplicate` (and nothing kept)
    /// when the e-mail address is taken.
    async fn create_owner(&self, user: &UserRecord, org: &OrgRecord) -> StoreResult<()>;
    async fn user_by_email(&self, email: &str) -> StoreResult<Option<UserRecord>>;
    async fn user(&self, id: &UserId) -> StoreResult<Option<UserRecord>>;
    /// Sets the password and bumps the session epoch (access tokens issued before stop working).
    async fn set_password_hash(&self, id: &UserId, hash: &str) -> StoreResult<()>;
    async fn update_profile(&self, id: &UserId, first_name: &str, last_name: &str, lang: &str) -> StoreResult<()>;
    async fn role_in(&self, org: &OrgId, user: &UserId) -> StoreResult<Option<Role>>;
    /// The member's role and the user's session epoch, in one round trip (bearer tokens).
    async fn access(&self, org: &OrgId, user: &UserId) -> StoreResult<Option<MemberAccess>>;
    /// The user's organisations, oldest membership first.
    async fn memberships(&self, user: &UserId) -> StoreResult<Vec<MembershipRecord>>;
    async fn record_login(&self, event: &LoginEvent) -> StoreResult<()>;
    /// Newest first.
    async fn recent_logins(&self, user: &UserId, limit: u32) -> StoreResult<Vec<LoginEvent>>;
    async fn record_attempt(&self, key: &str, at: OffsetDateTime) -> StoreResult<()>;
    async fn attempts_since(&self, key: &str, since: OffsetDateTime) -> StoreResult<u32>;
    async fn clear_attempts(&self, key: &str) -> StoreResult<()>;
    /// Takes back one attempt recorded under `key` at `at` (a sign-in that succeeded).
    async fn release_attempt(&self, key: &str, at: OffsetDateTime) -> StoreResult<()>;
    async fn insert_registration(&self, registration: &PendingRegistration) -> StoreResult<()>;
    /// A live, unused registration, without taking it.
    async fn registration(&self, token_hash: &str, now: OffsetDateTime) -> StoreResult<Option<PendingRegistration>>;
    /// Marks a live, unused registration used and returns it (single use, atomic).
    async fn take_registration(
        &self,
        token_hash: &str,
        now: OffsetDateTime,
    ) -> StoreResult<Option<PendingRegistration>>;
    /// Deletes sign-ups that were used or expired, and failed sign-ins older than `failures_before`.
    async fn purge_stale_sign_ups(&self, now: OffsetDateTime, failures_before: OffsetDateTime) -> StoreResult<u64>;
}

// Records are read and written with one mechanism per adapter: sqlx `FromRow` (SQLite) and serde
// documents (MongoDB). They are storage records only: no endpoint answers with one.

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow, Serialize, Deserialize)]
pub struct UserRecord {
    #[sqlx(try_from = "String")]
    #[serde(rename = "_id")]
    pub id: UserId,
    /// Lower-cased.
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub password_hash: String,
    pub lang: String,
    #[sqlx(try_from = "Millis")]
    #[serde(with = "millis")]
    pub created_at: OffsetDateTime,
    /// Bumped by every password reset or change; access tokens from an earlier epoch are void.
    #[serde(default)]
    pub session_epoch: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow, Serialize, Deserialize)]
pub struct OrgRecord {
    #[sqlx(try_from = "String")]
    #[serde(rename = "_id")]
    pub id: OrgId,
    pub name: String,
    #[sqlx(try_from = "Millis")]
    #[serde(with = "millis")]
    pub created_at: OffsetDateTime,
}

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow, Serialize, Deserialize)]
pub struct MembershipRecord {
    #[sqlx(flatten)]
    pub org: OrgRecord,
    #[sqlx(try_from = "String")]
    pub role: Role,
}

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow, Serialize, Deserialize)]
pub struct LoginEvent {
    #[serde(rename = "_id")]
    pub id: String,
    #[sqlx(try_from = "String")]
    pub user_id: UserId,
    #[sqlx(try_from = "Millis")]
    #[serde(with = "millis")]
    pub at: OffsetDateTime,
    pub ip: String,
    pub user_agent: String,
}

/// A sign-up waiting for its e-mail address to be confirmed.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow, Serialize, Deserialize)]
pub struct PendingRegistration {
    #[serde(rename = "_id")]
    pub token_hash: String,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub password_hash: String,
    pub organisation: String,
    pub lang: String,
    #[sqlx(try_from = "Millis")]
    #[serde(with = "millis")]
    pub expires_at: OffsetDateTime,
    #[sqlx(try_from = "OptionMillis")]
    #[serde(with = "option_millis", default)]
    pub used_at: Option<OffsetDateTime>,
    #[sqlx(try_from = "Millis")]
    #[serde(with = "millis")]
    pub created_at: OffsetDateTime,
}

/// What a bearer token's holder may do now.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow, Deserialize)]
pub struct MemberAccess {
    #[sqlx(try_from = "String")]
    pub role: Role,
    pub session_epoch: i64,
}
