//! Processing a stored webhook delivery (a background job, so the webhook answers at once):
//! routes each change by the receiving number, files customers' messages into their contact's
//! conversation, and moves our messages' statuses forward. Safe to run twice: messages are
//! de-duplicated by (number, wamid) and statuses only climb.

use super::payload::{Delivery, Inbound, Sender, StatusUpdate};
use crate::contacts::phone;
use crate::contacts::service::new_record;
use crate::jobs::{JobError, JobHandler};
use crate::storage::contacts::ContactRecord;
use crate::storage::inbox::{ConversationRecord, MessageRecord};
use crate::storage::jobs::Job;
use crate::storage::whatsapp::ConnectionRecord;
use crate::storage::{StoreError, StoreResult, Stores};
use app::ids::OrgId;
use app::inbox::model::{ConversationStatus, Direction, MessageContent, MessageStatus};
use async_trait::async_trait;
use std::collections::{BTreeSet, HashMap};
use time::OffsetDateTime;

pub const DELIVERY_JOB: &str = "whatsapp.delivery";

/// A status for a wamid we have not stored yet is retried this many times (our send may still
/// be recording the wamid Meta answered with) before it is reported as unknown.
const UNKNOWN_STATUS_ATTEMPTS: u32 = 3;

pub struct Intake {
    stores: Stores,
}

/// What a delivery held and what became of it, kept as the delivery's outcome.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub messages: u32,
    pub repeated: u32,
    pub statuses: u32,
    /// Statuses that would have moved a message backwards (or sideways).
    pub stale: u32,
    pub unknown_statuses: u32,
    pub unknown_numbers: u32,
    /// Messages or statuses without the fields every one has.
    pub unreadable: u32,
}

impl Report {
    fn outcome(&self) -> String {
        format!(
            "messages {} (repeated {}), statuses {} (stale {}, unknown {}), unknown numbers {}, unreadable {}",
            self.messages,
            self.repeated,
            self.statuses,
            self.stale,
            self.unknown_statuses,
            self.unknown_numbers,
            self.unreadable
        )
    }
}

fn from_unix(seconds: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(seconds).unwrap_or_else(|_| OffsetDateTime::now_utc())
}

#[async_trait]
impl JobHandler for Intake {
    async fn run(&self, job: &Job) -> Result<(), JobError> {
        // A batch as the webhook stored it (or one delivery, as jobs queued before batches say).
        let ids: Vec<&str> = match (job.payload.get("deliveries"), job.payload.get("delivery")) {
            (Some(serde_json::Value::Array(ids)), _) => ids.iter().filter_map(|d| d.as_str()).collect(),
            (_, Some(id)) => id.as_str().into_iter().collect(),
            _ => Vec::new(),
        };
        if ids.is_empty() {
            return Err(JobError::permanent("no delivery id"));
        }
        // Each delivery keeps its outcome, so a retried batch skips the ones already done. The
        // batch reads each number's connection once, moves each organisation's inbox clock once,
        // and only then records the outcomes: a batch that fails before that is run again whole
        // (messages are de-duplicated), so no change goes unannounced.
        let mut batch = Batch::default();
        let mut retry = None;
        for id in ids {
            if let Err(e) = self.process(id, job.attempts, &mut batch).await {
                retry = Some(e);
            }
        }
        for org in &batch.touched {
            self.stores.inbox.touch_inbox(org).await.map_err(JobError::retry)?;
        }
        let now = OffsetDateTime::now_utc();
        for (id, outcome) in &batch.outcomes {
            self.stores.whatsapp.finish_delivery(id, outcome, now).await.map_err(JobError::retry)?;
        }
        retry.map_or(Ok(()), Err)
    }
}

/// What a job's deliveries share while it runs.
#[derive(Default)]
struct Batch {
    /// Receiving numbers' connections, as read once (`None`: not ours).
    connections: HashMap<String, Option<ConnectionRecord>>,
    /// Organisations whose inbox changed.
    touched: BTreeSet<OrgId>,
    /// Deliveries done, with their outcomes, recorded once the changes are announced.
    outcomes: Vec<(String, String)>,
}

impl Intake {
    pub fn new(stores: Stores) -> Self {
        Self { stores }
    }

    /// Processes the stored delivery `id` (attempt `attempt` of its job); its outcome goes to `batch`.
    async fn process(&self, id: &str, attempt: u32, batch: &mut Batch) -> Result<Option<Report>, JobError> {
        let Some(delivery) = self.stores.whatsapp.delivery(id).await.map_err(JobError::retry)? else {
            return Err(JobError::permanent(format!("delivery {id} is not stored")));
        };
        if delivery.outcome.is_some() {
            return Ok(None);
        }
        let (outcome, report) = match serde_json::from_str::<Delivery>(&delivery.body) {
            Err(e) => (format!("malformed: {e}"), None),
            Ok(d) if d.object != "whatsapp_business_account" => ("ignored: another object".to_owned(), None),
            Ok(d) => {
                let report = self.apply(d, batch).await.map_err(JobError::retry)?;
                if report.unknown_statuses > 0 && attempt < UNKNOWN_STATUS_ATTEMPTS {
                    return Err(JobError::retry("statuses for messages not stored yet"));
                }
                (report.outcome(), Some(report))
            }
        };
        if report.as_ref().is_none_or(|r| r.unknown_numbers > 0 || r.unreadable > 0) {
            tracing::warn!(delivery = id, %outcome, "webhook delivery not fully processed");
        }
        batch.outcomes.push((id.to_owned(), outcome));
        Ok(report)
    }

