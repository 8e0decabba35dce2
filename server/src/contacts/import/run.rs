//! The import job: reads the file in batches, matches each row against the store, writes the
//! batch with its progress, and resumes from that progress after a crash or restart.

use super::detect::{Encoding, Utf8Reader};
use super::rows::{self, Candidate};
use super::{IMPORT_JOB, ImportService};
use crate::contacts::service::new_record;
use crate::email::{EmailJob, SEND_EMAIL, Template};
use crate::jobs::{JobError, JobHandler};
use crate::storage::contacts::{ContactRecord, ImportBatch, ImportRecord, RejectRecord};
use crate::storage::jobs::Job;
use crate::storage::millis_precision;
use app::contacts::import::{ImportCounts, ImportMode, ImportStatus};
use app::contacts::model::OptOutSource;
use app::ids::OrgId;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::io::{BufReader, Read};
use std::sync::Arc;
use time::OffsetDateTime;

/// Rows read, matched and written together: large enough that a transaction's fixed cost
/// disappears, small enough that the rows in flight (two batches queued, one being written)
/// stay a few megabytes.
const BATCH: usize = 5_000;

/// Runs `contacts.import` jobs.
pub struct ImportJob(pub Arc<ImportService>);

#[async_trait::async_trait]
impl JobHandler for ImportJob {
    async fn run(&self, job: &Job) -> Result<(), JobError> {
        debug_assert_eq!(job.kind, IMPORT_JOB);
        let id = job.payload["import_id"].as_str().ok_or_else(|| JobError::permanent("no import id"))?;
        let org = job.payload["org_id"].as_str().ok_or_else(|| JobError::permanent("no organisation"))?;
        self.0.run_import(&OrgId::new(org), id).await.map_err(JobError::retry)
    }
}

impl ImportService {
    /// Runs (or resumes) an import to its end. `Err` is a failure worth retrying (the store, the
    /// disk); a file that cannot be read further ends the import as failed instead.
    pub async fn run_import(&self, org: &OrgId, id: &str) -> Result<(), String> {
        let Some(import) = self.contacts.import(org, id).await.map_err(|e| e.to_string())? else {
            return Ok(());
        };
        match self.run(import).await {
            Ok(()) => Ok(()),
            Err(Failure::Retry(e)) => Err(e),
            Err(Failure::File(code)) => {
                let now = millis_precision(OffsetDateTime::now_utc());
                self.contacts.finish_import(id, ImportStatus::Failed, Some(code), now).await.map_err(|e| e.to_string())
            }
        }
    }
}

enum Failure {
    /// The store or the disk failed: the job is retried and resumes from the last batch.
    Retry(String),
    /// The file itself cannot be read any further: the import fails with this code.
    File(&'static str),
}

fn retry(e: impl std::fmt::Display) -> Failure {
    Failure::Retry(e.to_string())
}

/// The file's records, header skipped, decoded to UTF-8 bytes where needed.
fn open(path: &std::path::Path, import: &ImportRecord) -> Result<csv::Reader<Box<dyn Read + Send>>, Failure> {
    let encoding = Encoding::from_key(&import.encoding).ok_or(Failure::File("error-import-binary"))?;
    let mut file = BufReader::with_capacity(
        256 * 1024,
        std::fs::File::open(path).map_err(|_| Failure::File("error-import-gone"))?,
    );
    let mut head = [0u8; 3];
    let n = file.read(&mut head).map_err(retry)?;
    let skip = encoding.bom_len(&head[..n]);
    let rest: Box<dyn Read + Send> = Box::new(std::io::Cursor::new(head[skip..n].to_vec()).chain(file));
    let source: Box<dyn Read + Send> = Box::new(Utf8Reader::new(rest, encoding));
    let delimiter = import.delimiter.bytes().next().unwrap_or(b',');
    Ok(csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(true)
        .buffer_capacity(256 * 1024)
        .from_reader(source))
}

/// A phone or e-mail's key in the in-file duplicate set: a 64-bit hash (8 bytes, where the text
/// would take a heap string), so a million rows cost some 30 MB at most.
fn key(text: &str) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut h);
    h.finish()
}

