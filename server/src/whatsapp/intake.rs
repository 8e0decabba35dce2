//! Processing a stored webhook delivery (a background job, so the webhook answers at once):
//! routes each change by the receiving number, files customers' messages into their contact's
//! conversation, and moves our messages' statuses forward. Safe to run twice: messages are
//! de-duplicated by (number, wamid) and statuses only climb.

use super::payload::{Delivery, Inbound, StatusUpdate};
use crate::contacts::phone;
use crate::contacts::service::new_record;
use crate::jobs::{JobError, JobHandler};
use crate::storage::contacts::ContactRecord;
use crate::storage::inbox::{ConversationRecord, Filing, MessageRecord};
use crate::storage::jobs::Job;
use crate::storage::whatsapp::ConnectionRecord;
use crate::storage::{StoreError, StoreResult, Stores};
use app::ids::OrgId;
use app::inbox::model::{Direction, MessageContent, MessageStatus};
use async_trait::async_trait;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;
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

/// Messages filed per write: long enough that a commit is not paid per message, short enough
/// that the webhook's own writes never wait long behind one.
const FILE_CHUNK: usize = 50;

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
        // batch reads each number's connection once, files all its customers' messages together,
        // moves each organisation's inbox clock once, and only then records the outcomes: a
        // batch that fails before that runs again whole (messages are de-duplicated and
        // statuses only climb), so no change goes unannounced.
        let mut batch = Batch::default();
        let mut retry = None;
        for id in ids {
            if let Err(e) = self.read(id, job.attempts, &mut batch).await {
                retry = Some(e);
            }
        }
        self.file(&mut batch).await.map_err(JobError::retry)?;
        for org in &batch.touched {
            self.stores.inbox.touch_inbox(org).await.map_err(JobError::retry)?;
        }
        let now = OffsetDateTime::now_utc();
        for done in batch.deliveries.iter().filter(|d| d.finish) {
            let outcome = done.report.as_ref().map_or_else(Clone::clone, Report::outcome);
            if done.report.as_ref().map_or(true, |r| r.unknown_numbers > 0 || r.unreadable > 0) {
                tracing::warn!(delivery = done.id, %outcome, "webhook delivery not fully processed");
            }
            self.stores.whatsapp.finish_delivery(&done.id, &outcome, now).await.map_err(JobError::retry)?;
        }
        retry.map_or(Ok(()), Err)
    }
}

/// What a job's deliveries share while it runs.
#[derive(Default)]
struct Batch {
    /// Receiving numbers' connections, as read once (`None`: not ours).
    connections: HashMap<String, Option<Arc<ConnectionRecord>>>,
    /// The deliveries read, in order.
    deliveries: Vec<Read>,
    /// Customers' messages to file, in the order they came.
    pending: Vec<Pending>,
    /// Organisations whose inbox changed.
    touched: BTreeSet<OrgId>,
}

/// One delivery of the batch and what became of it.
struct Read {
    id: String,
    /// What it held; `Err` says why it was not read (malformed, another object).
    report: Result<Report, String>,
    /// Its outcome is recorded (not while its statuses wait for their messages).
    finish: bool,
}

/// A customer's message waiting to be filed.
struct Pending {
    /// Its delivery's place in `Batch::deliveries`.
    delivery: usize,
    connection: Arc<ConnectionRecord>,
    /// The sender's WhatsApp profile name.
    name: Option<String>,
    message: Inbound,
}

impl Intake {
    pub fn new(stores: Stores) -> Self {
        Self { stores }
    }

