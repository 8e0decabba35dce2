use crate::storage::mongo::{MongoStore, backend};
use crate::storage::{StoreError, StoreResult, from_millis, to_millis};
use crate::storage::enquiries::{EnquiryStore, StoredEnquiry};
use app::enquiries::model::Enquiry;
use app::i18n::Lang;
use async_trait::async_trait;
use futures_util::TryStreamExt;
use mongodb::bson::doc;
use serde::{Deserialize, Serialize};

/// This area's indexes (see `MongoStore::index`).
pub(crate) async fn ensure_indexes(m: &MongoStore) -> mongodb::error::Result<()> {
    m.index("contact_messages", doc! { "received_at": -1 }, None).await
}

#[derive(Serialize, Deserialize)]
struct ContactDoc {
    #[serde(rename = "_id")]
    id: String,
    name: String,
    email: String,
    company: Option<String>,
    message: String,
    lang: String,
    received_at: i64,
}

#[async_trait]
impl EnquiryStore for MongoStore {
    async fn insert_enquiry(&self, m: &StoredEnquiry) -> StoreResult<()> {
        let doc = ContactDoc {
            id: m.id.clone(),
            name: m.message.name.clone(),
            email: m.message.email.clone(),
            company: m.message.company.clone(),
            message: m.message.message.clone(),
            lang: m.message.lang.code().to_owned(),
            received_at: to_millis(m.received_at),
        };
        self.typed::<ContactDoc>("contact_messages").insert_one(doc).await.map(|_| ()).map_err(backend)
    }

    async fn recent_enquiries(&self, limit: u32) -> StoreResult<Vec<StoredEnquiry>> {
        let docs: Vec<ContactDoc> = self
            .typed::<ContactDoc>("contact_messages")
            .find(doc! {})
            .sort(doc! { "received_at": -1, "_id": -1 })
            .limit(limit as i64)
            .await
            .map_err(backend)?
            .try_collect()
            .await
            .map_err(backend)?;
        docs.into_iter()
            .map(|d| {
                Ok(StoredEnquiry {
                    id: d.id,
                    message: Enquiry {
                        name: d.name,
                        email: d.email,
                        company: d.company,
                        message: d.message,
                        lang: Lang::from_code(&d.lang)
                            .ok_or_else(|| StoreError::Corrupt(format!("lang {}", d.lang)))?,
                    },
                    received_at: from_millis(d.received_at),
                })
            })
            .collect()
    }
}
