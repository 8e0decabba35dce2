//! The ads service behind the campaigns server functions: the connection (admins and owners),
//! syncs on demand, and the dashboard, each within the caller's organisation.

use super::connect::{Clients, disabled, id_field, refused, view};
use crate::crypto::Keyring;
use crate::integrations::graph;
use crate::storage::Stores;
use crate::storage::ads::{AdAccountRecord, SyncState};
use crate::storage::whatsapp::{ConnectionKind, ConnectionStatus};
use app::accounts::model::Caller;
use app::campaigns::model::{AdAccountView, CampaignDetail, Dashboard, MessagingAnalytics};
use app::campaigns::port::{AdConnectForm, Ads, AdsError, ChartOf, DashboardQuery};
use secrecy::SecretString;
use std::sync::Arc;
use time::OffsetDateTime;

pub struct AdsService {
    stores: Stores,
    keyring: Arc<Keyring>,
    clients: Clients,
    figures: super::cache::FiguresCache,
}

fn admin(caller: &Caller) -> Result<(), AdsError> {
    if caller.role.can_manage_members() { Ok(()) } else { Err(AdsError::Forbidden) }
}

impl AdsService {
    pub fn new(stores: Stores, keyring: Arc<Keyring>, clients: Clients) -> Self {
        Self { stores, keyring, clients, figures: Default::default() }
    }

    async fn connected(&self, caller: &Caller) -> Result<AdAccountRecord, AdsError> {
        let account = self.stores.ads.ad_account(&caller.org_id).await.map_err(AdsError::internal)?;
        account.ok_or(AdsError::NotConnected)
    }

    /// Checks the account with the API behind `kind`, keeps it with the token sealed for the
    /// organisation, and queues its first sync.
    async fn save(
        &self,
        caller: &Caller,
        kind: ConnectionKind,
        ids: (String, String),
        token: SecretString,
    ) -> Result<AdAccountView, AdsError> {
        let client = self.clients.of(kind).ok_or(AdsError::Forbidden)?;
        let (org, (account_id, page_id)) = (&caller.org_id, ids);
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
            token: self.keyring.encrypt(org, &token),
            status: ConnectionStatus::Connected,
            status_detail: None,
            connected_at: now,
            updated_at: now,
            sync: SyncState { sync_state: "running".into(), sync_stage: "campaigns".into(), ..Default::default() },
            clock: Default::default(),
        };
        self.stores.ads.save_ad_account(&record).await.map_err(AdsError::internal)?;
        tracing::info!(org = %org, kind = kind.key(), "ad account connected");
        super::sync::schedule(self.stores.jobs.as_ref(), org, now, true).await.map_err(AdsError::internal)?;
        Ok(view(&record))
    }
}

#[async_trait::async_trait]
impl Ads for AdsService {
    async fn account(&self, caller: &Caller) -> Result<Option<AdAccountView>, AdsError> {
        let account = self.stores.ads.ad_account(&caller.org_id).await.map_err(AdsError::internal)?;
        Ok(account.as_ref().map(view))
    }

    async fn connect(&self, caller: &Caller, form: AdConnectForm) -> Result<AdAccountView, AdsError> {
        admin(caller)?;
        let account_id = id_field(&form.account_id, "error-ads-account-id")?;
        let page_id = id_field(&form.page_id, "error-ads-page-id")?;
        let token = graph::access_token(&form.access_token).ok_or(AdsError::Invalid("error-ads-token"))?;
        self.save(caller, ConnectionKind::Meta, (account_id, page_id), token).await
    }

    async fn connect_sandbox(&self, caller: &Caller) -> Result<AdAccountView, AdsError> {
        admin(caller)?;
        if self.clients.sandbox.is_none() {
            return Err(AdsError::Forbidden);
        }
        let (digits, token) = crate::whatsapp::connect::sandbox_credentials();
        let (account_id, page_id) = (format!("7{digits}"), format!("6{digits}"));
        self.save(caller, ConnectionKind::Sandbox, (account_id, page_id), token).await
    }

    async fn disconnect(&self, caller: &Caller) -> Result<(), AdsError> {
        admin(caller)?;
        if self.stores.ads.remove_ad_account(&caller.org_id).await.map_err(AdsError::internal)? {
            tracing::info!(org = %caller.org_id, "ad account disconnected");
        }
        Ok(())
    }

