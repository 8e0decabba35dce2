//! CSV imports as the wizard and the API see them.

use serde::{Deserialize, Serialize};

/// Where a column's cells go.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ColumnTarget {
    DisplayName,
    FirstName,
    LastName,
    Phone,
    Email,
    /// Comma-separated tags.
    Tags,
    /// Yes/no: the contact opted out (source: import).
    OptOut,
    /// A custom attribute with this name.
    Attribute(String),
    Ignore,
}

impl ColumnTarget {
    /// `phone`, `attr:City`, `ignore`… — how the mapping form and the API write a target.
    pub fn key(&self) -> String {
        match self {
            ColumnTarget::DisplayName => "display_name".into(),
            ColumnTarget::FirstName => "first_name".into(),
            ColumnTarget::LastName => "last_name".into(),
            ColumnTarget::Phone => "phone".into(),
            ColumnTarget::Email => "email".into(),
            ColumnTarget::Tags => "tags".into(),
            ColumnTarget::OptOut => "opt_out".into(),
            ColumnTarget::Attribute(name) => format!("attr:{name}"),
            ColumnTarget::Ignore => "ignore".into(),
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        Some(match key {
            "display_name" => ColumnTarget::DisplayName,
            "first_name" => ColumnTarget::FirstName,
            "last_name" => ColumnTarget::LastName,
            "phone" => ColumnTarget::Phone,
            "email" => ColumnTarget::Email,
            "tags" => ColumnTarget::Tags,
            "opt_out" => ColumnTarget::OptOut,
            "ignore" => ColumnTarget::Ignore,
            other => ColumnTarget::Attribute(other.strip_prefix("attr:")?.to_owned()),
        })
    }

    /// The Fluent key of the target's label (attributes are labelled with their name).
    pub fn label_key(&self) -> &'static str {
        match self {
            ColumnTarget::DisplayName => "contacts-display-name",
            ColumnTarget::FirstName => "contacts-first-name",
            ColumnTarget::LastName => "contacts-last-name",
            ColumnTarget::Phone => "contacts-phone",
            ColumnTarget::Email => "contacts-email",
            ColumnTarget::Tags => "contacts-tags",
            ColumnTarget::OptOut => "contacts-opted-out",
            ColumnTarget::Attribute(_) => "import-attribute",
            ColumnTarget::Ignore => "import-ignore",
        }
    }

    /// The fixed targets, in the order the mapping menu offers them.
    pub const FIELDS: [ColumnTarget; 7] = [
        ColumnTarget::DisplayName,
        ColumnTarget::FirstName,
        ColumnTarget::LastName,
        ColumnTarget::Phone,
        ColumnTarget::Email,
        ColumnTarget::Tags,
        ColumnTarget::OptOut,
    ];
}

/// What an import does with rows that match an existing contact, and with new ones.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportMode {
    #[default]
    CreateAndUpdate,
    CreateOnly,
    UpdateOnly,
}

impl ImportMode {
    pub fn key(self) -> &'static str {
        match self {
            ImportMode::CreateAndUpdate => "create_and_update",
            ImportMode::CreateOnly => "create_only",
            ImportMode::UpdateOnly => "update_only",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        [ImportMode::CreateAndUpdate, ImportMode::CreateOnly, ImportMode::UpdateOnly]
            .into_iter()
            .find(|m| m.key() == key)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportStatus {
    /// Uploaded, waiting for its mapping.
    Uploaded,
    /// Mapped and waiting for a worker (or resuming after a restart).
    Queued,
    Running,
    /// Cancel asked; the worker stops at the end of its batch.
    Cancelling,
    Cancelled,
    Done,
    Failed,
}

impl ImportStatus {
    pub fn key(self) -> &'static str {
        match self {
            ImportStatus::Uploaded => "uploaded",
            ImportStatus::Queued => "queued",
            ImportStatus::Running => "running",
            ImportStatus::Cancelling => "cancelling",
            ImportStatus::Cancelled => "cancelled",
            ImportStatus::Done => "done",
            ImportStatus::Failed => "failed",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        use ImportStatus::*;
        [Uploaded, Queued, Running, Cancelling, Cancelled, Done, Failed].into_iter().find(|s| s.key() == key)
    }

    /// Still moving: the page keeps its progress bar live.
    pub fn is_active(self) -> bool {
        matches!(self, ImportStatus::Queued | ImportStatus::Running | ImportStatus::Cancelling)
    }
}

/// Counts of an import so far.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportCounts {
    /// Data rows read so far (the header not counted).
    pub rows_done: u64,
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub rejected: u64,
}

/// An import: the file, what was chosen, and how far it got.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportView {
    pub id: String,
    pub file_name: String,
    pub size: u64,
    pub encoding: String,
    /// `,` `;` tab or `|`.
    pub delimiter: String,
    pub headers: Vec<String>,
    /// The first rows, for the preview.
    pub preview: Vec<Vec<String>>,
    /// The mapping chosen, or suggested before it is.
    pub mapping: Vec<ColumnTarget>,
    pub mode: ImportMode,
    pub tags: Vec<String>,
    pub default_country: String,
    pub status: ImportStatus,
    /// Data rows in the file (known once counted, at the start of the run).
    pub total_rows: Option<u64>,
    pub counts: ImportCounts,
    pub error: Option<String>,
    /// Unix milliseconds.
    pub created_at: i64,
    pub finished_at: Option<i64>,
}
