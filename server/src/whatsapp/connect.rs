//! Connecting an organisation's WhatsApp number: Meta's Cloud API (credentials checked with
//! Meta, our app subscribed to the account's webhooks, the token sealed) or, outside production,
//! the built-in sandbox — through the same client and the same calls, at the sandbox's address.

use crate::crypto::Keyring;
use crate::integrations::api::ApiConfig;
use crate::integrations::graph::{self, GraphClient, GraphError};
use crate::integrations::whatsapp::WhatsAppClient;
use crate::storage::StoreError;
use crate::storage::whatsapp::{ConnectionKind, ConnectionRecord, ConnectionStatus, WhatsAppStore};
use app::accounts::model::Caller;
use app::ids::OrgId;
use app::inbox::model::ConnectionView;
use app::inbox::port::{ConnectForm, InboxError, WhatsApp};
use rand::Rng;
use secrecy::SecretString;
use std::sync::Arc;
use time::OffsetDateTime;

/// Where the sandbox answers, under the app's own address.
pub const SANDBOX_PREFIX: &str = "/sandbox/graph";

/// The Graph API client of the sandbox this binary serves (WhatsApp and ads alike).
pub fn sandbox_graph(public_url: &str, version: &str) -> GraphClient {
    GraphClient::new(ApiConfig::new(format!("{public_url}{SANDBOX_PREFIX}")), version)
}

/// Fresh sandbox credentials for an organisation: 14 random digits to build its ids from (the
/// sandbox reads one id from another), and a sandbox token.
pub fn sandbox_credentials() -> (String, SecretString) {
    let mut rng = rand::rng();
    let digits = format!("{:014}", rng.random_range(0..100_000_000_000_000u64));
    let token: String = (0..32).map(|_| char::from(rng.sample(rand::distr::Alphanumeric))).collect();
    (digits, SecretString::from(format!("{}{token}", super::sandbox::TOKEN_PREFIX)))
}

#[derive(Clone)]
pub struct Clients {
    pub meta: WhatsAppClient,
    /// `None` in production: the sandbox is not served there.
    pub sandbox: Option<WhatsAppClient>,
}

impl Clients {
    pub fn new(meta: WhatsAppClient, public_url: &str, version: &str, sandbox: bool) -> Self {
        let sandbox = sandbox.then(|| WhatsAppClient(sandbox_graph(public_url, version)));
        Self { meta, sandbox }
    }

    /// The client a connection of this kind talks to.
    pub fn of(&self, kind: ConnectionKind) -> Option<&WhatsAppClient> {
        match kind {
            ConnectionKind::Meta => Some(&self.meta),
            ConnectionKind::Sandbox => self.sandbox.as_ref(),
        }
    }
}

pub struct ConnectionService {
    store: Arc<dyn WhatsAppStore>,
    jobs: Arc<dyn crate::storage::jobs::JobStore>,
    keyring: Arc<Keyring>,
    clients: Clients,
}

pub fn view(c: &ConnectionRecord) -> ConnectionView {
    ConnectionView {
        kind: c.kind.key().into(),
        waba_id: c.waba_id.clone(),
        phone_number_id: c.phone_number_id.clone(),
        display_phone: c.display_phone.clone(),
        verified_name: c.verified_name.clone(),
        quality_rating: c.quality_rating.clone(),
        status: c.status.key().into(),
        connected_at: crate::storage::to_millis(c.connected_at),
    }
}

fn admin(caller: &Caller) -> Result<(), InboxError> {
    if caller.role.can_manage_members() { Ok(()) } else { Err(InboxError::Forbidden) }
}

/// Meta's ids are digits (see [`graph::object_id`]).
fn id_field(value: &str, code: &'static str) -> Result<String, InboxError> {
    graph::object_id(value).filter(|_| !value.trim().starts_with("act_")).ok_or(InboxError::Invalid(code))
}

fn refused(e: GraphError) -> InboxError {
    match e {
        e if e.needs_reauthorisation() => InboxError::Invalid("error-whatsapp-token-rejected"),
        GraphError::Api { code, message, .. } => InboxError::Meta(format!("{code}: {message}")),
        GraphError::Transport(e) => InboxError::Meta(format!("unreachable: {e}")),
    }
}

impl ConnectionService {
    pub fn new(stores: &crate::storage::Stores, keyring: Arc<Keyring>, clients: Clients) -> Self {
        Self { store: stores.whatsapp.clone(), jobs: stores.jobs.clone(), keyring, clients }
    }

