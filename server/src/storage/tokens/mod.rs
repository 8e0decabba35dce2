//! Session refresh tokens and password-reset tokens, stored only as SHA-256 hashes.

#[cfg(test)]
pub(crate) mod contract;
pub(crate) mod mongo;
pub(crate) mod sqlite;

use super::{Millis, OptionMillis, OptionOrgId, StoreResult, millis, option_millis};
use app::accounts::model::Role;
use app::ids::{OrgId, UserId};
use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

#[async_trait]
pub trait TokenStore: Send + Sync {
    async fn insert_refresh_token(&self, token: &RefreshTokenRecord) -> StoreResult<()>;
    /// Marks a live, unused refresh token used, records its sealed `successor`, and returns it;
    /// `None` when it is unknown, used, revoked, expired, or its family has been revoked (checked
    /// here, so a token inserted while its family was revoked is refused too). Atomic: of two
    /// concurrent calls with one token, one wins.
    async fn use_refresh_token(
        &self,
        token_hash: &str,
        now: OffsetDateTime,
        successor: &str,
    ) -> StoreResult<Option<RefreshTokenRecord>>;
    async fn refresh_token(&self, token_hash: &str) -> StoreResult<Option<RefreshTokenRecord>>;
    /// Who a live session belongs to — its user, organisation and current role — in one round
    /// trip. `None` when the token is unknown, used, revoked or expired, its family revoked, its
    /// epoch older than the user's (a password reset or change since), or the user is no longer
    /// a member of the session's organisation.
    async fn session_member(&self, token_hash: &str, now: OffsetDateTime) -> StoreResult<Option<SessionMember>>;
    /// Revokes a whole family — every token in it now, and any inserted later — remembered until
    /// `keep_until` (the family's longest possible end). Returns how many stored tokens it revoked.
    async fn revoke_refresh_family(
        &self,
        family_id: &str,
        now: OffsetDateTime,
        keep_until: OffsetDateTime,
    ) -> StoreResult<u64>;
    async fn revoke_user_refresh_tokens(&self, user: &UserId, now: OffsetDateTime) -> StoreResult<u64>;
    async fn insert_reset_token(&self, token: &ResetTokenRecord) -> StoreResult<()>;
    /// Marks a live, unused reset token used and returns it (single use, atomic).
    async fn use_reset_token(&self, token_hash: &str, now: OffsetDateTime) -> StoreResult<Option<ResetTokenRecord>>;
    /// Stores an e-mailed sign-in link (same shape as a reset token, a different capability).
    async fn insert_sign_in_link(&self, token: &ResetTokenRecord) -> StoreResult<()>;
    /// Marks a live, unused sign-in link used and returns it (single use, atomic).
    async fn use_sign_in_link(&self, token_hash: &str, now: OffsetDateTime) -> StoreResult<Option<ResetTokenRecord>>;
    /// Marks every unused reset token of the user used (a newer request voids older links).
    async fn void_reset_tokens(&self, user: &UserId, now: OffsetDateTime) -> StoreResult<()>;
    /// Deletes refresh tokens that expired or were revoked, reset tokens used or expired, and
    /// revoked families past their end.
    async fn purge_tokens(&self, now: OffsetDateTime) -> StoreResult<PurgeCounts>;
}

/// A refresh token as stored: only its SHA-256 hash. `expires_at` is the family's absolute end:
/// rotation copies it, never extends it.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow, Serialize, Deserialize)]
pub struct RefreshTokenRecord {
    #[serde(rename = "_id")]
    pub token_hash: String,
    pub user_id: String,
    pub family_id: String,
    /// The organisation the session is signed in to.
    #[sqlx(try_from = "OptionOrgId")]
    #[serde(default)]
    pub org_id: Option<OrgId>,
    #[sqlx(try_from = "Millis")]
    #[serde(with = "millis")]
    pub expires_at: OffsetDateTime,
    /// Set when rotated: a second use is a replay.
    #[sqlx(try_from = "OptionMillis")]
    #[serde(with = "option_millis", default)]
    pub used_at: Option<OffsetDateTime>,
    #[sqlx(try_from = "OptionMillis")]
    #[serde(with = "option_millis", default)]
    pub revoked_at: Option<OffsetDateTime>,
    #[sqlx(try_from = "Millis")]
    #[serde(with = "millis")]
    pub created_at: OffsetDateTime,
    /// The token that replaced this one, sealed with the keyring (set when used).
    #[serde(default)]
    pub successor: Option<String>,
    /// The user's session epoch when issued; a token from an earlier epoch does not authenticate.
    #[serde(default)]
    pub epoch: i64,
}

/// A single-use token sent by e-mail: a password reset, or a sign-in link.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow, Serialize, Deserialize)]
pub struct ResetTokenRecord {
    #[serde(rename = "_id")]
    pub token_hash: String,
    pub user_id: String,
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

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PurgeCounts {
    pub refresh_tokens: u64,
    pub reset_tokens: u64,
}

/// The member behind a session.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow, Deserialize)]
pub struct SessionMember {
    #[sqlx(try_from = "String")]
    pub user_id: UserId,
    #[sqlx(try_from = "String")]
    pub org_id: OrgId,
    #[sqlx(try_from = "String")]
    pub role: Role,
}