    async fn sync(&self, caller: &Caller) -> Result<(), AdsError> {
        admin(caller)?;
        let account = self.connected(caller).await?;
        if account.sync.sync_state == "running" {
            return Ok(()); // one at a time: the running one is what the caller asked for
        }
        let now = time::OffsetDateTime::now_utc();
        let mut state = account.sync.clone();
        (state.sync_state, state.sync_stage, state.sync_cursor, state.sync_done) =
            ("running".into(), "campaigns".into(), None, 0);
        self.stores.ads.set_sync(&caller.org_id, &state).await.map_err(AdsError::internal)?;
        super::sync::schedule(self.stores.jobs.as_ref(), &caller.org_id, now, true).await.map_err(AdsError::internal)
    }

    async fn simulate(&self, caller: &Caller, days: &str) -> Result<(), AdsError> {
        admin(caller)?;
        let account = self.connected(caller).await?;
        if account.kind != ConnectionKind::Sandbox {
            return Err(AdsError::Invalid("error-sandbox-only"));
        }
        let most = super::simulate::MOST_DAYS;
        let days = days.trim().parse::<i64>().ok().filter(|d| (0..=most).contains(d));
        let days = days.ok_or(AdsError::Invalid("error-simulate-days"))?;
        if days == 0 {
            // Stops a running simulation after the day it is living.
            let stopped = crate::storage::ads::Clock { clock_left: 0, ..account.clock };
            self.stores.ads.set_clock(&caller.org_id, stopped).await.map_err(AdsError::internal)?;
            return Ok(());
        }
        if account.status != ConnectionStatus::Connected {
            return Err(AdsError::Invalid("error-ads-token-rejected"));
        }
        if account.clock.clock_left > 0 {
            return Err(AdsError::Invalid("error-simulate-running"));
        }
        let clock = crate::storage::ads::Clock { clock_left: days, ..account.clock };
        self.stores.ads.set_clock(&caller.org_id, clock).await.map_err(AdsError::internal)?;
        let run = uuid::Uuid::new_v4().to_string();
        let (org, from) = (caller.org_id.to_string(), account.clock.clock_days);
        let first = super::simulate::Step { org, run, from, days, step: "live".into(), n: 0, looks: 0 };
        super::simulate::enqueue(&self.stores, &first, time::Duration::ZERO).await.map_err(AdsError::internal)?;
        tracing::info!(org = %caller.org_id, days, "sandbox ad account: simulating days");
        Ok(())
    }

    async fn dashboard(&self, caller: &Caller, query: DashboardQuery) -> Result<Dashboard, AdsError> {
        match self.stores.ads.ad_account(&caller.org_id).await.map_err(AdsError::internal)? {
            Some(account) => {
                let (ads, analytics) = (self.stores.ads.as_ref(), self.stores.analytics.as_ref());
                super::dashboard::dashboard(ads, analytics, &self.figures, &caller.org_id, &account, &query).await
            }
            None => Ok(Dashboard::default()),
        }
    }

    async fn campaign(&self, caller: &Caller, id: &str, query: DashboardQuery) -> Result<CampaignDetail, AdsError> {
        let account = self.connected(caller).await?;
        let (ads, analytics) = (self.stores.ads.as_ref(), self.stores.analytics.as_ref());
        Ok(super::dashboard::campaign(ads, analytics, &caller.org_id, &account, id, &query).await?.0)
    }

    async fn messaging(&self, caller: &Caller, query: DashboardQuery) -> Result<MessagingAnalytics, AdsError> {
        Ok(super::messaging::messaging(&self.stores, caller, &query).await?.0)
    }

    async fn chart(&self, caller: &Caller, of: ChartOf, id: &str, query: DashboardQuery) -> Result<String, AdsError> {
        let (ads, analytics) = (self.stores.ads.as_ref(), self.stores.analytics.as_ref());
        let pick = |drawn: &[super::charts::Drawn]| drawn.iter().find(|d| d.id == id).map(|d| d.svg.clone());
        let svg = match of {
            ChartOf::Messages => pick(&super::messaging::messaging(&self.stores, caller, &query).await?.1),
            ChartOf::Dashboard => {
                let account = self.connected(caller).await?;
                let (_, figures) =
                    super::dashboard::cached(ads, &self.figures, &caller.org_id, &account, &query).await?;
                pick(&figures.charts)
            }
            ChartOf::Campaign(campaign) => {
                let account = self.connected(caller).await?;
                let org = &caller.org_id;
                pick(&super::dashboard::campaign(ads, analytics, org, &account, &campaign, &query).await?.1)
            }
        };
        svg.ok_or(AdsError::NotFound)
    }
}