/// A row read from the file: its number, the contact it describes (or why none), its cells.
type Row = (u64, Result<Candidate, &'static str>, Vec<String>);

/// What the reading thread hands over.
enum Reading {
    /// Records in the file, header not counted.
    Total(u64),
    /// The next rows, and how many records have been read once they are written.
    Batch { rows: Vec<Row>, read: u64 },
}

/// Reads the file on a blocking thread: counts it, skips what an earlier run wrote (remembering
/// its phones and e-mails for the in-file duplicate check), then sends the rest in batches. Stops
/// when the receiver is gone.
fn read_file(path: &std::path::Path, import: &ImportRecord, tx: &tokio::sync::mpsc::Sender<Result<Reading, Failure>>) {
    if let Err(failure) = read_into(path, import, tx) {
        let _ = tx.blocking_send(Err(failure));
    }
}

fn read_into(
    path: &std::path::Path,
    import: &ImportRecord,
    tx: &tokio::sync::mpsc::Sender<Result<Reading, Failure>>,
) -> Result<(), Failure> {
    let unreadable = |_| Failure::File("error-import-unreadable");
    let mut record = csv::ByteRecord::new();
    let mut total = 0u64;
    let mut reader = open(path, import)?;
    while reader.read_byte_record(&mut record).map_err(unreadable)? {
        total += 1;
    }
    if tx.blocking_send(Ok(Reading::Total(total))).is_err() {
        return Ok(());
    }
    let mut reader = open(path, import)?;
    let encoding = Encoding::from_key(&import.encoding).unwrap_or(Encoding::Utf8);
    let candidate = |record: &csv::ByteRecord| match rows::cells(record, encoding) {
        Ok(cells) => (rows::candidate(&cells, &import.mapping, &import.tags, &import.default_country), cells),
        Err(code) => (Err(code), record.iter().map(|c| String::from_utf8_lossy(c).into_owned()).collect()),
    };
    let mut seen: HashSet<u64> = HashSet::new();
    let mut row = 1u64; // the header
    while row - 1 < import.counts.rows_done && reader.read_byte_record(&mut record).map_err(unreadable)? {
        row += 1;
        if let (Ok(c), _) = candidate(&record) {
            duplicate_in_file(&mut seen, &c);
        }
    }
    loop {
        let mut batch: Vec<Row> = Vec::with_capacity(BATCH);
        while batch.len() < BATCH && reader.read_byte_record(&mut record).map_err(unreadable)? {
            row += 1;
            let (mut result, cells) = candidate(&record);
            // A row of empty cells (spreadsheets leave them at the end) is no contact at all.
            if cells.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            if result.as_ref().is_ok_and(|c| duplicate_in_file(&mut seen, c)) {
                result = Err("error-import-duplicate-row");
            }
            batch.push((row, result, cells));
        }
        let last = batch.len() < BATCH;
        if batch.is_empty() && last {
            // Trailing blank rows still count as read.
            let _ = tx.blocking_send(Ok(Reading::Batch { rows: batch, read: row - 1 }));
            return Ok(());
        }
        if tx.blocking_send(Ok(Reading::Batch { rows: batch, read: row - 1 })).is_err() || last {
            return Ok(());
        }
    }
}

/// What a row did.
enum Outcome {
    Create(Box<ContactRecord>),
    Update(Box<ContactRecord>),
    Unchanged,
    Reject(&'static str),
}

impl ImportService {
    async fn run(&self, import: ImportRecord) -> Result<(), Failure> {
        use ImportStatus::*;
        if matches!(import.status, Done | Cancelled | Failed) {
            return Ok(());
        }
        if import.status == Cancelling {
            return self.end(&import, Cancelled, import.counts).await;
        }
        // Queued, or Running after a crash: either way, from where the progress says.
        if !self.contacts.move_import(&import.id, &[Queued, Running], Running).await.map_err(retry)? {
            return Ok(());
        }
        // Reading and checking rows is CPU work: it runs on a blocking thread and hands batches
        // over, so this task keeps answering (and the job's heartbeat keeps its lease).
        let (tx, mut rx) = tokio::sync::mpsc::channel::<Result<Reading, Failure>>(2);
        let reader = {
            let (path, import) = (self.path(&import.stored_as), import.clone());
            tokio::task::spawn_blocking(move || read_file(&path, &import, &tx))
        };
        let mut counts = import.counts;
        let mut total = 0;
        while let Some(message) = rx.recv().await {
            match message? {
                Reading::Total(n) => total = n,
                Reading::Batch { rows, read } => {
                    self.write_batch(&import, rows, &mut counts, (read, total)).await?;
                    crate::memory::give_back();
                    let now = self.contacts.import(&import.org_id, &import.id).await.map_err(retry)?;
                    if now.map(|i| i.status) == Some(Cancelling) {
                        drop(rx);
                        let _ = reader.await;
                        return self.end(&import, Cancelled, counts).await;
                    }
                }
            }
        }
        reader.await.map_err(retry)?;
        self.end(&import, Done, counts).await
    }

    async fn write_batch(
        &self,
        import: &ImportRecord,
        batch: Vec<Row>,
        counts: &mut ImportCounts,
        (read, total): (u64, u64),
    ) -> Result<(), Failure> {
        let phones: Vec<String> = batch
            .iter()
            .filter_map(|(_, c, _)| c.as_ref().ok()?.fields.phone.as_ref().map(|p| p.e164.clone()))
            .collect();
        let emails: Vec<String> = batch.iter().filter_map(|(_, c, _)| c.as_ref().ok()?.fields.email.clone()).collect();
        let started = std::time::Instant::now();
        let existing = self.contacts.contacts_matching(&import.org_id, &phones, &emails).await.map_err(retry)?;
        let matched = started.elapsed();
        let by_phone: HashMap<&str, &ContactRecord> =
            existing.iter().filter_map(|c| Some((c.phone.as_deref()?, c))).collect();
        let by_email: HashMap<&str, &ContactRecord> =
            existing.iter().filter_map(|c| Some((c.email.as_deref()?, c))).collect();
        let now = millis_precision(OffsetDateTime::now_utc());
        let (mut inserts, mut updates, mut rejects) = (vec![], vec![], vec![]);
        for (row, candidate, cells) in batch {
            let outcome = match candidate {
                Err(code) => Outcome::Reject(code),
                Ok(c) => {
                    let matched = c
                        .fields
                        .phone
                        .as_ref()
                        .and_then(|p| by_phone.get(p.e164.as_str()))
                        .or_else(|| c.fields.email.as_deref().and_then(|e| by_email.get(e)));
                    decide(import, c, matched.copied(), now)
                }
            };
            match outcome {
                Outcome::Create(c) => {
                    counts.created += 1;
                    inserts.push(*c);
                }
                Outcome::Update(c) => {
                    counts.updated += 1;
                    updates.push(*c);
                }
                Outcome::Unchanged => counts.unchanged += 1,
                Outcome::Reject(reason) => {
                    counts.rejected += 1;
                    let cells = rows::kept(cells);
                    rejects.push(RejectRecord { import_id: import.id.clone(), row, reason: reason.into(), cells });
                }
            }
        }
        // Every record read, blank ones included: a restart skips exactly this many.
        counts.rows_done = read;
        let batch = ImportBatch {
            import_id: &import.id,
            total_rows: total,
            counts: *counts,
            inserts: &inserts,
            updates: &updates,
            rejects: &rejects,
        };
        let started = std::time::Instant::now();
        self.contacts.write_import_batch(&batch).await.map_err(retry)?;
        tracing::debug!(import = %import.id, rows = read, match_ms = matched.as_millis() as u64,
            write_ms = started.elapsed().as_millis() as u64, "import batch written");
        Ok(())
    }

    /// Ends the import, removes its file, and tells whoever started it.
    async fn end(&self, import: &ImportRecord, status: ImportStatus, counts: ImportCounts) -> Result<(), Failure> {
        let now = millis_precision(OffsetDateTime::now_utc());
        self.contacts.finish_import(&import.id, status, None, now).await.map_err(retry)?;
        let _ = tokio::fs::remove_file(self.path(&import.stored_as)).await;
        tracing::info!(import = %import.id, status = status.key(), rows = counts.rows_done, created = counts.created,
            updated = counts.updated, rejected = counts.rejected, "contacts import ended");
        let Some(user) = self.accounts.user(&import.user_id).await.map_err(retry)? else { return Ok(()) };
        let lang = app::i18n::Lang::from_code(&user.lang).unwrap_or(app::i18n::Lang::En);
        let status_text = app::i18n::translate(lang, &format!("import-status-{}", status.key()), None);
        let vars = BTreeMap::from([
            ("name".to_owned(), user.first_name.clone()),
            ("file".to_owned(), import.file_name.clone()),
            ("status".to_owned(), status_text.to_lowercase()),
            ("created".to_owned(), counts.created.to_string()),
            ("updated".to_owned(), counts.updated.to_string()),
            ("unchanged".to_owned(), counts.unchanged.to_string()),
            ("rejected".to_owned(), counts.rejected.to_string()),
            ("link".to_owned(), format!("{}/app/contacts/import/{}", self.public_url, import.id)),
        ]);
        let mail = EmailJob { to: user.email, template: Template::ImportDone, lang, vars, sealed: None };
        let payload = serde_json::to_value(&mail).map_err(retry)?;
        crate::jobs::enqueue(&*self.jobs, SEND_EMAIL, payload, Some(format!("import-done:{}", import.id)))
            .await
            .map_err(retry)?;
        Ok(())
    }
}

/// Whether an earlier row of the file had this phone (or, without a phone, this e-mail); remembers
/// this row's phone and e-mail otherwise.
fn duplicate_in_file(seen: &mut HashSet<u64>, c: &Candidate) -> bool {
    let (phone, email) = (c.fields.phone.as_ref().map(|p| key(&p.e164)), c.fields.email.as_deref().map(key));
    let Some(identity) = phone.or(email) else { return false };
    if seen.contains(&identity) {
        return true;
    }
    seen.extend(phone.into_iter().chain(email));
    false
}

/// Create, update or leave alone, by the import's mode. An update only fills in and adds: cells
/// left empty keep what the contact had, tags and attributes are added, an opt-out is never
/// cleared by a file.
fn decide(import: &ImportRecord, c: Candidate, existing: Option<&ContactRecord>, now: OffsetDateTime) -> Outcome {
    let Candidate { fields, opted_out, named } = c;
    match (existing, import.mode) {
        (None, ImportMode::UpdateOnly) => Outcome::Reject("error-import-no-match"),
        (None, _) => {
            let mut record = new_record(&import.org_id, now);
            fields.apply(&mut record);
            if opted_out {
                record.opt_out_at = Some(now);
                record.opt_out_source = Some(OptOutSource::Import.key().into());
            }
            Outcome::Create(Box::new(record))
        }
        (Some(_), ImportMode::CreateOnly) => Outcome::Unchanged,
        (Some(old), _) => {
            let mut merged = old.clone();
            if named {
                merged.display_name = fields.display_name;
            }
            for (from, to) in [(fields.first_name, &mut merged.first_name), (fields.last_name, &mut merged.last_name)] {
                if !from.is_empty() {
                    *to = from;
                }
            }
            if merged.phone.is_none()
                && let Some(p) = fields.phone
            {
                merged.wa_id = Some(p.wa_id().to_owned());
                merged.phone = Some(p.e164);
            }
            if fields.email.is_some() {
                merged.email = fields.email;
            }
            merged.tags.extend(fields.tags);
            merged.tags.sort();
            merged.tags.dedup();
            merged.attributes.extend(fields.attributes);
            if opted_out && merged.opt_out_at.is_none() {
                merged.opt_out_at = Some(now);
                merged.opt_out_source = Some(OptOutSource::Import.key().into());
            }
            merged.deleted_at = None;
            if merged == *old {
                return Outcome::Unchanged;
            }
            merged.updated_at = now;
            Outcome::Update(Box::new(merged))
        }
    }
}