    /// Reads the stored delivery `id` (attempt `attempt` of its job) into `batch`: statuses are
    /// applied at once, customers' messages wait for `file`.
    async fn read(&self, id: &str, attempt: u32, batch: &mut Batch) -> Result<(), JobError> {
        let Some(delivery) = self.stores.whatsapp.delivery(id).await.map_err(JobError::retry)? else {
            return Err(JobError::permanent(format!("delivery {id} is not stored")));
        };
        if delivery.outcome.is_some() {
            return Ok(());
        }
        let index = batch.deliveries.len();
        batch.deliveries.push(Read { id: id.to_owned(), report: Ok(Report::default()), finish: false });
        let report = match serde_json::from_str::<Delivery>(&delivery.body) {
            Err(e) => Err(format!("malformed: {e}")),
            Ok(d) if d.object != "whatsapp_business_account" => Err("ignored: another object".to_owned()),
            Ok(d) => Ok(self.apply(d, index, batch).await.map_err(JobError::retry)?),
        };
        let waits = matches!(&report, Ok(r) if r.unknown_statuses > 0 && attempt < UNKNOWN_STATUS_ATTEMPTS);
        batch.deliveries[index] = Read { id: id.to_owned(), report, finish: !waits };
        if waits {
            return Err(JobError::retry("statuses for messages not stored yet"));
        }
        Ok(())
    }

    /// Routes a delivery's changes: messages to `batch.pending`, statuses applied.
    async fn apply(&self, delivery: Delivery, index: usize, batch: &mut Batch) -> StoreResult<Report> {
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
                batch.connections.insert(number.clone(), found.map(Arc::new));
            }
            let Some(connection) = batch.connections[number].clone() else {
                report.unknown_numbers += 1;
                continue;
            };
            for raw in &value.messages {
                let Some(message) = Inbound::read(raw) else {
                    report.unreadable += 1;
                    continue;
                };
                let name = value.contacts.iter().find(|s| s.wa_id == message.from).and_then(|s| s.profile.as_ref());
                let name = name.map(|p| p.name.trim().to_owned());
                batch.pending.push(Pending { delivery: index, connection: connection.clone(), name, message });
            }
            let statuses_before = report.statuses;
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
            if report.statuses > statuses_before {
                batch.touched.insert(connection.org_id.clone());
            }
        }
        Ok(report)
    }

    /// Files the batch's customer messages: each sender found (or created) as a contact, then
    /// the messages in a few writes, and their counts added to their deliveries' reports.
    async fn file(&self, batch: &mut Batch) -> StoreResult<()> {
        let pending = std::mem::take(&mut batch.pending);
        let contacts = self.senders(&pending).await?;
        let now = OffsetDateTime::now_utc();
        let deliveries: Vec<usize> = pending.iter().map(|p| p.delivery).collect();
        let filings: Vec<Filing> = pending
            .into_iter()
            .zip(contacts)
            .map(|(p, contact)| filing(&p.connection, contact, p.message, now))
            .collect();
        for (filings, deliveries) in filings.chunks(FILE_CHUNK).zip(deliveries.chunks(FILE_CHUNK)) {
            let added = self.stores.inbox.file_messages(filings).await?;
            for ((f, delivery), added) in filings.iter().zip(deliveries).zip(added) {
                let Ok(report) = &mut batch.deliveries[*delivery].report else { continue };
                if !added {
                    report.repeated += 1;
                    continue;
                }
                report.messages += 1;
                batch.touched.insert(f.message.org_id.clone());
                if matches!(f.message.content, MessageContent::Media { .. }) {
                    super::media::queue(&self.stores, &f.message.org_id, &f.message.id).await?;
                }
            }
        }
        Ok(())
    }

    /// The contact of each pending message's sender (their ids, in order): found by number in one
    /// look-up per organisation, those writing for the first time created together (named as
    /// their profile says). The same person typed in by an agent or imported from a file is found
    /// whatever form their number was written in.
    async fn senders(&self, pending: &[Pending]) -> StoreResult<Vec<String>> {
        let phones: Vec<String> = pending.iter().map(|p| sender_phone(&p.message.from)).collect();
        let mut by_org: BTreeMap<&OrgId, Vec<usize>> = BTreeMap::new();
        for (i, p) in pending.iter().enumerate() {
            by_org.entry(&p.connection.org_id).or_default().push(i);
        }
        let mut ids = vec![String::new(); pending.len()];
        for (org, at) in by_org {
            let wanted: BTreeSet<String> = at.iter().map(|&i| phones[i].clone()).collect();
            let wanted: Vec<String> = wanted.into_iter().collect();
            let found = self.stores.contacts.contacts_matching(org, &wanted, &[]).await?;
            let mut known: HashMap<String, String> = found.into_iter().filter_map(|c| Some((c.phone?, c.id))).collect();
            // First-timers, once each, named as their first message in the batch says.
            let now = OffsetDateTime::now_utc();
            let mut new: Vec<ContactRecord> = Vec::new();
            for &i in &at {
                if !known.contains_key(&phones[i]) {
                    let record = new_contact(org, &phones[i], pending[i].name.as_deref(), now);
                    known.insert(phones[i].clone(), record.id.clone());
                    new.push(record);
                }
            }
            if !new.is_empty() && self.stores.contacts.write_contacts(&new, &[]).await.is_err() {
                // Someone was created meanwhile (another batch, an agent): one at a time, which
                // finds them (a store that is down fails here too).
                for c in new {
                    let phone = c.phone.unwrap_or_default();
                    let found = self.contact_for(org, &phone, Some(&c.display_name)).await?;
                    known.insert(phone, found.id);
                }
            }
            for i in at {
                ids[i] = known[&phones[i]].clone();
            }
        }
        Ok(ids)
    }

    /// The organisation's contact with this number, created if there is none.
    async fn contact_for(&self, org: &OrgId, phone: &str, name: Option<&str>) -> StoreResult<ContactRecord> {
        let contacts = &self.stores.contacts;
        let phones = [phone.to_owned()];
        if let Some(found) = contacts.contacts_matching(org, &phones, &[]).await?.into_iter().next() {
            return Ok(found);
        }
        let record = new_contact(org, phone, name, OffsetDateTime::now_utc());
        match contacts.insert_contact(&record).await {
            Ok(()) => Ok(record),
            // Another delivery from the same sender created them a moment ago.
            Err(StoreError::Duplicate) => contacts
                .contacts_matching(org, &phones, &[])
                .await?
                .into_iter()
                .next()
                .ok_or_else(|| StoreError::Backend("contact vanished".into())),
            Err(e) => Err(e),
        }
    }
}

