//! Sending our messages: one job per message (enqueued under the message's id, so a repeated
//! submit queues nothing twice). The message stays pending until Meta answers with its wamid;
//! a refusal is kept on the message and never retried when retrying cannot help; a token Meta
//! rejects (190) turns the connection to needs re-authorisation.

use super::connect::Clients;
use crate::crypto::Keyring;
use crate::integrations::graph::GraphError;
use crate::jobs::{JobError, JobHandler};
use crate::storage::Stores;
use crate::storage::jobs::Job;
use crate::storage::whatsapp::ConnectionStatus;
use app::ids::OrgId;
use app::inbox::model::{MessageContent, MessageError, MessageStatus};
use async_trait::async_trait;
use serde_json::json;
use std::sync::Arc;
use time::OffsetDateTime;

pub const SEND_JOB: &str = "whatsapp.send";

pub struct SendMessage {
    pub stores: Stores,
    pub pacer: super::pace::Pacer,
    pub keyring: Arc<Keyring>,
    pub clients: Clients,
}

/// Meta's temporary refusals: throughput (130429), pair rate (131056), and the API's own
/// "try again" codes. Anything else is final.
fn worth_retrying(e: &GraphError) -> bool {
    match e {
        GraphError::Api { status, code, .. } => *status >= 500 || matches!(code, 1 | 2 | 4 | 80007 | 130429 | 131056),
        GraphError::Transport(_) => true,
    }
}

fn refusal(e: &GraphError) -> MessageError {
    match e {
        GraphError::Api { code, message, .. } => MessageError { code: *code, title: message.clone(), details: None },
        GraphError::Transport(e) => {
            MessageError { code: 0, title: "error-whatsapp-unreachable".into(), details: Some(e.to_string()) }
        }
    }
}

impl SendMessage {
    async fn fail(&self, org: &OrgId, id: &str, error: MessageError) -> Result<(), JobError> {
        tracing::info!(message = id, code = error.code, "message not sent");
        self.stores.inbox.fail_unsent(org, id, &error, OffsetDateTime::now_utc()).await.map_err(JobError::retry)?;
        self.stores.inbox.touch_inbox(org).await.map_err(JobError::retry)
    }
}

#[async_trait]
impl JobHandler for SendMessage {
    async fn run(&self, job: &Job) -> Result<(), JobError> {
        let (org, message) = super::job_message(&self.stores, job).await?;
        let id = message.id.clone();
        let inbox = &self.stores.inbox;
        if message.wamid.is_some() || message.status != MessageStatus::Pending {
            return Ok(()); // sent (or failed) by an earlier run
        }
        // Our own reasons are translation keys (shown in each reader's language).
        let not_sent = |code, title: &str| MessageError { code, title: title.into(), details: None };
        let Some(connection) = self.stores.whatsapp.connection(&org).await.map_err(JobError::retry)? else {
            return self.fail(&org, &id, not_sent(0, "error-whatsapp-not-connected")).await;
        };
        if connection.status == ConnectionStatus::Reauthorise {
            return self.fail(&org, &id, not_sent(190, "error-whatsapp-reauthorise")).await;
        }
        let Some(client) = self.clients.of(connection.kind) else {
            return self.fail(&org, &id, not_sent(0, "error-whatsapp-sandbox-unavailable")).await;
        };
        let conversation = inbox.conversation(&org, &message.conversation_id).await.map_err(JobError::retry)?;
        let contact = match conversation {
            Some(c) => self.stores.contacts.contact(&org, &c.contact_id).await.map_err(JobError::retry)?,
            None => None,
        };
        let Some(to) = contact.and_then(|c| c.wa_id.or_else(|| c.phone.map(|p| p.trim_start_matches('+').to_owned())))
        else {
            return self.fail(&org, &id, not_sent(0, "error-whatsapp-no-number")).await;
        };
        let body = match &message.content {
            MessageContent::Text { body } => json!({ "type": "text", "text": { "preview_url": false, "body": body } }),
            MessageContent::Template { name, language, params, .. } => {
                super::templates::message(name, language, params)
            }
            _ => return self.fail(&org, &id, not_sent(0, "error-whatsapp-unsendable")).await,
        };
        let token = self.keyring.decrypt(&org, &connection.token).map_err(JobError::permanent)?;
        self.pacer.wait(&connection.phone_number_id).await;
        match client.send(&connection.phone_number_id, &to, body, &token).await {
            Ok(wamid) => {
                inbox.set_wamid(&org, &id, &wamid, OffsetDateTime::now_utc()).await.map_err(JobError::retry)?;
                inbox.touch_inbox(&org).await.map_err(JobError::retry)?;
                tracing::info!(message = %id, %wamid, "message sent");
                Ok(())
            }
            Err(e) if e.needs_reauthorisation() => {
                let now = OffsetDateTime::now_utc();
                self.stores
                    .whatsapp
                    .set_connection_status(&org, ConnectionStatus::Reauthorise, Some("190"), now)
                    .await
                    .map_err(JobError::retry)?;
                tracing::warn!(org = %org, "Meta rejected the token: the connection needs re-authorisation");
                self.fail(&org, &id, refusal(&e)).await
            }
            Err(e) if worth_retrying(&e) && job.attempts < job.max_attempts => Err(JobError::retry(e)),
            Err(e) => self.fail(&org, &id, refusal(&e)).await,
        }
    }
}