    /// Checks the number and token with the API behind `kind`, subscribes our app, and keeps the
    /// connection with the token sealed for the organisation.
    async fn verify_and_save(
        &self,
        org: &OrgId,
        kind: ConnectionKind,
        waba_id: String,
        phone_number_id: String,
        token: SecretString,
    ) -> Result<ConnectionView, InboxError> {
        let client = self.clients.of(kind).ok_or(InboxError::Forbidden)?;
        let number = client.phone_number(&phone_number_id, &token).await.map_err(refused)?;
        if !client.subscribe_app(&waba_id, &token).await.map_err(refused)? {
            return Err(InboxError::Meta("the subscription was not confirmed".into()));
        }
        let now = OffsetDateTime::now_utc();
        let record = ConnectionRecord {
            org_id: org.clone(),
            kind,
            waba_id,
            phone_number_id,
            display_phone: number.display_phone_number,
            verified_name: number.verified_name,
            quality_rating: number.quality_rating,
            token: self.keyring.encrypt(org, &token),
            status: ConnectionStatus::Connected,
            status_detail: None,
            connected_at: now,
            updated_at: now,
        };
        match self.store.save_connection(&record).await {
            Ok(()) => tracing::info!(org = %org, kind = kind.key(), "WhatsApp number connected"),
            Err(StoreError::Duplicate) => return Err(InboxError::NumberTaken),
            Err(e) => return Err(InboxError::internal(e)),
        }
        // The templates come along; a failure here leaves the connection made (sync again later).
        if let Err(e) = super::templates::sync(self.store.as_ref(), client, org, &record.waba_id, &token).await {
            tracing::warn!(org = %org, error = %e, "templates not synced on connecting");
        }
        // And again every six hours while connected.
        super::template_sync::schedule_next(self.jobs.as_ref(), org, now).await.map_err(InboxError::internal)?;
        Ok(view(&record))
    }
}

#[async_trait::async_trait]
impl WhatsApp for ConnectionService {
    async fn connection(&self, caller: &Caller) -> Result<Option<ConnectionView>, InboxError> {
        Ok(self.store.connection(&caller.org_id).await.map_err(InboxError::internal)?.as_ref().map(view))
    }

    async fn connect(&self, caller: &Caller, form: ConnectForm) -> Result<ConnectionView, InboxError> {
        admin(caller)?;
        let waba_id = id_field(&form.waba_id, "error-whatsapp-waba-id")?;
        let phone_number_id = id_field(&form.phone_number_id, "error-whatsapp-phone-number-id")?;
        let token = graph::access_token(&form.access_token).ok_or(InboxError::Invalid("error-whatsapp-token"))?;
        self.verify_and_save(&caller.org_id, ConnectionKind::Meta, waba_id, phone_number_id, token).await
    }

    async fn connect_sandbox(&self, caller: &Caller) -> Result<ConnectionView, InboxError> {
        admin(caller)?;
        if self.clients.sandbox.is_none() {
            return Err(InboxError::Forbidden);
        }
        // Fresh ids per organisation (deliveries are routed by the number id), shaped like Meta's:
        // the sandbox reads the number from its account's id (see `sandbox::number_of`).
        let (digits, token) = sandbox_credentials();
        let (waba_id, phone_number_id) = (format!("8{digits}"), format!("9{digits}"));
        self.verify_and_save(&caller.org_id, ConnectionKind::Sandbox, waba_id, phone_number_id, token).await
    }

    async fn sync_templates(&self, caller: &Caller) -> Result<usize, InboxError> {
        let connection = self.store.connection(&caller.org_id).await.map_err(InboxError::internal)?;
        let connection = connection.ok_or(InboxError::NotConnected)?;
        let client = self.clients.of(connection.kind).ok_or(InboxError::Forbidden)?;
        let token = self.keyring.decrypt(&caller.org_id, &connection.token).map_err(InboxError::internal)?;
        match super::templates::sync(self.store.as_ref(), client, &caller.org_id, &connection.waba_id, &token).await {
            Ok(count) => Ok(count),
            Err(super::templates::SyncError::Graph(e)) if e.needs_reauthorisation() => Err(InboxError::Reauthorise),
            Err(super::templates::SyncError::Graph(e)) => Err(refused(e)),
            Err(e) => Err(InboxError::internal(e)),
        }
    }

    async fn disconnect(&self, caller: &Caller) -> Result<(), InboxError> {
        admin(caller)?;
        if self.store.remove_connection(&caller.org_id).await.map_err(InboxError::internal)? {
            tracing::info!(org = %caller.org_id, "WhatsApp number disconnected");
        }
        Ok(())
    }
}
