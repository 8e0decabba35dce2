//! Customers' files (images, audio, video, documents, stickers): a job per message asks Meta
//! where the file is (`GET /{version}/{media-id}`), downloads it with the token, checks its size
//! and SHA-256, and keeps it in the organisation's media store, from where only its members read
//! it (`GET /api/inbox/media/{message id}`). The message shows the outcome: stored, or why not.

use super::connect::Clients;
use crate::crypto::Keyring;
use crate::integrations::graph::{DownloadError, GraphError};
use crate::integrations::whatsapp::WhatsAppClient;
use crate::jobs::{JobError, JobHandler};
use crate::storage::Stores;
use crate::storage::jobs::Job;
use crate::storage::whatsapp::MediaRecord;
use app::ids::OrgId;
use app::inbox::model::{MediaState, MessageContent};
use async_trait::async_trait;
use secrecy::SecretString;
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

pub const MEDIA_JOB: &str = "whatsapp.media";

/// Largest file kept: under MongoDB's 16 MiB document (Meta's own limits are 5 MB for images,
/// 16 MB for audio and video, 100 MB for documents — larger documents are reported, not kept).
pub const MAX_MEDIA: usize = 15 * 1024 * 1024;

/// Queues the fetch of a customer's file (once per message).
pub async fn queue(stores: &Stores, org: &OrgId, message_id: &str) -> crate::storage::StoreResult<()> {
    let payload = serde_json::json!({ "org": org.as_str(), "message": message_id });
    crate::jobs::enqueue(stores.jobs.as_ref(), MEDIA_JOB, payload, Some(format!("media:{message_id}"))).await?;
    Ok(())
}

/// A fetched file.
pub struct Fetched {
    pub bytes: Vec<u8>,
    pub mime_type: String,
    pub sha256: String,
}

#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error(transparent)]
    Download(#[from] DownloadError),
    #[error("the file's SHA-256 is not the one Meta reported")]
    Corrupt,
}

impl From<GraphError> for FetchError {
    fn from(e: GraphError) -> Self {
        FetchError::Download(DownloadError::Graph(e))
    }
}

/// Asks where the file is and downloads it, at most `max` bytes.
pub async fn fetch(
    client: &WhatsAppClient,
    media_id: &str,
    token: &SecretString,
    max: usize,
) -> Result<Fetched, FetchError> {
    let info = client.media_info(media_id, token).await?;
    if info.file_size.is_some_and(|n| n > max as u64) {
        return Err(DownloadError::TooLarge(max).into());
    }
    let bytes = client.0.download(&info.url, token, max).await?;
    let sha256 = hex::encode(Sha256::digest(&bytes));
    if info.sha256.as_deref().is_some_and(|expected| !expected.eq_ignore_ascii_case(&sha256)) {
        return Err(FetchError::Corrupt);
    }
    Ok(Fetched { bytes, mime_type: info.mime_type, sha256 })
}

pub struct FetchMedia {
    pub stores: Stores,
    pub keyring: std::sync::Arc<Keyring>,
    pub clients: Clients,
}

impl FetchMedia {
    async fn settle(&self, org: &OrgId, id: &str, content: &MessageContent) -> Result<(), JobError> {
        self.stores.inbox.set_content(org, id, content).await.map_err(JobError::retry)?;
        self.stores.inbox.touch_inbox(org).await.map_err(JobError::retry)
    }
}

#[async_trait]
impl JobHandler for FetchMedia {
    async fn run(&self, job: &Job) -> Result<(), JobError> {
        let (org, message) = super::job_message(&self.stores, job).await?;
        let id = message.id.clone();
        let MessageContent::Media { media_id, filename, state: MediaState::Fetching, .. } = &message.content else {
            return Ok(()); // settled by an earlier run
        };
        let failed = |reason: &str| {
            let mut content = message.content.clone();
            if let MessageContent::Media { state, .. } = &mut content {
                *state = MediaState::Failed { reason: reason.into() };
            }
            content
        };
        let connection = self.stores.whatsapp.connection(&org).await.map_err(JobError::retry)?;
        let client = connection.as_ref().and_then(|c| self.clients.of(c.kind));
        let (Some(connection), Some(client)) = (connection.as_ref(), client) else {
            return self.settle(&org, &id, &failed("inbox-media-unavailable")).await;
        };
        let Ok(token) = self.keyring.decrypt(&org, &connection.token) else {
            tracing::warn!(message = %id, "media: the connection's token cannot be opened");
            return self.settle(&org, &id, &failed("inbox-media-unavailable")).await;
        };
        match fetch(client, media_id, &token, MAX_MEDIA).await {
            Ok(file) => {
                let bytes = file.bytes.len() as u64;
                let record = MediaRecord {
                    org_id: org.clone(),
                    message_id: id.clone(),
                    mime_type: file.mime_type,
                    filename: filename.clone(),
                    sha256: file.sha256,
                    bytes: file.bytes,
                    stored_at: OffsetDateTime::now_utc(),
                };
                self.stores.whatsapp.put_media(&record).await.map_err(JobError::retry)?;
                let mut content = message.content.clone();
                if let MessageContent::Media { state, .. } = &mut content {
                    *state = MediaState::Stored { bytes };
                }
                tracing::info!(message = %id, bytes, "media stored");
                self.settle(&org, &id, &content).await
            }
            Err(FetchError::Download(DownloadError::TooLarge(_))) => {
                self.settle(&org, &id, &failed("inbox-media-too-large")).await
            }
            Err(FetchError::Download(DownloadError::Graph(e)))
                if !e.needs_reauthorisation()
                    && e.code().is_none_or(|c| c != 100)
                    && job.attempts < job.max_attempts =>
            {
                Err(JobError::retry(e))
            }
            Err(e) => {
                tracing::info!(message = %id, error = %e, "media not kept");
                self.settle(&org, &id, &failed("inbox-media-unavailable")).await
            }
        }
    }
}

#[cfg(test)]
mod tests;
