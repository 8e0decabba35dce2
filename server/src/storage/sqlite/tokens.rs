use super::{SqliteStore, backend};
use crate::storage::{PurgeCounts, RefreshTokenRecord, ResetTokenRecord, StoreResult, TokenStore, to_millis};
use async_trait::async_trait;
use time::OffsetDateTime;

#[async_trait]
impl TokenStore for SqliteStore {
    async fn insert_refresh_token(&self, t: &RefreshTokenRecord) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO refresh_tokens (token_hash, user_id, family_id, expires_at, revoked_at, created_at) \
             VALUES (?, ?, ?, ?, ?, ?)",
        )
        .bind(&t.token_hash)
        .bind(&t.user_id)
        .bind(&t.family_id)
        .bind(to_millis(t.expires_at))
        .bind(t.revoked_at.map(to_millis))
        .bind(to_millis(t.created_at))
        .execute(&self.pool)
        .await
        .map(|_| ())
        .map_err(backend)
    }

    async fn insert_reset_token(&self, t: &ResetTokenRecord) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO password_reset_tokens (token_hash, user_id, expires_at, used_at, created_at) \
             VALUES (?, ?, ?, ?, ?)",
        )
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
        Ok(PurgeCounts { refresh_tokens: refresh.rows_affected(), reset_tokens: reset.rows_affected() })
    }
}
