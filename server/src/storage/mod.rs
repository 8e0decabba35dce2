//! The storage port: what the rest of the server may ask of a database, one area at a time.
//!
//! Each area (`accounts/`, `jobs/`, …) holds its trait and records (`mod.rs`), its SQLite and MongoDB
//! adapters, its MongoDB indexes, and its contract tests. `open` returns [`Stores`], one handle per
//! area; a service is given only the areas it uses. Nothing outside `storage` knows which adapter runs.

mod codec;
mod mongo;
mod sqlite;

pub(crate) use codec::{Millis, OptionMillis, OptionOrgId, json_text, millis, option_millis};
pub use codec::{from_millis, millis_precision, to_millis};
pub use mongo::MongoStore;
pub use sqlite::SqliteStore;

use async_trait::async_trait;
use std::sync::Arc;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("storage backend: {0}")]
    Backend(String),
    #[error("stored data is malformed: {0}")]
    Corrupt(String),
    #[error("a record with this key already exists")]
    Duplicate,
    /// The change would leave an organisation without an owner (checked atomically with it).
    #[error("an organisation keeps at least one owner")]
    LastOwner,
}

pub type StoreResult<T> = Result<T, StoreError>;

/// Proves the database answers (used by `/readyz`).
#[async_trait]
pub trait HealthStore: Send + Sync {
    async fn ping(&self) -> StoreResult<()>;
}

/// Declares the areas once: their modules, the [`Stores`] handles, and what each adapter must
/// implement. A new area is one line here plus its own folder.
macro_rules! areas {
    ($($area:ident: $store:ident),* $(,)?) => {
        $(pub mod $area;)*

        /// One handle per area, all backed by the same database.
        #[derive(Clone)]
        pub struct Stores {
            pub health: Arc<dyn HealthStore>,
            $(pub $area: Arc<dyn $area::$store>,)*
        }

        impl Stores {
            fn from_adapter<A: HealthStore $(+ $area::$store)* + 'static>(adapter: Arc<A>) -> Self {
                Self { health: adapter.clone(), $($area: adapter.clone(),)* }
            }
        }

        impl MongoStore {
            /// Every area's indexes; idempotent, run at start-up.
            async fn ensure_indexes(&self) -> mongodb::error::Result<()> {
                $($area::mongo::ensure_indexes(self).await?;)*
                Ok(())
            }
        }
    };
}

areas! {
    enquiries: EnquiryStore,
    jobs: JobStore,
    tokens: TokenStore,
    accounts: AccountStore,
    members: MemberStore,
    contacts: ContactStore,
    whatsapp: WhatsAppStore,
    inbox: InboxStore,
    ads: AdsStore,
    analytics: AnalyticsStore,
    budgets: BudgetsStore,
}

/// Opens the store the configuration names.
pub async fn open(config: &crate::config::Config) -> anyhow::Result<Stores> {
    match config.database_url.as_deref() {
        None => Ok(Stores::from_adapter(Arc::new(SqliteStore::open(&config.data_dir.join("adronx.db")).await?))),
        Some(url) if url.starts_with("sqlite:") => {
            Ok(Stores::from_adapter(Arc::new(SqliteStore::open_url(url).await?)))
        }
        Some(url) if url.starts_with("mongodb://") || url.starts_with("mongodb+srv://") => {
            Ok(Stores::from_adapter(Arc::new(MongoStore::connect(url).await?)))
        }
        Some(_) => anyhow::bail!("ADRONX_DATABASE_URL must be a sqlite:, mongodb:// or mongodb+srv:// URL"),
    }
}

impl Stores {
    /// The embedded store in a file (tests and benchmarks).
    pub async fn sqlite(path: &std::path::Path) -> anyhow::Result<Self> {
        Ok(Self::from_adapter(Arc::new(SqliteStore::open(path).await?)))
    }

    /// The embedded store, counting database round trips in `trips` (tests).
    pub async fn sqlite_counting(
        path: &std::path::Path,
        trips: Arc<std::sync::atomic::AtomicU64>,
    ) -> anyhow::Result<Self> {
        Ok(Self::from_adapter(Arc::new(SqliteStore::open_counting(path, trips).await?)))
    }

    /// MongoDB on `db` (tests use a database per test).
    pub async fn mongo(db: mongodb::Database) -> anyhow::Result<Self> {
        Ok(Self::from_adapter(Arc::new(MongoStore::with_database(db).await?)))
    }
}

#[cfg(test)]
pub mod contract;
