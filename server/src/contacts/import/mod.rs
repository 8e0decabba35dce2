//! CSV import: upload (streamed to disk) → detection and preview → mapping → a background job that
//! reads the file in batches, writes each batch with its progress, and can be cancelled; a report
//! of rejected rows, and an e-mail to whoever started it when it ends.

pub mod detect;
pub mod mapping;
pub mod rows;
mod run;

pub use run::ImportJob;

use crate::contacts::service::{ContactService, admin};
use crate::storage::accounts::AccountStore;
use crate::storage::contacts::{ContactStore, ImportPlan, ImportRecord};
use crate::storage::jobs::JobStore;
use crate::storage::{millis_precision, to_millis};
use app::accounts::model::Caller;
use app::contacts::import::{ColumnTarget, ImportCounts, ImportMode, ImportStatus, ImportView};
use app::contacts::port::ContactsError;
use detect::{Encoding, FileProblem};
use std::path::PathBuf;
use std::sync::Arc;
use time::OffsetDateTime;
use tokio::io::AsyncWriteExt;

/// Job kind of an import run.
pub const IMPORT_JOB: &str = "contacts.import";
/// The largest file accepted.
pub const MAX_FILE: u64 = 50 * 1024 * 1024;
const PREVIEW_ROWS: usize = 5;

pub struct ImportService {
    pub(crate) contacts: Arc<dyn ContactStore>,
    pub(crate) jobs: Arc<dyn JobStore>,
    pub(crate) accounts: Arc<dyn AccountStore>,
    pub(crate) service: Arc<ContactService>,
    /// Uploaded files wait here (`<data dir>/imports/`) until their import ends.
    pub(crate) dir: PathBuf,
    pub(crate) public_url: String,
}

fn internal(e: impl std::fmt::Display) -> ContactsError {
    ContactsError::internal(e)
}

pub fn view(i: ImportRecord) -> ImportView {
    ImportView {
        id: i.id,
        file_name: i.file_name,
        size: i.size,
        encoding: i.encoding,
        delimiter: i.delimiter,
        headers: i.headers,
        preview: i.preview,
        mapping: i.mapping,
        mode: i.mode,
        tags: i.tags,
        default_country: i.default_country,
        status: i.status,
        total_rows: i.total_rows,
        counts: i.counts,
        error: i.error,
        created_at: to_millis(i.created_at),
        finished_at: i.finished_at.map(to_millis),
    }
}

/// A file name fit to show: its last path part, printable, at most 200 characters.
fn display_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let clean: String = app::text::clean_line(base).chars().take(200).collect();
    if clean.is_empty() { "contacts.csv".into() } else { clean }
}

impl ImportService {
    pub fn new(
        stores: &crate::storage::Stores,
        service: Arc<ContactService>,
        data_dir: &std::path::Path,
        public_url: String,
    ) -> Self {
        Self {
            contacts: stores.contacts.clone(),
            jobs: stores.jobs.clone(),
            accounts: stores.accounts.clone(),
            service,
            dir: data_dir.join("imports"),
            public_url,
        }
    }

    pub(crate) fn path(&self, stored_as: &str) -> PathBuf {
        self.dir.join(stored_as)
    }

