//! The contact inbox: stores messages from the public contact form.

use crate::storage::{DynStore, StoredContactMessage};
use app::contact::model::ContactMessage;
use app::error::AppError;
use app::ports::ContactInbox;
use async_trait::async_trait;

pub struct StoreContactInbox {
    store: DynStore,
}

impl StoreContactInbox {
    pub fn new(store: DynStore) -> Self {
        Self { store }
    }
}

#[async_trait]
impl ContactInbox for StoreContactInbox {
    async fn receive(&self, message: ContactMessage) -> Result<(), AppError> {
        let stored = StoredContactMessage {
            id: uuid::Uuid::new_v4().to_string(),
            message,
            received_at: time::OffsetDateTime::now_utc().replace_nanosecond(0).expect("0 is valid"),
        };
        self.store.insert_contact_message(&stored).await.map_err(AppError::internal)?;
        // Only the id: a log line never carries what a person wrote or their address.
        tracing::info!(contact_message = %stored.id, "contact message stored");
        Ok(())
    }
}
