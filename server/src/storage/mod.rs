//! The storage port: what the rest of the server may ask of a database, as one trait per area.
//! Adapters implement all of them; nothing outside `storage` knows which adapter is running.

pub mod model;
mod mongo;
mod sqlite;

pub use model::*;
pub use mongo::MongoStore;
pub use sqlite::SqliteStore;

use app::accounts::model::Role;
use app::ids::{OrgId, UserId};
use async_trait::async_trait;
use std::sync::Arc;
use time::OffsetDateTime;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("storage backend: {0}")]
    Backend(String),
    #[error("stored data is malformed: {0}")]
    Corrupt(String),
    #[error("a record with this key already exists")]
    Duplicate,
}

pub type StoreResult<T> = Result<T, StoreError>;

#[async_trait]
pub trait ContactStore: Send + Sync {
    async fn insert_contact_message(&self, message: &StoredContactMessage) -> StoreResult<()>;
    /// Newest first.
    async fn recent_contact_messages(&self, limit: u32) -> StoreResult<Vec<StoredContactMessage>>;
}

/// A durable queue shared by every instance: at-least-once delivery through leases.
#[async_trait]
pub trait JobStore: Send + Sync {
    /// Adds a job, or returns the id of the job already enqueued under the same idempotency key.
    async fn enqueue_job(&self, job: &NewJob) -> StoreResult<String>;
    /// Takes the oldest due job — queued and due, or running with an expired lease (its worker
    /// died) — for `worker` until `lease_until`, counting an attempt. Atomic across instances.
    async fn claim_job(
        &self,
        worker: &str,
        now: OffsetDateTime,
        lease_until: OffsetDateTime,
    ) -> StoreResult<Option<Job>>;
    /// Extends the lease; false when the job is no longer this worker's.
    async fn heartbeat_job(&self, id: &str, worker: &str, lease_until: OffsetDateTime) -> StoreResult<bool>;
    async fn complete_job(&self, id: &str, worker: &str, now: OffsetDateTime) -> StoreResult<bool>;
    /// Records a failure: back to the queue at `retry_at`, or dead when `retry_at` is `None`.
    async fn fail_job(
        &self,
        id: &str,
        worker: &str,
        error: &str,
        retry_at: Option<OffsetDateTime>,
        now: OffsetDateTime,
    ) -> StoreResult<bool>;
    /// Gives an unfinished job back (shutdown) without counting the attempt.
    async fn release_job(&self, id: &str, worker: &str, now: OffsetDateTime) -> StoreResult<bool>;
    async fn job(&self, id: &str) -> StoreResult<Option<Job>>;
    /// The dead-letter view, newest first.
    async fn dead_jobs(&self, limit: u32) -> StoreResult<Vec<Job>>;
    /// Deletes jobs that finished (done) before `before`; dead jobs stay for inspection.
    async fn purge_done_jobs(&self, before: OffsetDateTime) -> StoreResult<u64>;
}

#[async_trait]
pub trait TokenStore: Send + Sync {
    async fn insert_refresh_token(&self, token: &RefreshTokenRecord) -> StoreResult<()>;
    /// Marks a live, unused refresh token used and returns it; `None` when it is unknown, used,
    /// revoked or expired. Atomic: of two concurrent calls with one token, one wins.
    async fn use_refresh_token(&self, token_hash: &str, now: OffsetDateTime)
    -> StoreResult<Option<RefreshTokenRecord>>;
    async fn refresh_token(&self, token_hash: &str) -> StoreResult<Option<RefreshTokenRecord>>;
    async fn revoke_refresh_family(&self, family_id: &str, now: OffsetDateTime) -> StoreResult<u64>;
    async fn revoke_user_refresh_tokens(&self, user: &UserId, now: OffsetDateTime) -> StoreResult<u64>;
    async fn insert_reset_token(&self, token: &ResetTokenRecord) -> StoreResult<()>;
    /// Marks a live, unused reset token used and returns it (single use, atomic).
    async fn use_reset_token(&self, token_hash: &str, now: OffsetDateTime) -> StoreResult<Option<ResetTokenRecord>>;
    /// Marks every unused reset token of the user used (a newer request voids older links).
    async fn void_reset_tokens(&self, user: &UserId, now: OffsetDateTime) -> StoreResult<()>;
    /// Deletes refresh tokens that expired or were revoked, and reset tokens used or expired.
    async fn purge_tokens(&self, now: OffsetDateTime) -> StoreResult<PurgeCounts>;
}

