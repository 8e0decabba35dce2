use crate::storage::sqlite::{SqliteStore, backend};
use crate::storage::{StoreResult, to_millis};
use crate::storage::jobs::{Job, JobStore, NewJob};
use async_trait::async_trait;
use time::OffsetDateTime;

/// The columns of a [`Job`], as a literal so queries stay `&'static str` (sqlx refuses built strings).
macro_rules! job_columns {
    () => {
        "id, kind, payload, status, attempts, max_attempts, run_at, lease_until, locked_by, last_error"
    };
}

#[async_trait]
impl JobStore for SqliteStore {
    async fn enqueue_job(&self, job: &NewJob) -> StoreResult<String> {
        let id = uuid::Uuid::new_v4().to_string();
        let now = to_millis(OffsetDateTime::now_utc());
        // ON CONFLICT DO NOTHING keeps the first job for a key; the SELECT then returns its id.
        sqlx::query(
            "INSERT INTO jobs (id, kind, payload, status, attempts, max_attempts, run_at, idempotency_key, \
             created_at, updated_at) VALUES (?, ?, ?, 'queued', 0, ?, ?, ?, ?, ?) \
             ON CONFLICT (idempotency_key) DO NOTHING",
        )
        .bind(&id)
        .bind(&job.kind)
        .bind(job.payload.to_string())
        .bind(job.max_attempts as i64)
        .bind(to_millis(job.run_at))
        .bind(&job.idempotency_key)
        .bind(now)
        .bind(now)
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        match &job.idempotency_key {
            None => Ok(id),
            Some(key) => sqlx::query_scalar("SELECT id FROM jobs WHERE idempotency_key = ?")
                .bind(key)
                .fetch_one(&self.pool)
                .await
                .map_err(backend),
        }
    }

    async fn claim_job(
        &self,
        worker: &str,
        now: OffsetDateTime,
        lease_until: OffsetDateTime,
    ) -> StoreResult<Option<Job>> {
        let now = to_millis(now);
        // One statement: SQLite runs it under the write lock, so two workers never claim one job.
        sqlx::query_as(concat!(
            "UPDATE jobs SET status = 'running', attempts = attempts + 1, lease_until = ?, locked_by = ?, \
             updated_at = ? WHERE id = (SELECT id FROM jobs WHERE (status = 'queued' AND run_at <= ?) \
             OR (status = 'running' AND lease_until < ?) ORDER BY run_at, created_at LIMIT 1) RETURNING ",
            job_columns!()
        ))
        .bind(to_millis(lease_until))
        .bind(worker)
        .bind(now)
        .bind(now)
        .bind(now)
        .fetch_optional(&self.pool)
        .await
        .map_err(backend)
    }

    async fn heartbeat_job(&self, id: &str, worker: &str, lease_until: OffsetDateTime) -> StoreResult<bool> {
        let done = sqlx::query("UPDATE jobs SET lease_until = ? WHERE id = ? AND locked_by = ? AND status = 'running'")
            .bind(to_millis(lease_until))
            .bind(id)
            .bind(worker)
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        Ok(done.rows_affected() == 1)
    }

    async fn complete_job(&self, id: &str, worker: &str, now: OffsetDateTime) -> StoreResult<bool> {
        let done = sqlx::query(
            "UPDATE jobs SET status = 'done', lease_until = NULL, updated_at = ? \
             WHERE id = ? AND locked_by = ? AND status = 'running'",
        )
        .bind(to_millis(now))
        .bind(id)
        .bind(worker)
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        Ok(done.rows_affected() == 1)
    }

    async fn fail_job(
        &self,
        id: &str,
        worker: &str,
        error: &str,
        retry_at: Option<OffsetDateTime>,
        now: OffsetDateTime,
    ) -> StoreResult<bool> {
        let (status, run_at) = match retry_at {
            Some(at) => ("queued", Some(to_millis(at))),
            None => ("dead", None),
        };
        let done = sqlx::query(
            "UPDATE jobs SET status = ?, run_at = COALESCE(?, run_at), lease_until = NULL, last_error = ?, \
             updated_at = ? WHERE id = ? AND locked_by = ? AND status = 'running'",
        )
        .bind(status)
        .bind(run_at)
        .bind(error)
        .bind(to_millis(now))
        .bind(id)
        .bind(worker)
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        Ok(done.rows_affected() == 1)
    }

    async fn release_job(&self, id: &str, worker: &str, now: OffsetDateTime) -> StoreResult<bool> {
        let done = sqlx::query(
            "UPDATE jobs SET status = 'queued', attempts = MAX(attempts - 1, 0), run_at = ?, lease_until = NULL, \
             locked_by = NULL, updated_at = ? WHERE id = ? AND locked_by = ? AND status = 'running'",
        )
        .bind(to_millis(now))
        .bind(to_millis(now))
        .bind(id)
        .bind(worker)
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        Ok(done.rows_affected() == 1)
    }

    async fn job(&self, id: &str) -> StoreResult<Option<Job>> {
        sqlx::query_as(concat!("SELECT ", job_columns!(), " FROM jobs WHERE id = ?"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(backend)
    }

    async fn dead_jobs(&self, limit: u32) -> StoreResult<Vec<Job>> {
        sqlx::query_as(concat!(
            "SELECT ",
            job_columns!(),
            " FROM jobs WHERE status = 'dead' ORDER BY updated_at DESC, id LIMIT ?"
        ))
        .bind(limit)
        .fetch_all(&self.pool)
        .await
        .map_err(backend)
    }

    async fn purge_done_jobs(&self, before: OffsetDateTime) -> StoreResult<u64> {
        let done = sqlx::query("DELETE FROM jobs WHERE status = 'done' AND updated_at < ?")
            .bind(to_millis(before))
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        Ok(done.rows_affected())
    }
}
