//! Transactional e-mail: rendered from translated templates, sent by a background job (so a slow
//! or failing SMTP server never slows a request, and failures are retried). Without SMTP
//! configured, local runs write each message to `<data dir>/outbox/` instead.

mod templates;

pub use templates::{Rendered, Template, render};

use crate::crypto::Keyring;
use crate::jobs::{JobError, JobHandler};
use crate::storage::jobs::Job;
use anyhow::Context;
use app::i18n::Lang;
use async_trait::async_trait;
use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::PathBuf;

pub const SEND_EMAIL: &str = "email.send";

/// The job payload of one e-mail.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EmailJob {
    pub to: String,
    pub template: Template,
    pub lang: Lang,
    #[serde(default)]
    pub vars: BTreeMap<String, String>,
    /// Variables that carry a secret (reset, confirmation and invitation links), sealed with the
    /// keyring: the job queue keeps payloads for a week (dead ones for ever), so it never holds a
    /// usable token. Opened only when the e-mail is rendered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sealed: Option<String>,
}

/// The associated data that binds sealed e-mail variables to this job kind.
const SEALED_CONTEXT: &str = "job:email.send";

impl EmailJob {
    /// An e-mail whose `secret` variables are sealed with `keyring`.
    pub fn with_secrets(mut self, keyring: &Keyring, secret: &[(&str, String)]) -> Self {
        if !secret.is_empty() {
            let vars: BTreeMap<&str, &str> = secret.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let json = serde_json::to_string(&vars).expect("strings serialise");
            self.sealed = Some(keyring.seal(SEALED_CONTEXT, &SecretString::from(json)));
        }
        self
    }

    /// Every variable, the sealed ones opened.
    fn all_vars(&self, keyring: &Keyring) -> Result<BTreeMap<String, String>, JobError> {
        let mut vars = self.vars.clone();
        if let Some(sealed) = &self.sealed {
            let json = keyring.open(SEALED_CONTEXT, sealed).map_err(JobError::permanent)?;
            let secret: BTreeMap<String, String> =
                serde_json::from_str(json.expose_secret()).map_err(JobError::permanent)?;
            vars.extend(secret);
        }
        Ok(vars)
    }
}

enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Outbox(PathBuf),
}

pub struct Mailer {
    transport: Transport,
    from: Mailbox,
}

impl Mailer {
    /// SMTP when a URL is configured (`smtps://` implicit TLS, `smtp://…?tls=required` STARTTLS,
    /// plain `smtp://` only for local test servers); the outbox folder otherwise.
    pub fn new(smtp_url: Option<&SecretString>, from: &str, data_dir: &std::path::Path) -> anyhow::Result<Self> {
        let transport = match smtp_url {
            Some(url) => Transport::Smtp(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url.expose_secret())
                    .context("ADRONX_SMTP_URL is not a valid SMTP URL")?
                    .timeout(Some(std::time::Duration::from_secs(20)))
                    .build(),
            ),
            None => Transport::Outbox(data_dir.join("outbox")),
        };
        Ok(Self { transport, from: from.parse().context("ADRONX_SMTP_FROM is not a mailbox")? })
    }

    pub async fn send(&self, to: &str, email: &Rendered) -> Result<(), JobError> {
        let to: Mailbox = to.parse().map_err(|_| JobError::permanent("invalid recipient address"))?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(&email.subject)
            .multipart(MultiPart::alternative_plain_html(email.text.clone(), email.html.clone()))
            .map_err(JobError::permanent)?;
        match &self.transport {
            Transport::Smtp(smtp) => smtp.send(message).await.map(|_| ()).map_err(|e| {
                // 5xx answers are final; connection problems and 4xx are worth another try.
                if e.is_permanent() { JobError::permanent(e) } else { JobError::retry(e) }
            }),
            Transport::Outbox(dir) => {
                tokio::fs::create_dir_all(dir).await.map_err(JobError::retry)?;
                let path = dir.join(format!(
                    "{}-{}.eml",
                    time::OffsetDateTime::now_utc().unix_timestamp(),
                    uuid::Uuid::new_v4()
                ));
                tokio::fs::write(&path, message.formatted()).await.map_err(JobError::retry)?;
                tracing::info!(path = %path.display(), "no SMTP configured: e-mail written to the outbox");
                Ok(())
            }
        }
    }
}

/// Renders and sends an [`EmailJob`].
pub struct SendEmail(pub std::sync::Arc<Mailer>, pub std::sync::Arc<Keyring>);

#[async_trait]
impl JobHandler for SendEmail {
    async fn run(&self, job: &Job) -> Result<(), JobError> {
        let email: EmailJob = serde_json::from_value(job.payload.clone()).map_err(JobError::permanent)?;
        let rendered = render(email.template, email.lang, &email.all_vars(&self.1)?);
        self.0.send(&email.to, &rendered).await
    }
}
