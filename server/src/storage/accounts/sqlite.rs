use crate::storage::sqlite::{SqliteStore, backend};
use crate::storage::{StoreError, StoreResult, to_millis};
use crate::storage::accounts::{
    AccountStore, LoginEvent, MemberAccess, MembershipRecord, OrgRecord, PendingRegistration, UserRecord,
};
use app::accounts::model::Role;
use app::ids::{OrgId, UserId};
use async_trait::async_trait;
use time::OffsetDateTime;

macro_rules! user_columns {
    () => {
        "id, email, first_name, last_name, password_hash, lang, created_at, session_epoch"
    };
}

macro_rules! registration_columns {
    () => {
        "token_hash, email, first_name, last_name, password_hash, organisation, lang, expires_at, used_at, created_at"
    };
}

/// The INSERT of a user, for a transaction or the pool.
pub(crate) fn insert_user(user: &UserRecord) -> sqlx::query::Query<'_, sqlx::Sqlite, sqlx::sqlite::SqliteArguments> {
    sqlx::query(concat!("INSERT INTO users (", user_columns!(), ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)"))
        .bind(user.id.as_str())
        .bind(&user.email)
        .bind(&user.first_name)
        .bind(&user.last_name)
        .bind(&user.password_hash)
        .bind(&user.lang)
        .bind(to_millis(user.created_at))
        .bind(user.session_epoch)
}


#[async_trait]
impl AccountStore for SqliteStore {
    async fn create_owner(&self, user: &UserRecord, org: &OrgRecord) -> StoreResult<()> {
        // One transaction: a taken e-mail leaves no orphan organisation behind.
        let mut tx = self.pool.begin().await.map_err(backend)?;
        sqlx::query("INSERT INTO organisations (id, name, created_at) VALUES (?, ?, ?)")
            .bind(org.id.as_str())
            .bind(&org.name)
            .bind(to_millis(org.created_at))
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
        insert_user(user).execute(&mut *tx).await.map_err(backend)?;
        sqlx::query("INSERT INTO memberships (org_id, user_id, role, created_at) VALUES (?, ?, 'owner', ?)")
            .bind(org.id.as_str())
            .bind(user.id.as_str())
            .bind(to_millis(user.created_at))
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
        tx.commit().await.map_err(backend)
    }

    async fn user_by_email(&self, email: &str) -> StoreResult<Option<UserRecord>> {
        sqlx::query_as(concat!("SELECT ", user_columns!(), " FROM users WHERE email = ?"))
            .bind(email)
            .fetch_optional(&self.pool)
            .await
            .map_err(backend)
    }

    async fn user(&self, id: &UserId) -> StoreResult<Option<UserRecord>> {
        sqlx::query_as(concat!("SELECT ", user_columns!(), " FROM users WHERE id = ?"))
            .bind(id.as_str())
            .fetch_optional(&self.pool)
            .await
            .map_err(backend)
    }

    async fn set_password_hash(&self, id: &UserId, hash: &str) -> StoreResult<()> {
        sqlx::query("UPDATE users SET password_hash = ?, session_epoch = session_epoch + 1 WHERE id = ?")
            .bind(hash)
            .bind(id.as_str())
            .execute(&self.pool)
            .await
            .map(|_| ())
            .map_err(backend)
    }

    async fn update_profile(&self, id: &UserId, first_name: &str, last_name: &str, lang: &str) -> StoreResult<()> {
        sqlx::query("UPDATE users SET first_name = ?, last_name = ?, lang = ? WHERE id = ?")
            .bind(first_name)
            .bind(last_name)
            .bind(lang)
            .bind(id.as_str())
            .execute(&self.pool)
            .await
            .map(|_| ())
            .map_err(backend)
    }

    async fn role_in(&self, org: &OrgId, user: &UserId) -> StoreResult<Option<Role>> {
        let found: Option<String> = sqlx::query_scalar("SELECT role FROM memberships WHERE org_id = ? AND user_id = ?")
            .bind(org.as_str())
            .bind(user.as_str())
            .fetch_optional(&self.pool)
            .await
            .map_err(backend)?;
        found.map(Role::try_from).transpose().map_err(|e| StoreError::Corrupt(e.to_string()))
    }

    async fn access(&self, org: &OrgId, user: &UserId) -> StoreResult<Option<MemberAccess>> {
        sqlx::query_as(
            "SELECT m.role, u.session_epoch FROM memberships m JOIN users u ON u.id = m.user_id \
             WHERE m.org_id = ? AND m.user_id = ?",
        )
        .bind(org.as_str())
        .bind(user.as_str())
        .fetch_optional(&self.pool)
        .await
        .map_err(backend)
    }

