use crate::storage::sqlite::{SqliteStore, backend};
use crate::storage::{StoreError, StoreResult};
use crate::storage::enquiries::{EnquiryStore, StoredEnquiry};
use app::enquiries::model::Enquiry;
use app::i18n::Lang;
use async_trait::async_trait;
use sqlx::Row;
use sqlx::sqlite::SqliteRow;
use time::OffsetDateTime;
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
        sqlx::query_as(
            "SELECT id, name, email, company, message, lang, received_at FROM contact_messages \
             ORDER BY received_at DESC, id DESC LIMIT ?",
        )
        .bind(limit)
        .fetch_all(&self.pool)
        .await
        .map_err(backend)
    }
}

/// This table predates millisecond columns: `received_at` is RFC 3339 text and `lang` a code.
impl sqlx::FromRow<'_, SqliteRow> for StoredEnquiry {
    fn from_row(r: &SqliteRow) -> sqlx::Result<Self> {
        let corrupt = |index: &str, e: String| sqlx::Error::ColumnDecode { index: index.into(), source: e.into() };
        let lang: String = r.try_get("lang")?;
        let received_at: String = r.try_get("received_at")?;
        Ok(StoredEnquiry {
            id: r.try_get("id")?,
            message: Enquiry {
                name: r.try_get("name")?,
                email: r.try_get("email")?,
                company: r.try_get("company")?,
                message: r.try_get("message")?,
                lang: Lang::from_code(&lang).ok_or_else(|| corrupt("lang", lang.clone()))?,
            },
            received_at: OffsetDateTime::parse(&received_at, &Rfc3339).map_err(|e| corrupt("received_at", e.to_string()))?,
        })
    }
}
