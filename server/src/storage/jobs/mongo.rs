use crate::storage::mongo::{MongoStore, backend, is_duplicate};
use crate::storage::{StoreError, StoreResult, to_millis};
use crate::storage::jobs::{Job, JobStatus, JobStore, NewJob};
use async_trait::async_trait;
use futures_util::TryStreamExt;
use mongodb::bson::{Bson, doc};
use mongodb::options::ReturnDocument;
use time::OffsetDateTime;

/// This area's indexes (see `MongoStore::index`).
pub(crate) async fn ensure_indexes(m: &MongoStore) -> mongodb::error::Result<()> {
    m.index("jobs", doc! { "status": 1, "run_at": 1 }, None).await?;
    m.index("jobs", doc! { "status": 1, "lease_until": 1 }, None).await?;
    m.index("jobs", doc! { "idempotency_key": 1 }, Some("idempotency_key")).await
}

impl MongoStore {
    fn jobs(&self) -> mongodb::Collection<Job> {
        self.typed("jobs")
    }

    /// Applies `update` to the job if `worker` still holds it.
    async fn update_held(&self, id: &str, worker: &str, update: mongodb::bson::Document) -> StoreResult<bool> {
        let filter = doc! { "_id": id, "locked_by": worker, "status": "running" };
        let result = self.jobs().update_one(filter, update).await.map_err(backend)?;
        Ok(result.modified_count == 1)
    }
}

#[async_trait]
impl JobStore for MongoStore {
    async fn enqueue_job(&self, job: &NewJob) -> StoreResult<String> {
        let now = to_millis(OffsetDateTime::now_utc());
        let id = uuid::Uuid::new_v4().to_string();
        let mut doc = doc! {
            "_id": &id, "kind": &job.kind, "payload": job.payload.to_string(), "status": JobStatus::Queued.as_str(),
            "attempts": 0_i64, "max_attempts": job.max_attempts as i64, "run_at": to_millis(job.run_at),
            "lease_until": Bson::Null, "locked_by": Bson::Null, "last_error": Bson::Null,
            "created_at": now, "updated_at": now,
        };
        if let Some(key) = &job.idempotency_key {
            // Only jobs that have a key take part in the (partial) unique index.
            doc.insert("idempotency_key", key);
        }
        match self.raw("jobs").insert_one(doc).await {
            Ok(_) => Ok(id),
            Err(e) if is_duplicate(&e) => {
                let key = job.idempotency_key.as_deref().ok_or(StoreError::Duplicate)?;
                let existing = self.jobs().find_one(doc! { "idempotency_key": key }).await.map_err(backend)?;
                existing.map(|d| d.id).ok_or(StoreError::Duplicate)
            }
            Err(e) => Err(backend(e)),
        }
    }

    async fn claim_job(
        &self,
        worker: &str,
        now: OffsetDateTime,
        lease_until: OffsetDateTime,
    ) -> StoreResult<Option<Job>> {
        let now = to_millis(now);
        let filter = doc! { "$or": [
            { "status": "queued", "run_at": { "$lte": now } },
            { "status": "running", "lease_until": { "$lt": now } },
        ] };
        let update = doc! {
            "$set": { "status": "running", "lease_until": to_millis(lease_until), "locked_by": worker, "updated_at": now },
            "$inc": { "attempts": 1 },
        };
        self.jobs()
            .find_one_and_update(filter, update)
            .sort(doc! { "run_at": 1, "created_at": 1 })
            .return_document(ReturnDocument::After)
            .await
            .map_err(backend)
    }

    async fn heartbeat_job(&self, id: &str, worker: &str, lease_until: OffsetDateTime) -> StoreResult<bool> {
        self.update_held(id, worker, doc! { "$set": { "lease_until": to_millis(lease_until) } }).await
    }

    async fn complete_job(&self, id: &str, worker: &str, now: OffsetDateTime) -> StoreResult<bool> {
        let update = doc! { "$set": { "status": "done", "lease_until": Bson::Null, "updated_at": to_millis(now) } };
        self.update_held(id, worker, update).await
    }

    async fn fail_job(
        &self,
        id: &str,
        worker: &str,
        error: &str,
        retry_at: Option<OffsetDateTime>,
        now: OffsetDateTime,
    ) -> StoreResult<bool> {
        let mut set = doc! { "lease_until": Bson::Null, "last_error": error, "updated_at": to_millis(now) };
        match retry_at {
            Some(at) => {
                set.insert("status", "queued");
                set.insert("run_at", to_millis(at));
            }
            None => {
                set.insert("status", "dead");
            }
        }
        self.update_held(id, worker, doc! { "$set": set }).await
    }

    async fn release_job(&self, id: &str, worker: &str, now: OffsetDateTime) -> StoreResult<bool> {
        let now = to_millis(now);
        let update = doc! {
            "$set": { "status": "queued", "run_at": now, "lease_until": Bson::Null, "locked_by": Bson::Null, "updated_at": now },
            "$inc": { "attempts": -1 },
        };
        self.update_held(id, worker, update).await
    }

    async fn job(&self, id: &str) -> StoreResult<Option<Job>> {
        self.jobs().find_one(doc! { "_id": id }).await.map_err(backend)
    }

    async fn dead_jobs(&self, limit: u32) -> StoreResult<Vec<Job>> {
        self.jobs()
            .find(doc! { "status": "dead" })
            .sort(doc! { "updated_at": -1, "_id": 1 })
            .limit(limit as i64)
            .await
            .map_err(backend)?
            .try_collect()
            .await
            .map_err(backend)
    }

    async fn purge_done_jobs(&self, before: OffsetDateTime) -> StoreResult<u64> {
        let filter = doc! { "status": "done", "updated_at": { "$lt": to_millis(before) } };
        Ok(self.jobs().delete_many(filter).await.map_err(backend)?.deleted_count)
    }
}