    /// Streams an uploaded file to disk (never whole in memory), refuses what cannot be a CSV
    /// file, and records the import with its detected encoding, delimiter, preview and suggested
    /// mapping.
    pub async fn upload<S, E>(
        &self,
        caller: &Caller,
        file_name: &str,
        mut body: S,
        browser_region: Option<String>,
    ) -> Result<ImportView, ContactsError>
    where
        S: futures_util::Stream<Item = Result<axum::body::Bytes, E>> + Unpin,
        E: std::fmt::Display,
    {
        use futures_util::StreamExt;
        admin(caller)?;
        let id = uuid::Uuid::new_v4().to_string();
        let stored_as = format!("{}-{id}.csv", caller.org_id);
        let path = self.path(&stored_as);
        tokio::fs::create_dir_all(&self.dir).await.map_err(internal)?;
        let mut file = tokio::fs::File::create(&path).await.map_err(internal)?;
        let mut size = 0u64;
        let mut sample = Vec::with_capacity(detect::SAMPLE);
        let written = async {
            while let Some(chunk) = body.next().await {
                let chunk = chunk.map_err(|e| {
                    ContactsError::Invalid(if e.to_string().contains("limit") {
                        "error-import-too-large"
                    } else {
                        "error-bad-request"
                    })
                })?;
                size += chunk.len() as u64;
                if size > MAX_FILE {
                    return Err(ContactsError::TooLarge);
                }
                let room = detect::SAMPLE.saturating_sub(sample.len());
                sample.extend_from_slice(&chunk[..room.min(chunk.len())]);
                file.write_all(&chunk).await.map_err(internal)?;
            }
            file.flush().await.map_err(internal)
        }
        .await;
        let inspected = written.and_then(|()| inspect(&sample, size));
        let (encoding, delimiter, headers, preview) = match inspected {
            Ok(found) => found,
            Err(e) => {
                let _ = tokio::fs::remove_file(&path).await;
                return Err(e);
            }
        };
        let country = self.service.country(&caller.org_id, browser_region).await?;
        let record = ImportRecord {
            id,
            org_id: caller.org_id.clone(),
            user_id: caller.user_id.clone(),
            file_name: display_name(file_name),
            stored_as,
            size,
            encoding: encoding.key().into(),
            delimiter: (delimiter as char).to_string(),
            mapping: mapping::suggest(&headers),
            headers,
            preview,
            mode: ImportMode::default(),
            tags: vec![],
            default_country: country,
            status: ImportStatus::Uploaded,
            total_rows: None,
            counts: ImportCounts::default(),
            error: None,
            created_at: millis_precision(OffsetDateTime::now_utc()),
            finished_at: None,
        };
        self.contacts.insert_import(&record).await.map_err(internal)?;
        tracing::info!(import = %record.id, size, encoding = encoding.key(), "contacts file uploaded");
        Ok(view(record))
    }

    async fn owned(&self, caller: &Caller, id: &str) -> Result<ImportRecord, ContactsError> {
        self.contacts.import(&caller.org_id, id).await.map_err(internal)?.ok_or(ContactsError::NotFound)
    }

    pub async fn status(&self, caller: &Caller, id: &str) -> Result<ImportView, ContactsError> {
        admin(caller)?;
        Ok(view(self.owned(caller, id).await?))
    }

    pub async fn history(&self, caller: &Caller) -> Result<Vec<ImportView>, ContactsError> {
        admin(caller)?;
        let found = self.contacts.imports(&caller.org_id, 50).await.map_err(internal)?;
        Ok(found.into_iter().map(view).collect())
    }

    /// Confirms the mapping and options and queues the run.
    pub async fn start(&self, caller: &Caller, id: &str, plan: ImportPlan) -> Result<ImportView, ContactsError> {
        admin(caller)?;
        let import = self.owned(caller, id).await?;
        mapping::check(&plan.mapping, import.headers.len()).map_err(ContactsError::Invalid)?;
        let country = plan.default_country.trim().to_ascii_uppercase();
        if phonenumber::metadata::DATABASE.by_id(country.as_str()).is_none() {
            return Err(ContactsError::Invalid("error-country"));
        }
        let plan = ImportPlan { default_country: country, ..plan };
        if !self.contacts.plan_import(&caller.org_id, id, &plan).await.map_err(internal)? {
            return Err(ContactsError::Invalid("error-import-started"));
        }
        let payload = serde_json::json!({ "import_id": id, "org_id": caller.org_id });
        crate::jobs::enqueue(&*self.jobs, IMPORT_JOB, payload, Some(format!("import:{id}"))).await.map_err(internal)?;
        Ok(view(self.owned(caller, id).await?))
    }

    /// Stops an import: at once if it has not started, else at the end of the batch in hand
    /// (what was written stays).
    pub async fn cancel(&self, caller: &Caller, id: &str) -> Result<ImportView, ContactsError> {
        admin(caller)?;
        let import = self.owned(caller, id).await?;
        let now = millis_precision(OffsetDateTime::now_utc());
        use ImportStatus::*;
        if self.contacts.move_import(id, &[Uploaded, Queued], Cancelled).await.map_err(internal)? {
            self.contacts.finish_import(id, Cancelled, None, now).await.map_err(internal)?;
            let _ = tokio::fs::remove_file(self.path(&import.stored_as)).await;
        } else {
            self.contacts.move_import(id, &[Running], Cancelling).await.map_err(internal)?;
        }
        Ok(view(self.owned(caller, id).await?))
    }

