//! Connecting an organisation's Meta ad account: Meta's Marketing API (the account and token
//! checked with Meta, the token sealed) or, outside production, the sandbox's simulated account —
//! through the same client and the same calls, at the sandbox's address.

use crate::crypto::Keyring;
use crate::integrations::api::ApiConfig;
use crate::integrations::graph::{GraphClient, GraphError};
use crate::integrations::meta_ads::MarketingClient;
use crate::storage::ads::{AdAccountRecord, AdsStore, SyncState};
use crate::storage::jobs::JobStore;
use crate::storage::whatsapp::{ConnectionKind, ConnectionStatus};
use app::campaigns::model::{AdAccountView, SyncView};
use app::campaigns::port::AdsError;
use app::ids::OrgId;
use secrecy::SecretString;
use time::OffsetDateTime;

#[derive(Clone)]
pub struct Clients {
    pub meta: MarketingClient,
    /// `None` in production: the sandbox is not served there.
    pub sandbox: Option<MarketingClient>,
}

impl Clients {
    pub fn new(meta: MarketingClient, public_url: &str, version: &str, sandbox: bool) -> Self {
        let sandbox = sandbox.then(|| {
            let url = format!("{public_url}{}", crate::whatsapp::connect::SANDBOX_PREFIX);
            MarketingClient(GraphClient::new(ApiConfig::new(url), version))
        });
        Self { meta, sandbox }
    }

    pub fn of(&self, kind: ConnectionKind) -> Option<&MarketingClient> {
        match kind {
            ConnectionKind::Meta => Some(&self.meta),
            ConnectionKind::Sandbox => self.sandbox.as_ref(),
        }
    }
}

/// Meta's account statuses in which nothing runs and nothing can be changed: disabled (2),
/// unsettled (3), closed (100, 101).
pub fn disabled(account_status: i64) -> bool {
    matches!(account_status, 2 | 3 | 100 | 101)
}

pub fn view(a: &AdAccountRecord) -> AdAccountView {
    AdAccountView {
        kind: a.kind.key().into(),
        account_id: a.account_id.clone(),
        page_id: a.page_id.clone(),
        name: a.name.clone(),
        currency: a.currency.clone(),
        timezone: a.timezone.clone(),
        status: a.status.key().into(),
        sync: SyncView {
            state: a.sync.sync_state.clone(),
            stage: a.sync.sync_stage.clone(),
            done: a.sync.sync_done,
            total: a.sync.sync_total,
            detail: a.sync.sync_detail.clone(),
            last_sync_at: a.sync.last_sync_at.map(crate::storage::to_millis),
        },
    }
}

/// Meta's ids are digits (an ad account's also with its `act_` prefix).
pub fn id_field(value: &str, code: &'static str) -> Result<String, AdsError> {
    let value = value.trim();
    let value = value.strip_prefix("act_").unwrap_or(value);
    if value.is_empty() || value.len() > 32 || !value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(AdsError::Invalid(code));
    }
    Ok(value.to_owned())
}

fn refused(e: GraphError) -> AdsError {
    match e {
        e if e.needs_reauthorisation() => AdsError::Invalid("error-ads-token-rejected"),
        GraphError::Api { code, message, .. } => AdsError::Meta(format!("{code}: {message}")),
        GraphError::Transport(e) => AdsError::Meta(format!("unreachable: {e}")),
    }
}

/// Checks the account with the API behind `kind`, keeps it with the token sealed, and queues its
/// first sync.
pub async fn verify_and_save(
    store: &dyn AdsStore,
    jobs: &dyn JobStore,
    keyring: &Keyring,
    client: &MarketingClient,
    org: &OrgId,
    kind: ConnectionKind,
    (account_id, page_id): (String, String),
    token: SecretString,
) -> Result<AdAccountView, AdsError> {
    let account = client.ad_account(&account_id, &token).await.map_err(refused)?;
    if disabled(account.account_status) {
        return Err(AdsError::Invalid("error-ads-account-disabled"));
    }
    let now = OffsetDateTime::now_utc();
    let record = AdAccountRecord {
        org_id: org.clone(),
        kind,
        account_id,
        page_id,
        name: account.name,
        currency: account.currency,
        timezone: account.timezone_name,
        account_status: account.account_status,
        token: keyring.encrypt(org, &token),
        status: ConnectionStatus::Connected,
        status_detail: None,
        connected_at: now,
        updated_at: now,
        sync: SyncState { sync_state: "running".into(), sync_stage: "campaigns".into(), ..Default::default() },
    };
    store.save_ad_account(&record).await.map_err(AdsError::internal)?;
    tracing::info!(org = %org, kind = kind.key(), "ad account connected");
    super::sync::schedule(jobs, org, now, true).await.map_err(AdsError::internal)?;
    Ok(view(&record))
}
