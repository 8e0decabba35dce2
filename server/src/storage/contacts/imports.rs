//! CSV import records, kept in the contacts area: an import's progress is written with the
//! contacts of each batch.

use crate::storage::{StoreResult, millis, option_millis};
use app::contacts::import::{ColumnTarget, ImportCounts, ImportMode, ImportStatus};
use app::ids::{OrgId, UserId};
use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

#[async_trait]
pub trait ImportStore: Send + Sync {
    async fn insert_import(&self, import: &ImportRecord) -> StoreResult<()>;
    /// The import, in its organisation only.
    async fn import(&self, org: &OrgId, id: &str) -> StoreResult<Option<ImportRecord>>;
    /// The organisation's imports, newest first.
    async fn imports(&self, org: &OrgId, limit: u32) -> StoreResult<Vec<ImportRecord>>;
    /// Sets the plan and queues the import, if it is still waiting for one; `false` otherwise.
    async fn plan_import(&self, org: &OrgId, id: &str, plan: &ImportPlan) -> StoreResult<bool>;
    /// Moves the import from one of `from` to `to` (atomically); `false` when it was in none.
    async fn move_import(&self, id: &str, from: &[ImportStatus], to: ImportStatus) -> StoreResult<bool>;
    /// Writes one batch — contacts, rejected rows, progress — at once on SQLite (one transaction);
    /// on MongoDB in that order, each write idempotent for a re-run after a crash.
    async fn write_import_batch(&self, batch: &ImportBatch<'_>) -> StoreResult<()>;
    /// Ends the import: its final status and, for a failure, the error's code.
    async fn finish_import(&self, id: &str, status: ImportStatus, error: Option<&str>, at: OffsetDateTime)
    -> StoreResult<()>;
    /// The rejected rows, in row order.
    async fn import_rejects(&self, org: &OrgId, import_id: &str) -> StoreResult<Vec<RejectRecord>>;
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportRecord {
    #[serde(rename = "_id")]
    pub id: String,
    pub org_id: OrgId,
    /// Who started it: the completion e-mail goes to them.
    pub user_id: UserId,
    pub file_name: String,
    /// The file's name in the data directory's `imports/` folder.
    pub stored_as: String,
    pub size: u64,
    pub encoding: String,
    pub delimiter: String,
    pub headers: Vec<String>,
    pub preview: Vec<Vec<String>>,
    pub mapping: Vec<ColumnTarget>,
    pub mode: ImportMode,
    pub tags: Vec<String>,
    pub default_country: String,
    pub status: ImportStatus,
    pub total_rows: Option<u64>,
    pub counts: ImportCounts,
    pub error: Option<String>,
    #[serde(with = "millis")]
    pub created_at: OffsetDateTime,
    #[serde(with = "option_millis", default)]
    pub finished_at: Option<OffsetDateTime>,
}

/// The plan chosen in the wizard.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportPlan {
    pub mapping: Vec<ColumnTarget>,
    pub mode: ImportMode,
    pub tags: Vec<String>,
    pub default_country: String,
}

/// A row that was not imported, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RejectRecord {
    pub import_id: String,
    /// The spreadsheet's row number (the header is row 1).
    pub row: u64,
    /// An error code.
    pub reason: String,
    pub cells: Vec<String>,
}

/// One batch of an import, written together: the contacts, the rejected rows, and the progress
/// after them.
pub struct ImportBatch<'a> {
    pub import_id: &'a str,
    pub total_rows: u64,
    pub counts: ImportCounts,
    pub inserts: &'a [super::ContactRecord],
    pub updates: &'a [super::ContactRecord],
    pub rejects: &'a [RejectRecord],
}