    /// The rejected rows as a CSV file: the original columns, then the row number and the reason
    /// in `lang`. Cells that a spreadsheet would run as a formula are neutralised.
    pub async fn rejected_csv(
        &self,
        caller: &Caller,
        id: &str,
        lang: app::i18n::Lang,
    ) -> Result<(String, Vec<u8>), ContactsError> {
        admin(caller)?;
        let import = self.owned(caller, id).await?;
        let rejects = self.contacts.import_rejects(&caller.org_id, id).await.map_err(internal)?;
        let mut out = csv::Writer::from_writer(Vec::new());
        let mut header: Vec<String> = import.headers.clone();
        header.push(app::i18n::translate(lang, "import-report-row", None));
        header.push(app::i18n::translate(lang, "import-report-reason", None));
        out.write_record(header.iter().map(|h| super::export::neutralise(h).into_owned())).map_err(internal)?;
        for r in rejects {
            let mut cells: Vec<String> = r.cells;
            cells.resize(import.headers.len(), String::new());
            cells.push(r.row.to_string());
            cells.push(app::i18n::translate(lang, &r.reason, None));
            out.write_record(cells.iter().map(|c| super::export::neutralise(c).into_owned())).map_err(internal)?;
        }
        let name = format!("rejected-{}", import.file_name.trim_end_matches(".csv"));
        Ok((format!("{name}.csv"), out.into_inner().map_err(internal)?))
    }
}

/// Encoding, delimiter, header and first rows of a file from its first bytes.
type Inspected = (Encoding, u8, Vec<String>, Vec<Vec<String>>);

fn inspect(sample: &[u8], size: u64) -> Result<Inspected, ContactsError> {
    let problem = |p: FileProblem| ContactsError::Invalid(p.code());
    let encoding = detect::encoding(sample).map_err(problem)?;
    let text = detect::decode_sample(sample, encoding);
    let delimiter = detect::delimiter(&text);
    let mut reader =
        csv::ReaderBuilder::new().delimiter(delimiter).flexible(true).has_headers(false).from_reader(text.as_bytes());
    let mut records = reader.records();
    let headers: Vec<String> = match records.next() {
        Some(Ok(r)) => r.iter().map(|h| h.trim().to_owned()).collect(),
        _ => return Err(problem(FileProblem::Empty)),
    };
    if headers.iter().all(|h| h.is_empty()) {
        return Err(problem(FileProblem::Empty));
    }
    let whole = size as usize <= sample.len();
    let mut preview: Vec<Vec<String>> = records
        .filter_map(Result::ok)
        .filter(|r| r.iter().any(|c| !c.trim().is_empty()))
        .take(PREVIEW_ROWS + 1)
        .map(|r| r.iter().map(|c| c.chars().take(200).collect()).collect())
        .collect();
    // A sample that ends mid-file may end mid-row: when the sample ran out before the preview
    // was full, its last row may be cut short — never show it.
    if !whole && preview.len() <= PREVIEW_ROWS {
        preview.pop();
    }
    preview.truncate(PREVIEW_ROWS);
    if whole && preview.is_empty() {
        return Err(problem(FileProblem::NoRows));
    }
    Ok((encoding, delimiter, headers, preview))
}

/// The mapping form's value of one column (`phone`, `attr:City`, `ignore`…).
pub fn parse_target(key: &str) -> Result<ColumnTarget, ContactsError> {
    ColumnTarget::from_key(key.trim()).ok_or(ContactsError::Invalid("error-import-mapping-columns"))
}

#[async_trait::async_trait]
impl app::contacts::port::Imports for ImportService {
    async fn status(&self, caller: &Caller, id: &str) -> Result<ImportView, ContactsError> {
        ImportService::status(self, caller, id).await
    }

    async fn history(&self, caller: &Caller) -> Result<Vec<ImportView>, ContactsError> {
        ImportService::history(self, caller).await
    }

    async fn start(
        &self,
        caller: &Caller,
        id: &str,
        request: app::contacts::port::ImportRequest,
    ) -> Result<ImportView, ContactsError> {
        let mapping = request.mapping.iter().map(|k| parse_target(k)).collect::<Result<Vec<_>, _>>()?;
        let mode = ImportMode::from_key(request.mode.trim()).ok_or(ContactsError::Invalid("error-bad-request"))?;
        let tags = app::contacts::model::parse_tags(&request.tags);
        let plan = ImportPlan { mapping, mode, tags, default_country: request.country };
        ImportService::start(self, caller, id, plan).await
    }

    async fn cancel(&self, caller: &Caller, id: &str) -> Result<ImportView, ContactsError> {
        ImportService::cancel(self, caller, id).await
    }
}
