//! What connecting an ad account needs: the client of each connection kind (Meta's Marketing API,
//! or outside production the sandbox's simulated account at the sandbox's address — the same
//! client and calls), the checks of what an admin types, and the account as the pages see it.

use crate::integrations::graph::{self, GraphError};
use crate::integrations::meta_ads::MarketingClient;
use crate::storage::ads::AdAccountRecord;
use crate::storage::whatsapp::ConnectionKind;
use app::campaigns::model::{AdAccountView, SyncView};
use app::campaigns::port::AdsError;

#[derive(Clone)]
pub struct Clients {
    pub meta: MarketingClient,
    /// `None` in production: the sandbox is not served there.
    pub sandbox: Option<MarketingClient>,
}

impl Clients {
    pub fn new(meta: MarketingClient, public_url: &str, version: &str, sandbox: bool) -> Self {
        let sandbox = sandbox.then(|| MarketingClient(crate::whatsapp::connect::sandbox_graph(public_url, version)));
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
        clock_days: a.clock.clock_days,
        clock_left: a.clock.clock_left,
    }
}

/// Meta's ids are digits (an ad account's also with its `act_` prefix).
pub fn id_field(value: &str, code: &'static str) -> Result<String, AdsError> {
    graph::object_id(value).ok_or(AdsError::Invalid(code))
}

pub fn refused(e: GraphError) -> AdsError {
    match e {
        e if e.needs_reauthorisation() => AdsError::Invalid("error-ads-token-rejected"),
        GraphError::Api { code, message, .. } => AdsError::Meta(format!("{code}: {message}")),
        GraphError::Transport(e) => AdsError::Meta(format!("unreachable: {e}")),
    }
}
