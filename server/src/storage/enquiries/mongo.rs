use crate::storage::mongo::{MongoStore, backend};
use crate::storage::StoreResult;
use crate::storage::enquiries::{EnquiryStore, StoredEnquiry};
use async_trait::async_trait;
use futures_util::TryStreamExt;
use mongodb::bson::doc;

/// This area's indexes (see `MongoStore::index`).
pub(crate) async fn ensure_indexes(m: &MongoStore) -> mongodb::error::Result<()> {
    m.index("contact_messages", doc! { "received_at": -1 }, None).await
}

impl MongoStore {
    fn enquiries(&self) -> mongodb::Collection<StoredEnquiry> {
        self.typed("contact_messages")
    }
}

#[async_trait]
impl EnquiryStore for MongoStore {
    async fn insert_enquiry(&self, m: &StoredEnquiry) -> StoreResult<()> {
        self.enquiries().insert_one(m).await.map(|_| ()).map_err(backend)
    }

    async fn recent_enquiries(&self, limit: u32) -> StoreResult<Vec<StoredEnquiry>> {
        self.enquiries()
            .find(doc! {})
            .sort(doc! { "received_at": -1, "_id": -1 })
            .limit(limit as i64)
            .await
            .map_err(backend)?
            .try_collect()
            .await
            .map_err(backend)
    }
}
