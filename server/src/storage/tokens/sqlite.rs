use crate::storage::sqlite::{SqliteStore, backend};
use crate::storage::{StoreResult, to_millis};
use crate::storage::tokens::{PurgeCounts, RefreshTokenRecord, ResetTokenRecord, SessionMember, TokenStore};
use app::ids::UserId;
use async_trait::async_trait;
use time::OffsetDateTime;

macro_rules! refresh_columns {
    () => {
        "token_hash, user_id, family_id, org_id, expires_at, used_at, revoked_at, created_at, successor, epoch"
    };
}

macro_rules! reset_columns {
    () => {
        "token_hash, user_id, expires_at, used_at, created_at"
    };
}

/// Single-use e-mailed tokens (reset tokens, sign-in links) share one shape, in their own tables.
impl SqliteStore {
    async fn insert_one_time(&self, table: &'static str, t: &ResetTokenRecord) -> StoreResult<()> {
        // `table` is one of two constants above, never input.
        let sql = format!("INSERT INTO {table} ({}) VALUES (?, ?, ?, ?, ?)", reset_columns!());
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(&t.token_hash)
            .bind(&t.user_id)
            .bind(to_millis(t.expires_at))
            .bind(t.used_at.map(to_millis))
            .bind(to_millis(t.created_at))
            .execute(&self.pool)
            .await
            .map(|_| ())
            .map_err(backend)
    }

    async fn use_one_time(
        &self,
        table: &'static str,
        hash: &str,
        now: OffsetDateTime,
    ) -> StoreResult<Option<ResetTokenRecord>> {
        let now = to_millis(now);
        let sql = format!(
            "UPDATE {table} SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND expires_at > ? RETURNING {}",
            reset_columns!()
        );
        sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(now).bind(hash).bind(now).fetch_optional(&self.pool).await.map_err(backend)
    }
}

#[async_trait]
impl TokenStore for SqliteStore {
    async fn insert_refresh_token(&self, t: &RefreshTokenRecord) -> StoreResult<()> {
        sqlx::query(concat!("INSERT INTO refresh_tokens (", refresh_columns!(), ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"))
            .bind(&t.token_hash)
            .bind(&t.user_id)
            .bind(&t.family_id)
            .bind(t.org_id.as_ref().map(|o| o.as_str()))
            .bind(to_millis(t.expires_at))
            .bind(t.used_at.map(to_millis))
            .bind(t.revoked_at.map(to_millis))
            .bind(to_millis(t.created_at))
            .bind(&t.successor)
            .bind(t.epoch)
            .execute(&self.pool)
            .await
            .map(|_| ())
            .map_err(backend)
    }

    async fn use_refresh_token(
        &self,
        hash: &str,
        now: OffsetDateTime,
        successor: &str,
    ) -> StoreResult<Option<RefreshTokenRecord>> {
        let now = to_millis(now);
        // One statement: SQLite runs it alone, so a revocation cannot slip in between the check
        // of the family and the use.
        sqlx::query_as(concat!(
            "UPDATE refresh_tokens SET used_at = ?, successor = ? WHERE token_hash = ? AND used_at IS NULL \
             AND revoked_at IS NULL AND expires_at > ? \
             AND family_id NOT IN (SELECT family_id FROM revoked_families) RETURNING ",
            refresh_columns!()
        ))
        .bind(now)
        .bind(successor)
        .bind(hash)
        .bind(now)
        .fetch_optional(&self.pool)
        .await
        .map_err(backend)
    }

    async fn refresh_token(&self, hash: &str) -> StoreResult<Option<RefreshTokenRecord>> {
        sqlx::query_as(concat!("SELECT ", refresh_columns!(), " FROM refresh_tokens WHERE token_hash = ?"))
            .bind(hash)
            .fetch_optional(&self.pool)
            .await
            .map_err(backend)
    }

    async fn session_member(&self, hash: &str, now: OffsetDateTime) -> StoreResult<Option<SessionMember>> {
        sqlx::query_as(
            "SELECT t.user_id, t.org_id, m.role FROM refresh_tokens t \
             JOIN memberships m ON m.org_id = t.org_id AND m.user_id = t.user_id \
             JOIN users u ON u.id = t.user_id AND u.session_epoch = t.epoch \
             WHERE t.token_hash = ? AND t.used_at IS NULL AND t.revoked_at IS NULL AND t.expires_at > ? \
             AND t.family_id NOT IN (SELECT family_id FROM revoked_families)",
        )
        .bind(hash)
        .bind(to_millis(now))
        .fetch_optional(&self.pool)
        .await
        .map_err(backend)
    }

    async fn revoke_refresh_family(
        &self,
        family_id: &str,
        now: OffsetDateTime,
        keep_until: OffsetDateTime,
    ) -> StoreResult<u64> {
        sqlx::query("INSERT OR IGNORE INTO revoked_families (family_id, revoked_at, keep_until) VALUES (?, ?, ?)")
            .bind(family_id)
            .bind(to_millis(now))
            .bind(to_millis(keep_until))
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        let done = sqlx::query("UPDATE refresh_tokens SET revoked_at = ? WHERE family_id = ? AND revoked_at IS NULL")
            .bind(to_millis(now))
            .bind(family_id)
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        Ok(done.rows_affected())
    }

    async fn revoke_user_refresh_tokens(&self, user: &UserId, now: OffsetDateTime) -> StoreResult<u64> {
        let done = sqlx::query("UPDATE refresh_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL")
            .bind(to_millis(now))
            .bind(user.as_str())
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        Ok(done.rows_affected())
    }

    async fn insert_reset_token(&self, t: &ResetTokenRecord) -> StoreResult<()> {
        self.insert_one_time("password_reset_tokens", t).await
    }

    async fn use_reset_token(&self, hash: &str, now: OffsetDateTime) -> StoreResult<Option<ResetTokenRecord>> {
        self.use_one_time("password_reset_tokens", hash, now).await
    }

    async fn insert_sign_in_link(&self, t: &ResetTokenRecord) -> StoreResult<()> {
        self.insert_one_time("sign_in_links", t).await
    }

    async fn use_sign_in_link(&self, hash: &str, now: OffsetDateTime) -> StoreResult<Option<ResetTokenRecord>> {
        self.use_one_time("sign_in_links", hash, now).await
    }

    async fn void_reset_tokens(&self, user: &UserId, now: OffsetDateTime) -> StoreResult<()> {
        sqlx::query("UPDATE password_reset_tokens SET used_at = ? WHERE user_id = ? AND used_at IS NULL")
            .bind(to_millis(now))
            .bind(user.as_str())
            .execute(&self.pool)
            .await
            .map(|_| ())
            .map_err(backend)
    }

    async fn purge_tokens(&self, now: OffsetDateTime) -> StoreResult<PurgeCounts> {
        let now = to_millis(now);
        let refresh = sqlx::query("DELETE FROM refresh_tokens WHERE expires_at <= ? OR revoked_at IS NOT NULL")
            .bind(now)
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        let reset = sqlx::query("DELETE FROM password_reset_tokens WHERE expires_at <= ? OR used_at IS NOT NULL")
            .bind(now)
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        sqlx::query("DELETE FROM sign_in_links WHERE expires_at <= ? OR used_at IS NOT NULL")
            .bind(now)
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        sqlx::query("DELETE FROM revoked_families WHERE keep_until <= ?")
            .bind(now)
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        Ok(PurgeCounts { refresh_tokens: refresh.rows_affected(), reset_tokens: reset.rows_affected() })
    }
}
