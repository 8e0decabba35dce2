//! The contact inbox: stores messages from the public contact form.

use crate::email::{EmailJob, SEND_EMAIL, Template};
use crate::jobs;
use crate::storage::{DynStore, StoredContactMessage};
use app::contact::model::ContactMessage;
use app::error::AppError;
use app::ports::ContactInbox;
use async_trait::async_trait;
use std::collections::BTreeMap;

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
        let ack = EmailJob {
            to: stored.message.email.clone(),
            template: Template::ContactAck,
            lang: stored.message.lang,
            vars: BTreeMap::from([("name".to_owned(), stored.message.name.clone())]),
        };
        let payload = serde_json::to_value(&ack).map_err(AppError::internal)?;
        // The message is kept even if queueing the acknowledgement fails: log it, do not lose it.
        if let Err(e) =
            jobs::enqueue(&self.store, SEND_EMAIL, payload, Some(format!("contact-ack:{}", stored.id))).await
        {
            tracing::error!(contact_message = %stored.id, error = %e, "could not queue the acknowledgement");
        }
        Ok(())
    }
}
