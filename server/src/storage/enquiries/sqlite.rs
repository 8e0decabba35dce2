use crate::storage::sqlite::{SqliteStore, backend};
use crate::storage::{StoreError, StoreResult};
use crate::storage::enquiries::{EnquiryStore, StoredEnquiry};
use app::enquiries::model::Enquiry;
use app::i18n::Lang;
use async_trait::async_trait;
use time::format_description::well_known::Rfc3339;

#[async_trait]
impl EnquiryStore for SqliteStore {
    async fn insert_enquiry(&self, m: &StoredEnquiry) -> StoreResult<()> {
        let received_at = m.received_at.format(&Rfc3339).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        sqlx::query(
            "INSERT INTO contact_messages (id, name, email, company, message, lang, received_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&m.id)
        .bind(&m.message.name)
        .bind(&m.message.email)
        .bind(&m.message.company)
        .bind(&m.message.message)
        .bind(m.message.lang.code())
        .bind(received_at)
        .execute(&self.pool)
        .await
        .map(|_| ())
        .map_err(backend)
    }

    async fn recent_enquiries(&self, limit: u32) -> StoreResult<Vec<StoredEnquiry>> {
        type Row = (String, String, String, Option<String>, String, String, String);
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT id, name, email, company, message, lang, received_at FROM contact_messages \
             ORDER BY received_at DESC, id DESC LIMIT ?",
        )
        .bind(limit)
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        rows.into_iter()
            .map(|(id, name, email, company, message, lang, received_at)| {
                Ok(StoredEnquiry {
                    id,
                    message: Enquiry {
                        name,
                        email,
                        company,
                        message,
                        lang: Lang::from_code(&lang).ok_or_else(|| StoreError::Corrupt(format!("lang {lang}")))?,
                    },
                    received_at: time::OffsetDateTime::parse(&received_at, &Rfc3339)
                        .map_err(|e| StoreError::Corrupt(e.to_string()))?,
                })
            })
            .collect()
    }
}
