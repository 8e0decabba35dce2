//! WhatsApp: the webhook's intake (signature, durable store, background processing), the
//! connection of an organisation's number, and the sandbox that stands in for Meta outside
//! production.

pub mod connect;
pub mod inbox;
pub mod intake;
pub mod payload;
pub mod sandbox;
pub mod send;
pub mod signature;
pub mod templates;

pub use connect::{Clients, ConnectionService};
pub use inbox::InboxService;
pub use intake::{DELIVERY_JOB, Intake};
pub use send::{SEND_JOB, SendMessage};

use crate::storage::Stores;
use crate::storage::whatsapp::DeliveryRecord;
use time::OffsetDateTime;

/// Largest delivery accepted (Meta's deliveries are far smaller; media comes by id).
pub const MAX_DELIVERY: usize = 3 * 1024 * 1024;

/// Keeps a signed delivery as received and queues its processing; the webhook answers 200 once
/// both are stored. Returns the delivery's id.
pub async fn accept_delivery(stores: &Stores, body: &[u8]) -> crate::storage::StoreResult<String> {
    let id = uuid::Uuid::now_v7().to_string();
    let delivery = DeliveryRecord {
        id: id.clone(),
        body: String::from_utf8_lossy(body).into_owned(),
        received_at: OffsetDateTime::now_utc(),
        outcome: None,
        processed_at: None,
    };
    stores.whatsapp.insert_delivery(&delivery).await?;
    crate::jobs::enqueue(stores.jobs.as_ref(), DELIVERY_JOB, serde_json::json!({ "delivery": id }), Some(id.clone()))
        .await?;
    Ok(id)
}
