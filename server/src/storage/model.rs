//! Records the storage port reads and writes. Times are `OffsetDateTime` in UTC, at millisecond
//! precision (what every adapter can store exactly).

use app::accounts::model::Role;
use app::contact::model::ContactMessage;
use app::ids::{OrgId, UserId};
use time::OffsetDateTime;

/// A stored contact-form message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredContactMessage {
    pub id: String,
    pub message: ContactMessage,
    pub received_at: OffsetDateTime,
}

#[derive(Clone, Debug, PartialEq)]
pub struct NewJob {
    pub kind: String,
    pub payload: serde_json::Value,
    pub run_at: OffsetDateTime,
    /// A second enqueue with the same key returns the first job instead of adding one.
    pub idempotency_key: Option<String>,
    pub max_attempts: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JobStatus {
    Queued,
    Running,
    Done,
    /// Gave up after its last attempt: kept for inspection (the dead-letter view).
    Dead,
}

impl JobStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            JobStatus::Queued => "queued",
            JobStatus::Running => "running",
            JobStatus::Done => "done",
            JobStatus::Dead => "dead",
        }
    }

    pub fn parse(s: &str) -> Option<JobStatus> {
        [JobStatus::Queued, JobStatus::Running, JobStatus::Done, JobStatus::Dead].into_iter().find(|j| j.as_str() == s)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Job {
    pub id: String,
    pub kind: String,
    pub payload: serde_json::Value,
    pub status: JobStatus,
    /// Attempts started so far, including the current one.
    pub attempts: u32,
    pub max_attempts: u32,
    pub run_at: OffsetDateTime,
    pub lease_until: Option<OffsetDateTime>,
    pub locked_by: Option<String>,
    pub last_error: Option<String>,
}

/// A refresh token as stored: only its SHA-256 hash. `expires_at` is the family's absolute end:
/// rotation copies it, never extends it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RefreshTokenRecord {
    pub token_hash: String,
    pub user_id: String,
    pub family_id: String,
    /// The organisation the session is signed in to.
    pub org_id: Option<OrgId>,
    pub expires_at: OffsetDateTime,
    /// Set when rotated: a second use is a replay.
    pub used_at: Option<OffsetDateTime>,
    pub revoked_at: Option<OffsetDateTime>,
    pub created_at: OffsetDateTime,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResetTokenRecord {
    pub token_hash: String,
    pub user_id: String,
    pub expires_at: OffsetDateTime,
    pub used_at: Option<OffsetDateTime>,
    pub created_at: OffsetDateTime,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PurgeCounts {
    pub refresh_tokens: u64,
    pub reset_tokens: u64,
}

/// Milliseconds since the Unix epoch, the unit adapters store.
pub fn to_millis(t: OffsetDateTime) -> i64 {
    (t.unix_timestamp_nanos() / 1_000_000) as i64
}

pub fn from_millis(ms: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp_nanos(ms as i128 * 1_000_000).expect("stored times are in range")
}

/// `t` truncated to what storage keeps.
pub fn millis_precision(t: OffsetDateTime) -> OffsetDateTime {
    from_millis(to_millis(t))
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserRecord {
    pub id: UserId,
    /// Lower-cased.
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub password_hash: String,
    pub lang: String,
    pub created_at: OffsetDateTime,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrgRecord {
    pub id: OrgId,
    pub name: String,
    pub created_at: OffsetDateTime,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MembershipRecord {
    pub org: OrgRecord,
    pub role: Role,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoginEvent {
    pub id: String,
    pub user_id: UserId,
    pub at: OffsetDateTime,
    pub ip: String,
    pub user_agent: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvitationRecord {
    pub id: String,
    pub org_id: OrgId,
    /// Lower-cased; only this address can accept.
    pub email: String,
    pub role: Role,
    pub token_hash: String,
    pub invited_by: UserId,
    pub expires_at: OffsetDateTime,
    pub accepted_at: Option<OffsetDateTime>,
    pub revoked_at: Option<OffsetDateTime>,
    pub created_at: OffsetDateTime,
}

/// A sign-up waiting for its e-mail address to be confirmed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PendingRegistration {
    pub token_hash: String,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub password_hash: String,
    pub organisation: String,
    pub lang: String,
    pub expires_at: OffsetDateTime,
    pub used_at: Option<OffsetDateTime>,
    pub created_at: OffsetDateTime,
}