    async fn apply(&self, delivery: Delivery, batch: &mut Batch) -> StoreResult<Report> {
        let mut report = Report::default();
        for change in delivery.entry.into_iter().flat_map(|e| e.changes) {
            let Some(value) = change.value.filter(|_| change.field == "messages") else { continue };
            let Some(metadata) = &value.metadata else {
                report.unreadable += (value.messages.len() + value.statuses.len()) as u32;
                continue;
            };
            let number = &metadata.phone_number_id;
            if !batch.connections.contains_key(number) {
                let found = self.stores.whatsapp.connection_for_number(number).await?;
                batch.connections.insert(number.clone(), found);
            }
            let Some(connection) = batch.connections[number].clone() else {
                report.unknown_numbers += 1;
                continue;
            };
            let changed_before = report.messages + report.statuses;
            for raw in &value.messages {
                match Inbound::read(raw) {
                    None => report.unreadable += 1,
                    Some(m) => match self.receive(&connection, &value.contacts, m).await? {
                        true => report.messages += 1,
                        false => report.repeated += 1,
                    },
                }
            }
            for raw in &value.statuses {
                let Some(update) = StatusUpdate::read(raw) else {
                    report.unreadable += 1;
                    continue;
                };
                let number = &connection.phone_number_id;
                let at = from_unix(update.timestamp);
                match self
                    .stores
                    .inbox
                    .advance_status(number, &update.wamid, update.status, update.error.as_ref(), at)
                    .await?
                {
                    Some(_) => report.statuses += 1,
                    None if self.stores.inbox.message_by_wamid(number, &update.wamid).await?.is_some() => {
                        report.stale += 1
                    }
                    None => report.unknown_statuses += 1,
                }
            }
            if report.messages + report.statuses > changed_before {
                batch.touched.insert(connection.org_id.clone());
            }
        }
        Ok(report)
    }

    /// Files one customer message; false when it was already filed.
    async fn receive(&self, connection: &ConnectionRecord, senders: &[Sender], m: Inbound) -> StoreResult<bool> {
        let name = senders.iter().find(|s| s.wa_id == m.from).and_then(|s| s.profile.as_ref()).map(|p| p.name.trim());
        let contact = self.contact_for(&connection.org_id, &m.from, name).await?;
        let now = OffsetDateTime::now_utc();
        let at = from_unix(m.timestamp);
        let conversation = self
            .stores
            .inbox
            .open_conversation(&ConversationRecord {
                id: uuid::Uuid::now_v7().to_string(),
                org_id: connection.org_id.clone(),
                contact_id: contact.id,
                phone_number_id: connection.phone_number_id.clone(),
                status: ConversationStatus::Open,
                assignee: None,
                unread: 0,
                preview: String::new(),
                last_message_at: at,
                last_inbound_at: None,
                referral: None,
                created_at: now,
                updated_at: now,
            })
            .await?;
        let message = MessageRecord {
            id: uuid::Uuid::now_v7().to_string(),
            org_id: connection.org_id.clone(),
            conversation_id: conversation.id,
            phone_number_id: connection.phone_number_id.clone(),
            wamid: Some(m.wamid),
            direction: Direction::In,
            content: m.content,
            context_wamid: m.context_wamid,
            status: MessageStatus::Received,
            error: None,
            sent_by: None,
            created_at: at,
            status_at: now,
        };
        let added = self.stores.inbox.add_message(&message, m.referral.as_ref()).await?;
        if added && matches!(message.content, MessageContent::Media { .. }) {
            super::media::queue(&self.stores, &message.org_id, &message.id).await?;
        }
        Ok(added)
    }

    /// The organisation's contact for a WhatsApp sender, created (named as their profile says)
    /// the first time they write. The same person typed in by an agent or imported from a file is
    /// found by the number, whatever form it was written in.
    async fn contact_for(&self, org: &OrgId, wa_id: &str, name: Option<&str>) -> StoreResult<ContactRecord> {
        let phone =
            phone::normalise(&format!("+{wa_id}"), None).map(|p| p.e164).unwrap_or_else(|_| format!("+{wa_id}"));
        let contacts = &self.stores.contacts;
        if let Some(found) =
            contacts.contacts_matching(org, std::slice::from_ref(&phone), &[]).await?.into_iter().next()
        {
            return Ok(found);
        }
        let mut record = new_record(org, OffsetDateTime::now_utc());
        record.display_name =
            name.filter(|n| !n.is_empty()).map(app::text::clean_line).unwrap_or_else(|| phone.clone());
        record.wa_id = Some(phone[1..].to_owned());
        record.phone = Some(phone.clone());
        match contacts.insert_contact(&record).await {
            Ok(()) => Ok(record),
            // Another delivery from the same sender created them a moment ago.
            Err(StoreError::Duplicate) => contacts
                .contacts_matching(org, &[phone], &[])
                .await?
                .into_iter()
                .next()
                .ok_or_else(|| StoreError::Backend("contact vanished".into())),
            Err(e) => Err(e),
        }
    }
}
