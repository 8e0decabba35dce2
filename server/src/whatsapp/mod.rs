//! WhatsApp: the webhook's intake (signature, durable store, background processing), the
//! connection of an organisation's number, and the sandbox that stands in for Meta outside
//! production.

pub mod accept;
pub mod connect;
pub mod inbox;
pub mod intake;
pub mod media;
pub mod orders;
pub mod pace;
pub mod payload;
pub mod quick_replies;
pub mod sandbox;
pub mod send;
pub mod signature;
pub mod template_sync;
pub mod templates;

pub use accept::Acceptor;
pub use connect::{Clients, ConnectionService};
pub use inbox::InboxService;
pub use intake::{DELIVERY_JOB, Intake};
pub use media::{FetchMedia, MEDIA_JOB};
pub use send::{SEND_JOB, SendMessage};
pub use template_sync::{SyncTemplates, TEMPLATE_SYNC_JOB};

use crate::storage::Stores;

/// Largest delivery accepted (Meta's deliveries are far smaller; media comes by id).
pub const MAX_DELIVERY: usize = 3 * 1024 * 1024;

/// The message a job works on: `{"org": …, "message": …}` (send and media jobs), read once with
/// the store.
pub(crate) async fn job_message(
    stores: &Stores,
    job: &crate::storage::jobs::Job,
) -> Result<(app::ids::OrgId, crate::storage::inbox::MessageRecord), crate::jobs::JobError> {
    use crate::jobs::JobError;
    let field = |name: &str| job.payload.get(name).and_then(|v| v.as_str()).map(str::to_owned);
    let (Some(org), Some(id)) = (field("org"), field("message")) else {
        return Err(JobError::permanent(format!("a {} job needs org and message", job.kind)));
    };
    let org = app::ids::OrgId::new(org);
    match stores.inbox.message(&org, &id).await.map_err(JobError::retry)? {
        Some(message) => Ok((org, message)),
        None => Err(JobError::permanent("the message is gone")),
    }
}
