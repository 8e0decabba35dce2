use crate::storage::sqlite::{SqliteStore, backend};
use crate::storage::{StoreError, StoreResult, from_millis, to_millis};
use crate::storage::jobs::{Job, JobStatus, JobStore, NewJob};
use async_trait::async_trait;
use sqlx::Row;
use time::OffsetDateTime;

/// The columns of a [`Job`], as a literal so queries stay `&'static str` (sqlx refuses built strings).
macro_rules! job_columns {
    () => {
        "id, kind, payload, status, attempts, max_attempts, run_at, lease_until, locked_by, last_error"
    };
}

fn job_from_row(row: &sqlx::sqlite::SqliteRow) -> StoreResult<Job> {
    let corrupt = |e: &dyn std::fmt::Display| StoreError::Corrupt(e.to_string());
    let status: String = row.try_get("status").map_err(backend)?;
    let payload: String = row.try_get("payload").map_err(backend)?;
    Ok(Job {
        id: row.try_get("id").map_err(backend)?,
        kind: row.try_get("kind").map_err(backend)?,
        payload: serde_json::from_str(&payload).map_err(|e| corrupt(&e))?,
        status: JobStatus::parse(&status).ok_or_else(|| corrupt(&status))?,
        attempts: row.try_get::<i64, _>("attempts").map_err(backend)? as u32,
        max_attempts: row.try_get::<i64, _>("max_attempts").map_err(backend)? as u32,
        run_at: from_millis(row.try_get("run_at").map_err(backend)?),
        lease_until: row.try_get::<Option<i64>, _>("lease_until").map_err(backend)?.map(from_millis),
        locked_by: row.try_get("locked_by").map_err(backend)?,
        last_error: row.try_get("last_error").map_err(backend)?,
    })
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
        let row = sqlx::query(concat!(
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
        .map_err(backend)?;
        row.as_ref().map(job_from_row).transpose()
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
        let row = sqlx::query(concat!("SELECT ", job_columns!(), " FROM jobs WHERE id = ?"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(backend)?;
        row.as_ref().map(job_from_row).transpose()
    }

    async fn dead_jobs(&self, limit: u32) -> StoreResult<Vec<Job>> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            job_columns!(),
            " FROM jobs WHERE status = 'dead' ORDER BY updated_at DESC, id LIMIT ?"
        ))
        .bind(limit)
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        rows.iter().map(job_from_row).collect()
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
