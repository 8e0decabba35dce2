//! Members of an organisation and invitations to join it.

#[cfg(test)]
pub(crate) mod contract;
pub(crate) mod mongo;
pub(crate) mod sqlite;

use super::{Millis, OptionMillis, StoreResult, millis, option_millis};
use super::accounts::UserRecord;
use app::accounts::model::Role;
use app::ids::{OrgId, UserId};
use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// Members of an organisation and invitations to join it. Every method takes the organisation,
/// so one tenant's ids can never reach another's records.
#[async_trait]
pub trait MemberStore: Send + Sync {
    /// Members with their roles, oldest first.
    async fn members(&self, org: &OrgId) -> StoreResult<Vec<(UserRecord, Role)>>;
    /// `Duplicate` when already a member.
    async fn add_member(&self, org: &OrgId, user: &UserId, role: Role, at: OffsetDateTime) -> StoreResult<()>;
    /// False when the user is not a member; `LastOwner` (and nothing changed) when it would leave
    /// the organisation without an owner — decided atomically with the write, so two owners
    /// demoting each other at once cannot both succeed.
    async fn set_role(&self, org: &OrgId, user: &UserId, role: Role) -> StoreResult<bool>;
    /// As `set_role`, for leaving or being removed.
    async fn remove_member(&self, org: &OrgId, user: &UserId) -> StoreResult<bool>;
    /// Creates a user who belongs to no organisation yet (an invited newcomer).
    async fn create_user(&self, user: &UserRecord) -> StoreResult<()>;
    async fn create_invitation(&self, invitation: &InvitationRecord) -> StoreResult<()>;
    /// Not accepted, not revoked, not expired; newest first.
    async fn pending_invitations(&self, org: &OrgId, now: OffsetDateTime) -> StoreResult<Vec<InvitationRecord>>;
    async fn invitation_by_token(&self, token_hash: &str) -> StoreResult<Option<InvitationRecord>>;
    /// Marks a pending invitation accepted and returns it (single use, atomic).
    async fn accept_invitation(&self, token_hash: &str, now: OffsetDateTime) -> StoreResult<Option<InvitationRecord>>;
    async fn revoke_invitation(&self, org: &OrgId, id: &str, now: OffsetDateTime) -> StoreResult<bool>;
    /// Gives a pending invitation a new token and expiry (resend); false when not pending.
    async fn renew_invitation(
        &self,
        org: &OrgId,
        id: &str,
        token_hash: &str,
        expires_at: OffsetDateTime,
        now: OffsetDateTime,
    ) -> StoreResult<Option<InvitationRecord>>;
}

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow, Serialize, Deserialize)]
pub struct InvitationRecord {
    #[serde(rename = "_id")]
    pub id: String,
    #[sqlx(try_from = "String")]
    pub org_id: OrgId,
    /// Lower-cased; only this address can accept.
    pub email: String,
    #[sqlx(try_from = "String")]
    pub role: Role,
    pub token_hash: String,
    #[sqlx(try_from = "String")]
    pub invited_by: UserId,
    #[sqlx(try_from = "Millis")]
    #[serde(with = "millis")]
    pub expires_at: OffsetDateTime,
    #[sqlx(try_from = "OptionMillis")]
    #[serde(with = "option_millis", default)]
    pub accepted_at: Option<OffsetDateTime>,
    #[sqlx(try_from = "OptionMillis")]
    #[serde(with = "option_millis", default)]
    pub revoked_at: Option<OffsetDateTime>,
    #[sqlx(try_from = "Millis")]
    #[serde(with = "millis")]
    pub created_at: OffsetDateTime,
}

/// A member as both adapters read one: the user and their role in the organisation.
#[derive(sqlx::FromRow, Deserialize)]
pub(crate) struct MemberRow {
    #[sqlx(flatten)]
    pub(crate) user: UserRecord,
    #[sqlx(try_from = "String")]
    pub(crate) role: Role,
}