    async fn memberships(&self, user: &UserId) -> StoreResult<Vec<MembershipRecord>> {
        sqlx::query_as(
            "SELECT o.id, o.name, o.created_at, m.role FROM memberships m JOIN organisations o ON o.id = m.org_id \
             WHERE m.user_id = ? ORDER BY m.created_at, o.id",
        )
        .bind(user.as_str())
        .fetch_all(&self.pool)
        .await
        .map_err(backend)
    }

    async fn record_login(&self, e: &LoginEvent) -> StoreResult<()> {
        sqlx::query("INSERT INTO login_events (id, user_id, at, ip, user_agent) VALUES (?, ?, ?, ?, ?)")
            .bind(&e.id)
            .bind(e.user_id.as_str())
            .bind(to_millis(e.at))
            .bind(&e.ip)
            .bind(&e.user_agent)
            .execute(&self.pool)
            .await
            .map(|_| ())
            .map_err(backend)
    }

    async fn recent_logins(&self, user: &UserId, limit: u32) -> StoreResult<Vec<LoginEvent>> {
        sqlx::query_as(
            "SELECT id, user_id, at, ip, user_agent FROM login_events WHERE user_id = ? ORDER BY at DESC, id LIMIT ?",
        )
        .bind(user.as_str())
        .bind(limit)
        .fetch_all(&self.pool)
        .await
        .map_err(backend)
    }

    async fn record_attempt(&self, key: &str, at: OffsetDateTime) -> StoreResult<()> {
        sqlx::query("INSERT INTO login_failures (key, at) VALUES (?, ?)")
            .bind(key)
            .bind(to_millis(at))
            .execute(&self.pool)
            .await
            .map(|_| ())
            .map_err(backend)
    }

    async fn attempts_since(&self, key: &str, since: OffsetDateTime) -> StoreResult<u32> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM login_failures WHERE key = ? AND at >= ?")
            .bind(key)
            .bind(to_millis(since))
            .fetch_one(&self.pool)
            .await
            .map_err(backend)?;
        Ok(n as u32)
    }

    async fn release_attempt(&self, key: &str, at: OffsetDateTime) -> StoreResult<()> {
        sqlx::query(
            "DELETE FROM login_failures WHERE rowid = \
             (SELECT rowid FROM login_failures WHERE key = ? AND at = ? LIMIT 1)",
        )
        .bind(key)
        .bind(to_millis(at))
        .execute(&self.pool)
        .await
        .map(|_| ())
        .map_err(backend)
    }

    async fn clear_attempts(&self, key: &str) -> StoreResult<()> {
        sqlx::query("DELETE FROM login_failures WHERE key = ?")
            .bind(key)
            .execute(&self.pool)
            .await
            .map(|_| ())
            .map_err(backend)
    }

    async fn insert_registration(&self, r: &PendingRegistration) -> StoreResult<()> {
        sqlx::query(
            concat!("INSERT INTO registrations (", registration_columns!(), ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
        )
        .bind(&r.token_hash)
        .bind(&r.email)
        .bind(&r.first_name)
        .bind(&r.last_name)
        .bind(&r.password_hash)
        .bind(&r.organisation)
        .bind(&r.lang)
        .bind(to_millis(r.expires_at))
        .bind(r.used_at.map(to_millis))
        .bind(to_millis(r.created_at))
        .execute(&self.pool)
        .await
        .map(|_| ())
        .map_err(backend)
    }

    async fn registration(&self, token_hash: &str, now: OffsetDateTime) -> StoreResult<Option<PendingRegistration>> {
        sqlx::query_as(
            concat!(
                "SELECT ",
                registration_columns!(),
                " FROM registrations WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?"
            ),
        )
        .bind(token_hash)
        .bind(to_millis(now))
        .fetch_optional(&self.pool)
        .await
        .map_err(backend)
    }

    async fn take_registration(
        &self,
        token_hash: &str,
        now: OffsetDateTime,
    ) -> StoreResult<Option<PendingRegistration>> {
        let now = to_millis(now);
        sqlx::query_as(
            concat!(
                "UPDATE registrations SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND expires_at > ? \
                 RETURNING ",
                registration_columns!()
            ),
        )
        .bind(now)
        .bind(token_hash)
        .bind(now)
        .fetch_optional(&self.pool)
        .await
        .map_err(backend)
    }

    async fn purge_stale_sign_ups(&self, now: OffsetDateTime, failures_before: OffsetDateTime) -> StoreResult<u64> {
        let sign_ups = sqlx::query("DELETE FROM registrations WHERE used_at IS NOT NULL OR expires_at <= ?")
            .bind(to_millis(now))
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        let failures = sqlx::query("DELETE FROM login_failures WHERE at < ?")
            .bind(to_millis(failures_before))
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        Ok(sign_ups.rows_affected() + failures.rows_affected())
    }
}
