//! The ads service as the server functions see them (implemented in the `server` crate). Every
//! method takes the caller first and stays in the caller's organisation.

use super::model::{AdAccountView, CampaignDetail, Dashboard, MessagingAnalytics};
use crate::accounts::model::Caller;
use crate::error::AppError;
use crate::i18n::Lang;

/// What an admin types to connect a Meta ad account (not `Debug`: it holds the token).
#[derive(Clone, Default)]
pub struct AdConnectForm {
    pub account_id: String,
    pub page_id: String,
    pub access_token: String,
}

/// Which period the dashboard shows, and how.
#[derive(Clone, Debug, Default)]
pub struct DashboardQuery {
    /// `7`, `14`, `28` (default), `90`, or `custom` with `from` and `to` (`YYYY-MM-DD`).
    pub range: String,
    pub from: Option<String>,
    pub to: Option<String>,
    /// The campaign table's order: `spend` (default), `roas`, `revenue`, `name`, `status`.
    pub sort: String,
    /// The language the charts' labels are written in.
    pub lang: Lang,
}

/// The page a chart is drawn for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChartOf {
    Dashboard,
    /// A campaign's page (its id).
    Campaign(String),
    /// The messaging analytics.
    Messages,
}

#[async_trait::async_trait]
pub trait Ads: Send + Sync {
    async fn account(&self, caller: &Caller) -> Result<Option<AdAccountView>, AdsError>;
    /// Admins and owners: checks the account and token with Meta, keeps the token sealed, and
    /// starts the first sync.
    async fn connect(&self, caller: &Caller, form: AdConnectForm) -> Result<AdAccountView, AdsError>;
    /// Admins and owners, outside production: the built-in simulator's ad account.
    async fn connect_sandbox(&self, caller: &Caller) -> Result<AdAccountView, AdsError>;
    /// Admins and owners: forgets the account and everything synced from it.
    async fn disconnect(&self, caller: &Caller) -> Result<(), AdsError>;
    /// Admins and owners: a sync now (one at a time).
    async fn sync(&self, caller: &Caller) -> Result<(), AdsError>;
    /// Admins and owners, sandbox accounts only: lives `days` (1–90) days in seconds — each
    /// day's sync and budget job, then the sandbox's clock one day on. One simulation at a time;
    /// `0` stops the running one after the day it is living.
    async fn simulate(&self, caller: &Caller, days: &str) -> Result<(), AdsError>;
    async fn dashboard(&self, caller: &Caller, query: DashboardQuery) -> Result<Dashboard, AdsError>;
    async fn campaign(&self, caller: &Caller, id: &str, query: DashboardQuery) -> Result<CampaignDetail, AdsError>;
    /// The inbox over the period (days in UTC; 7, 28 or 90 ending yesterday, or custom), every member.
    async fn messaging(&self, caller: &Caller, query: DashboardQuery) -> Result<MessagingAnalytics, AdsError>;
    /// The SVG document of one of a page's charts (`id`: `<chart>-s` or `<chart>-l`), as the page
    /// over `query` lists it.
    async fn chart(&self, caller: &Caller, of: ChartOf, id: &str, query: DashboardQuery) -> Result<String, AdsError>;
}

#[derive(Debug, thiserror::Error)]
pub enum AdsError {
    #[error("invalid input: {0}")]
    Invalid(&'static str),
    #[error("not found (or another organisation's)")]
    NotFound,
    #[error("the caller's role does not allow this")]
    Forbidden,
    #[error("no ad account is connected")]
    NotConnected,
    #[error("Meta refused: {0}")]
    Meta(String),
    #[error("internal: {0}")]
    Internal(String),
}

impl AdsError {
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        Self::Internal(cause.to_string())
    }
}

impl From<AdsError> for AppError {
    fn from(e: AdsError) -> Self {
        let (code, status) = match e {
            AdsError::Invalid(code) => (code, 422),
            AdsError::NotFound => ("error-not-found", 404),
            AdsError::Forbidden => ("error-forbidden", 403),
            AdsError::NotConnected => ("error-ads-not-connected", 409),
            AdsError::Meta(detail) => {
                tracing::info!(%detail, "Meta refused an ad account");
                ("error-ads-meta-refused", 422)
            }
            AdsError::Internal(cause) => return crate::server::request::internal(cause),
        };
        AppError::with_status(code, status)
    }
}
