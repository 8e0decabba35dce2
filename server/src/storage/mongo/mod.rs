//! The MongoDB adapter (production: Atlas). Indexes are created at start-up; every operation is a
//! single-document atomic update or an index-backed query, so it works on replica sets and sharded
//! clusters alike (no transactions, no single-node assumptions). Times are Unix milliseconds.

mod accounts;
mod contact;
mod jobs;
mod members;
mod tokens;

use super::{Store, StoreError, StoreResult};
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

    async fn ensure_indexes(&self) -> mongodb::error::Result<()> {
        let index = |keys, unique_key: Option<&str>| {
            let options = unique_key.map(|key| {
                IndexOptions::builder()
                    .unique(true)
                    // Only documents that have the key take part in uniqueness.
                    .partial_filter_expression(doc! { key: { "$type": "string" } })
                    .build()
            });
            IndexModel::builder().keys(keys).options(options).build()
        };
        self.raw("contact_messages").create_index(index(doc! { "received_at": -1 }, None)).await?;
        let jobs = self.raw("jobs");
        jobs.create_index(index(doc! { "status": 1, "run_at": 1 }, None)).await?;
        jobs.create_index(index(doc! { "status": 1, "lease_until": 1 }, None)).await?;
        jobs.create_index(index(doc! { "idempotency_key": 1 }, Some("idempotency_key"))).await?;
        let refresh = self.raw("refresh_tokens");
        refresh.create_index(index(doc! { "expires_at": 1 }, None)).await?;
        refresh.create_index(index(doc! { "family_id": 1 }, None)).await?;
        refresh.create_index(index(doc! { "user_id": 1 }, None)).await?;
        let reset = self.raw("password_reset_tokens");
        reset.create_index(index(doc! { "expires_at": 1 }, None)).await?;
        reset.create_index(index(doc! { "user_id": 1 }, None)).await?;
        self.raw("users").create_index(index(doc! { "email": 1 }, Some("email"))).await?;
        let members = self.raw("memberships");
        members.create_index(index(doc! { "org_id": 1, "user_id": 1 }, Some("org_id"))).await?;
        members.create_index(index(doc! { "user_id": 1 }, None)).await?;
        self.raw("login_events").create_index(index(doc! { "user_id": 1, "at": -1 }, None)).await?;
        let invitations = self.raw("invitations");
        invitations.create_index(index(doc! { "token_hash": 1 }, Some("token_hash"))).await?;
        invitations.create_index(index(doc! { "org_id": 1, "created_at": -1 }, None)).await?;
        self.raw("login_failures").create_index(index(doc! { "key": 1, "at": 1 }, None)).await?;
        Ok(())
    }

    fn raw(&self, name: &str) -> Collection<mongodb::bson::Document> {
        self.db.collection(name)
    }

    fn typed<T: Send + Sync>(&self, name: &str) -> Collection<T> {
        self.db.collection(name)
    }

    #[cfg(test)]
    pub async fn drop_database(&self) {
        let _ = self.db.drop().await;
    }
}

fn backend(e: mongodb::error::Error) -> StoreError {
    if is_duplicate(&e) { StoreError::Duplicate } else { StoreError::Backend(e.to_string()) }
}

fn is_duplicate(e: &mongodb::error::Error) -> bool {
    use mongodb::error::{ErrorKind, WriteFailure};
    match e.kind.as_ref() {
        ErrorKind::Write(WriteFailure::WriteError(w)) => w.code == 11000,
        ErrorKind::InsertMany(m) => m.write_errors.iter().flatten().any(|w| w.code == 11000),
        _ => false,
    }
}

#[async_trait]
impl Store for MongoStore {
    async fn ping(&self) -> StoreResult<()> {
        self.db.run_command(doc! { "ping": 1 }).await.map(|_| ()).map_err(backend)
    }
}