#[async_trait]
pub trait AccountStore: Send + Sync {
    /// Creates a user together with the organisation they own. `Duplicate` (and nothing kept)
    /// when the e-mail address is taken.
    async fn create_owner(&self, user: &UserRecord, org: &OrgRecord) -> StoreResult<()>;
    async fn user_by_email(&self, email: &str) -> StoreResult<Option<UserRecord>>;
    async fn user(&self, id: &UserId) -> StoreResult<Option<UserRecord>>;
    async fn set_password_hash(&self, id: &UserId, hash: &str) -> StoreResult<()>;
    async fn update_profile(&self, id: &UserId, first_name: &str, last_name: &str, lang: &str) -> StoreResult<()>;
    async fn role_in(&self, org: &OrgId, user: &UserId) -> StoreResult<Option<Role>>;
    /// The user's organisations, oldest membership first.
    async fn memberships(&self, user: &UserId) -> StoreResult<Vec<MembershipRecord>>;
    async fn record_login(&self, event: &LoginEvent) -> StoreResult<()>;
    /// Newest first.
    async fn recent_logins(&self, user: &UserId, limit: u32) -> StoreResult<Vec<LoginEvent>>;
    async fn record_login_failure(&self, key: &str, at: OffsetDateTime) -> StoreResult<()>;
    async fn login_failures_since(&self, key: &str, since: OffsetDateTime) -> StoreResult<u32>;
    async fn clear_login_failures(&self, key: &str) -> StoreResult<()>;
    async fn insert_registration(&self, registration: &PendingRegistration) -> StoreResult<()>;
    /// Marks a live, unused registration used and returns it (single use, atomic).
    async fn take_registration(
        &self,
        token_hash: &str,
        now: OffsetDateTime,
    ) -> StoreResult<Option<PendingRegistration>>;
    /// Deletes sign-ups that were used or expired, and failed sign-ins older than `failures_before`.
    async fn purge_stale_sign_ups(&self, now: OffsetDateTime, failures_before: OffsetDateTime) -> StoreResult<u64>;
}

/// Members of an organisation and invitations to join it. Every method takes the organisation,
/// so one tenant's ids can never reach another's records.
#[async_trait]
pub trait MemberStore: Send + Sync {
    /// Members with their roles, oldest first.
    async fn members(&self, org: &OrgId) -> StoreResult<Vec<(UserRecord, Role)>>;
    /// `Duplicate` when already a member.
    async fn add_member(&self, org: &OrgId, user: &UserId, role: Role, at: OffsetDateTime) -> StoreResult<()>;
    /// False when the user is not a member.
    async fn set_role(&self, org: &OrgId, user: &UserId, role: Role) -> StoreResult<bool>;
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

#[async_trait]
pub trait Store: ContactStore + JobStore + TokenStore + AccountStore + MemberStore {
    /// Proves the database answers (used by `/readyz`).
    async fn ping(&self) -> StoreResult<()>;
}

pub type DynStore = Arc<dyn Store>;

/// Opens the store the configuration names.
pub async fn open(config: &crate::config::Config) -> anyhow::Result<DynStore> {
    match config.database_url.as_deref() {
        None => Ok(Arc::new(SqliteStore::open(&config.data_dir.join("adronx.db")).await?)),
        Some(url) if url.starts_with("sqlite:") => Ok(Arc::new(SqliteStore::open_url(url).await?)),
        Some(url) if url.starts_with("mongodb://") || url.starts_with("mongodb+srv://") => {
            Ok(Arc::new(MongoStore::connect(url).await?))
        }
        Some(_) => anyhow::bail!("ADRONX_DATABASE_URL must be a sqlite:, mongodb:// or mongodb+srv:// URL"),
    }
}

#[cfg(test)]
pub mod contract;
