//! The MongoDB adapter (production: Atlas). Indexes are created at start-up; every operation is a
//! single-document atomic update or an index-backed query, so it works on replica sets and sharded
//! clusters alike (no transactions, no single-node assumptions). Times are Unix milliseconds.

use super::{HealthStore, StoreError, StoreResult};
use anyhow::Context;
use async_trait::async_trait;
use mongodb::bson::doc;
use mongodb::options::IndexOptions;
use mongodb::{Client, Collection, Database, IndexModel};

pub struct MongoStore {
    db: Database,
}

impl MongoStore {
    /// Connects to `uri` and uses its default database, or `adronx`.
    pub async fn connect(uri: &str) -> anyhow::Result<Self> {
        let client = Client::with_uri_str(uri).await.context("connecting to MongoDB")?;
        let db = client.default_database().unwrap_or_else(|| client.database("adronx"));
        Self::with_database(db).await
    }

    pub async fn with_database(db: Database) -> anyhow::Result<Self> {
        let store = Self { db };
        store.ensure_indexes().await.context("creating MongoDB indexes")?;
        Ok(store)
    }

    /// A regular index, or a unique one over the documents that have `unique_key` (partial, so
    /// documents without the key do not collide).
    pub(super) async fn index(
        &self,
        collection: &str,
        keys: mongodb::bson::Document,
        unique_key: Option<&str>,
    ) -> mongodb::error::Result<()> {
        let options = unique_key.map(|key| {
            IndexOptions::builder().unique(true).partial_filter_expression(doc! { key: { "$type": "string" } }).build()
        });
        self.raw(collection).create_index(IndexModel::builder().keys(keys).options(options).build()).await.map(|_| ())
    }

    pub(super) fn raw(&self, name: &str) -> Collection<mongodb::bson::Document> {
        self.db.collection(name)
    }

    pub(super) fn typed<T: Send + Sync>(&self, name: &str) -> Collection<T> {
        self.db.collection(name)
    }
}

pub(super) fn backend(e: mongodb::error::Error) -> StoreError {
    if is_duplicate(&e) { StoreError::Duplicate } else { StoreError::Backend(e.to_string()) }
}

pub(super) fn is_duplicate(e: &mongodb::error::Error) -> bool {
    use mongodb::error::{ErrorKind, WriteFailure};
    match e.kind.as_ref() {
        ErrorKind::Write(WriteFailure::WriteError(w)) => w.code == 11000,
        ErrorKind::InsertMany(m) => m.write_errors.iter().flatten().any(|w| w.code == 11000),
        _ => false,
    }
}

#[async_trait]
impl HealthStore for MongoStore {
    async fn ping(&self) -> StoreResult<()> {
        self.db.run_command(doc! { "ping": 1 }).await.map(|_| ()).map_err(backend)
    }
}

/// `text` as a regular expression matching itself.
pub(crate) fn regex_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if "\\^$.|?*+()[]{}/-".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
