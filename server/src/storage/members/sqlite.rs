use crate::storage::accounts::sqlite::insert_user;
use crate::storage::sqlite::{SqliteStore, backend};
use crate::storage::{StoreError, StoreResult, to_millis};
use crate::storage::accounts::UserRecord;
use crate::storage::members::{InvitationRecord, MemberRow, MemberStore};
use app::accounts::model::Role;
use app::ids::{OrgId, UserId};
use async_trait::async_trait;
use time::OffsetDateTime;

macro_rules! invitation_columns {
    () => {
        "id, org_id, email, role, token_hash, invited_by, expires_at, accepted_at, revoked_at, created_at"
    };
}

/// The condition under which a membership `?2`/`?3` may stop being an owner's: it is not an owner,
/// or another owner remains, or (the clause that follows) the change keeps it an owner.
macro_rules! keeps_an_owner {
    () => {
        "(role != 'owner' OR (SELECT COUNT(*) FROM memberships WHERE org_id = ?2 AND role = 'owner') > 1 OR "
    };
}

impl SqliteStore {
    /// After a guarded write: true when it happened; else not a member (false) or `LastOwner`.
    async fn changed_or_why(&self, org: &OrgId, user: &UserId, rows: u64) -> StoreResult<bool> {
        if rows == 1 {
            return Ok(true);
        }
        let member: Option<i64> = sqlx::query_scalar("SELECT 1 FROM memberships WHERE org_id = ? AND user_id = ?")
            .bind(org.as_str())
            .bind(user.as_str())
            .fetch_optional(&self.pool)
            .await
            .map_err(backend)?;
        if member.is_some() { Err(StoreError::LastOwner) } else { Ok(false) }
    }
}

#[async_trait]
impl MemberStore for SqliteStore {
    async fn members(&self, org: &OrgId) -> StoreResult<Vec<(UserRecord, Role)>> {
        let rows: Vec<MemberRow> = sqlx::query_as(
            "SELECT u.id, u.email, u.first_name, u.last_name, u.password_hash, u.lang, u.created_at, u.session_epoch, m.role \
             FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.org_id = ? ORDER BY m.created_at, u.id",
        )
        .bind(org.as_str())
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        Ok(rows.into_iter().map(|m| (m.user, m.role)).collect())
    }

    async fn add_member(&self, org: &OrgId, user: &UserId, role: Role, at: OffsetDateTime) -> StoreResult<()> {
        sqlx::query("INSERT INTO memberships (org_id, user_id, role, created_at) VALUES (?, ?, ?, ?)")
            .bind(org.as_str())
            .bind(user.as_str())
            .bind(role.as_str())
            .bind(to_millis(at))
            .execute(&self.pool)
            .await
            .map(|_| ())
            .map_err(backend)
    }

    async fn set_role(&self, org: &OrgId, user: &UserId, role: Role) -> StoreResult<bool> {
        // One statement, so SQLite's write lock makes the owner count and the write one step.
        let done = sqlx::query(concat!(
            "UPDATE memberships SET role = ?1 WHERE org_id = ?2 AND user_id = ?3 AND ",
            keeps_an_owner!(),
            "?1 = 'owner')"
        ))
        .bind(role.as_str())
        .bind(org.as_str())
        .bind(user.as_str())
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        self.changed_or_why(org, user, done.rows_affected()).await
    }

    async fn remove_member(&self, org: &OrgId, user: &UserId) -> StoreResult<bool> {
        let done = sqlx::query(concat!(
            "DELETE FROM memberships WHERE org_id = ?2 AND user_id = ?3 AND ",
            keeps_an_owner!(),
            "?1 = 1)"
        ))
        .bind(0)
        .bind(org.as_str())
        .bind(user.as_str())
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        self.changed_or_why(org, user, done.rows_affected()).await
    }

    async fn create_user(&self, user: &UserRecord) -> StoreResult<()> {
        insert_user(user).execute(&self.pool).await.map(|_| ()).map_err(backend)
    }

    async fn create_invitation(&self, i: &InvitationRecord) -> StoreResult<()> {
        sqlx::query(concat!(
            "INSERT INTO invitations (",
            invitation_columns!(),
            ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        ))
        .bind(&i.id)
        .bind(i.org_id.as_str())
        .bind(&i.email)
        .bind(i.role.as_str())
        .bind(&i.token_hash)
        .bind(i.invited_by.as_str())
        .bind(to_millis(i.expires_at))
        .bind(i.accepted_at.map(to_millis))
        .bind(i.revoked_at.map(to_millis))
        .bind(to_millis(i.created_at))
        .execute(&self.pool)
        .await
        .map(|_| ())
        .map_err(backend)
    }

    async fn pending_invitations(&self, org: &OrgId, now: OffsetDateTime) -> StoreResult<Vec<InvitationRecord>> {
        sqlx::query_as(concat!(
            "SELECT ",
            invitation_columns!(),
            " FROM invitations WHERE org_id = ? AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > ? \
             ORDER BY created_at DESC, id"
        ))
        .bind(org.as_str())
        .bind(to_millis(now))
        .fetch_all(&self.pool)
        .await
        .map_err(backend)
    }

    async fn invitation_by_token(&self, token_hash: &str) -> StoreResult<Option<InvitationRecord>> {
        sqlx::query_as(concat!("SELECT ", invitation_columns!(), " FROM invitations WHERE token_hash = ?"))
            .bind(token_hash)
            .fetch_optional(&self.pool)
            .await
            .map_err(backend)
    }

    async fn accept_invitation(&self, token_hash: &str, now: OffsetDateTime) -> StoreResult<Option<InvitationRecord>> {
        let now = to_millis(now);
        sqlx::query_as(concat!(
            "UPDATE invitations SET accepted_at = ? WHERE token_hash = ? AND accepted_at IS NULL AND revoked_at IS NULL \
             AND expires_at > ? RETURNING ",
            invitation_columns!()
        ))
        .bind(now)
        .bind(token_hash)
        .bind(now)
        .fetch_optional(&self.pool)
        .await
        .map_err(backend)
    }

    async fn revoke_invitation(&self, org: &OrgId, id: &str, now: OffsetDateTime) -> StoreResult<bool> {
        let done = sqlx::query(
            "UPDATE invitations SET revoked_at = ? WHERE org_id = ? AND id = ? AND accepted_at IS NULL AND revoked_at IS NULL",
        )
        .bind(to_millis(now))
        .bind(org.as_str())
        .bind(id)
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        Ok(done.rows_affected() == 1)
    }

    async fn renew_invitation(
        &self,
        org: &OrgId,
        id: &str,
        token_hash: &str,
        expires_at: OffsetDateTime,
        now: OffsetDateTime,
    ) -> StoreResult<Option<InvitationRecord>> {
        sqlx::query_as(concat!(
            "UPDATE invitations SET token_hash = ?, expires_at = ? WHERE org_id = ? AND id = ? AND accepted_at IS NULL \
             AND revoked_at IS NULL AND expires_at > ? RETURNING ",
            invitation_columns!()
        ))
        .bind(token_hash)
        .bind(to_millis(expires_at))
        .bind(org.as_str())
        .bind(id)
        .bind(to_millis(now))
        .fetch_optional(&self.pool)
        .await
        .map_err(backend)
    }
}
