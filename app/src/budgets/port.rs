//! The budgets service as the server functions see it (implemented in the `server` crate). Every
//! method takes the caller first and stays in the caller's organisation.

use super::model::{BudgetSettings, Explanation, History, Proposal, WhatIf};
use crate::accounts::model::Caller;
use crate::error::AppError;
use crate::i18n::Lang;
use std::collections::BTreeMap;

/// What an admin types: amounts as decimals in the account's currency, the rest whole numbers.
#[derive(Clone, Debug, Default)]
pub struct SettingsForm {
    pub daily_budget: String,
    pub floor: String,
    pub cap: String,
    pub max_change_pct: String,
    pub min_days: String,
    pub min_spend: String,
}

#[async_trait::async_trait]
pub trait Budgets: Send + Sync {
    async fn settings(&self, caller: &Caller) -> Result<BudgetSettings, BudgetError>;
    /// Admins and owners.
    async fn save_settings(&self, caller: &Caller, form: SettingsForm) -> Result<BudgetSettings, BudgetError>;
    /// Admins and owners: today's proposal from the synced insights (the same inputs give back
    /// the same proposal).
    async fn propose(&self, caller: &Caller) -> Result<Proposal, BudgetError>;
    /// The newest proposal, if any.
    async fn latest(&self, caller: &Caller) -> Result<Option<Proposal>, BudgetError>;
    /// Admins and owners: sets the proposal's changed budgets on Meta, one job per campaign
    /// (nothing twice); on a partly applied proposal, tries the failed ones again.
    async fn apply(&self, caller: &Caller, id: &str) -> Result<Proposal, BudgetError>;
    /// A proposal in words, written once per language and kept.
    async fn explain(&self, caller: &Caller, id: &str, lang: Lang) -> Result<Explanation, BudgetError>;
    /// The proposal `id` with `budgets` (campaign id → a decimal amount; the others keep the
    /// proposal's) valued; kept as a draft to share when `save`.
    async fn what_if(
        &self,
        caller: &Caller,
        id: &str,
        budgets: &BTreeMap<String, String>,
        save: bool,
    ) -> Result<WhatIf, BudgetError>;
    /// A saved draft, valued again.
    async fn draft(&self, caller: &Caller, id: &str) -> Result<WhatIf, BudgetError>;
    /// Admins and owners: applies a saved draft's plan (it replaces its proposal, once).
    async fn apply_draft(&self, caller: &Caller, id: &str) -> Result<Proposal, BudgetError>;
    /// Proposals and applied plans, newest first, with realised against forecast.
    async fn history(&self, caller: &Caller, lang: Lang) -> Result<History, BudgetError>;
    /// Owners switch the automatic mode on (which also resumes it after a pause); owners and
    /// admins switch it off.
    async fn set_auto(&self, caller: &Caller, on: bool) -> Result<(), BudgetError>;
    /// A drawing of the history's chart (`cumulative-s` or `cumulative-l`).
    async fn chart(&self, caller: &Caller, id: &str, lang: Lang) -> Result<String, BudgetError>;
}

#[derive(Debug, thiserror::Error)]
pub enum BudgetError {
    #[error("invalid input: {0}")]
    Invalid(&'static str),
    #[error("the caller's role does not allow this")]
    Forbidden,
    #[error("not found (or another organisation's)")]
    NotFound,
    #[error("no ad account is connected")]
    NotConnected,
    #[error("no daily budget is set")]
    NoSettings,
    #[error("the settings are in {0}, the account in another currency")]
    CurrencyMismatch(String),
    #[error("the budget is outside what today's rails allow")]
    Infeasible,
    #[error("too few campaigns have enough data")]
    ThinData,
    #[error("a campaign the proposal does not hold")]
    UnknownCampaign,
    #[error("a newer proposal replaced this one")]
    Superseded,
    #[error("internal: {0}")]
    Internal(String),
}

impl BudgetError {
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        Self::Internal(cause.to_string())
    }
}

impl From<BudgetError> for AppError {
    fn from(e: BudgetError) -> Self {
        let (code, status) = match e {
            BudgetError::Invalid(code) => (code, 422),
            BudgetError::Forbidden => ("error-forbidden", 403),
            BudgetError::NotFound => ("error-not-found", 404),
            BudgetError::NotConnected => ("error-ads-not-connected", 409),
            BudgetError::NoSettings => ("error-budget-no-settings", 409),
            BudgetError::CurrencyMismatch(_) => ("error-budget-currency", 409),
            BudgetError::Infeasible => ("error-budget-infeasible", 422),
            BudgetError::ThinData => ("error-budget-thin-data", 422),
            BudgetError::Superseded => ("error-budget-superseded", 409),
            BudgetError::UnknownCampaign => ("error-budget-unknown-campaign", 422),
            BudgetError::Internal(cause) => return crate::server::request::internal(cause),
        };
        AppError::with_status(code, status)
    }
}
