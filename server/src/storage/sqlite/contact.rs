use super::{SqliteStore, backend};
use crate::storage::{ContactStore, StoreError, StoreResult, StoredContactMessage};
use app::contact::model::ContactMessage;
use app::i18n::Lang;
use async_trait::async_trait;
use time::format_description::well_known::Rfc3339;

#[async_trait]
impl ContactStore for SqliteStore {
    async fn insert_contact_message(&self, m: &StoredContactMessage) -> StoreResult<()> {
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

    async fn recent_contact_messages(&self, limit: u32) -> StoreResult<Vec<StoredContactMessage>> {
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
                Ok(StoredContactMessage {
                    id,
                    message: ContactMessage {
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
