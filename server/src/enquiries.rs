//! Enquiries from the public contact form: stored, then acknowledged by e-mail.

use crate::email::{EmailJob, SEND_EMAIL, Template};
use crate::jobs;
use crate::limits::{CONTACT_CLIENT, Limiter, client_key};
use crate::storage::Stores;
use crate::storage::enquiries::EnquiryStore;
use crate::storage::enquiries::StoredEnquiry;
use crate::storage::jobs::JobStore;
use app::enquiries::model::Enquiry;
use app::enquiries::port::{Enquiries, EnquiryError};
use app::server::request::ClientInfo;
use async_trait::async_trait;
use std::collections::BTreeMap;
use std::sync::Arc;

pub struct EnquiryService {
    store: EnquiryStores,
    limiter: Limiter,
}

/// The stores enquiries use: their own, and the job queue for the acknowledgement.
struct EnquiryStores {
    enquiries: Arc<dyn EnquiryStore>,
    jobs: Arc<dyn JobStore>,
}

impl EnquiryService {
    pub fn new(store: &Stores) -> Self {
        let limiter = Limiter::new(store.accounts.clone());
        Self { store: EnquiryStores { enquiries: store.enquiries.clone(), jobs: store.jobs.clone() }, limiter }
    }
}

#[async_trait]
impl Enquiries for EnquiryService {
    async fn receive(&self, message: Enquiry, client: ClientInfo) -> Result<(), EnquiryError> {
        let now = time::OffsetDateTime::now_utc();
        let over = self.limiter.over(CONTACT_CLIENT, &client_key(&client.ip), now).await;
        if over.map_err(|e| EnquiryError::Internal(e.to_string()))? {
            return Err(EnquiryError::TooMany(CONTACT_CLIENT.retry_after()));
        }
        let stored = StoredEnquiry {
            id: uuid::Uuid::new_v4().to_string(),
            message,
            received_at: time::OffsetDateTime::now_utc().replace_nanosecond(0).expect("0 is valid"),
        };
        self.store.enquiries.insert_enquiry(&stored).await.map_err(|e| EnquiryError::Internal(e.to_string()))?;
        // Only the id: a log line never carries what a person wrote or their address.
        tracing::info!(contact_message = %stored.id, "contact message stored");
        let ack = EmailJob {
            to: stored.message.email.clone(),
            template: Template::ContactAck,
            lang: stored.message.lang,
            vars: BTreeMap::from([("name".to_owned(), stored.message.name.clone())]),
            sealed: None,
        };
        let payload = serde_json::to_value(&ack).map_err(|e| EnquiryError::Internal(e.to_string()))?;
        // The message is kept even if queueing the acknowledgement fails: log it, do not lose it.
        if let Err(e) =
            jobs::enqueue(&*self.store.jobs, SEND_EMAIL, payload, Some(format!("contact-ack:{}", stored.id))).await
        {
            tracing::error!(contact_message = %stored.id, error = %e, "could not queue the acknowledgement");
        }
        Ok(())
    }
}