/// A sender's number as contacts store it: Meta's `wa_id` through the contacts' normalisation
/// (so Mexico's `521…` and Brazil's missing 9th digit meet the numbers people typed).
fn sender_phone(wa_id: &str) -> String {
    phone::normalise(&format!("+{wa_id}"), None).map(|p| p.e164).unwrap_or_else(|_| format!("+{wa_id}"))
}

/// A contact for someone writing for the first time.
fn new_contact(org: &OrgId, phone: &str, name: Option<&str>, now: OffsetDateTime) -> ContactRecord {
    let mut record = new_record(org, now);
    record.display_name = name.filter(|n| !n.is_empty()).map(app::text::clean_line).unwrap_or_else(|| phone.to_owned());
    record.wa_id = Some(phone.trim_start_matches('+').to_owned());
    record.phone = Some(phone.to_owned());
    record
}

/// A customer's message as the inbox files it, into a new open conversation unless the contact
/// has one on the number.
fn filing(connection: &ConnectionRecord, contact_id: String, m: Inbound, now: OffsetDateTime) -> Filing {
    let at = from_unix(m.timestamp);
    // Created now; its last message is the customer's, at the time they wrote it.
    let conversation = ConversationRecord {
        created_at: now,
        updated_at: now,
        ..ConversationRecord::open(
            uuid::Uuid::now_v7().to_string(),
            connection.org_id.clone(),
            contact_id,
            connection.phone_number_id.clone(),
            at,
        )
    };
    let message = MessageRecord {
        id: uuid::Uuid::now_v7().to_string(),
        org_id: connection.org_id.clone(),
        conversation_id: conversation.id.clone(),
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
    Filing { conversation, message, referral: m.referral }
}

#[cfg(test)]
mod tests;
