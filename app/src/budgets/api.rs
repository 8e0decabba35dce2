//! Server functions of the budget optimiser. Each checks the caller, then calls the port; every one
//! also accepts a bearer token (see `docs/API.md`).

use super::model::{BudgetSettings, Explanation, History, Proposal, WhatIf};
use crate::error::AppError;
use leptos::prelude::*;
use std::collections::BTreeMap;
#[cfg(feature = "ssr")]
use {
    super::port::SettingsForm,
    crate::i18n::Lang,
    crate::server::respond::finish_form,
    crate::server::{caller, services},
};

#[server(name = GetBudgetSettings, prefix = "/api", endpoint = "budgets/settings")]
pub async fn budget_settings() -> Result<BudgetSettings, AppError> {
    let caller = caller().await?;
    Ok(services()?.budgets.settings(&caller).await?)
}

/// Admins and owners: the daily budget (a decimal in the account's currency) and the rails.
#[server(name = SaveBudgetSettings, prefix = "/api", endpoint = "budgets/save-settings")]
pub async fn save_budget_settings(
    daily_budget: String,
    floor: String,
    cap: String,
    max_change_pct: String,
    min_days: String,
    min_spend: String,
) -> Result<(), AppError> {
    let caller = caller().await?;
    let form = SettingsForm { daily_budget, floor, cap, max_change_pct, min_days, min_spend };
    finish_form(services()?.budgets.save_settings(&caller, form).await.map(|_| ()), "budget-settings")
}

/// Admins and owners: today's proposal (the same one again while nothing it reads has changed).
#[server(name = ProposeBudgets, prefix = "/api", endpoint = "budgets/propose")]
pub async fn propose_budgets() -> Result<Proposal, AppError> {
    let caller = caller().await?;
    Ok(services()?.budgets.propose(&caller).await?)
}

#[server(name = LatestProposal, prefix = "/api", endpoint = "budgets/latest")]
pub async fn latest_proposal() -> Result<Option<Proposal>, AppError> {
    let caller = caller().await?;
    Ok(services()?.budgets.latest(&caller).await?)
}

/// Admins and owners: sets the proposal's budgets on Meta (again for the changes that failed).
#[server(name = ApplyProposal, prefix = "/api", endpoint = "budgets/apply")]
pub async fn apply_proposal(id: String) -> Result<Proposal, AppError> {
    let caller = caller().await?;
    Ok(services()?.budgets.apply(&caller, &id).await?)
}

/// A proposal in words in `lang` (`en`, `es`, `ar`): Claude's, or built from the record.
#[server(name = ExplainProposal, prefix = "/api", endpoint = "budgets/explain")]
pub async fn explain_proposal(id: String, lang: Option<String>) -> Result<Explanation, AppError> {
    let caller = caller().await?;
    let lang = lang.as_deref().and_then(Lang::from_code).unwrap_or(Lang::En);
    Ok(services()?.budgets.explain(&caller, &id, lang).await?)
}

/// The proposal `id` with some budgets changed by hand (`budgets[c<campaign id>]`, decimals in the
/// account's currency), valued against the proposal; `save=true` keeps it as a draft to share (a
/// plain HTML post always does, and is redirected to it).
#[server(name = WhatIfPlan, prefix = "/api", endpoint = "budgets/what-if")]
pub async fn what_if_plan(
    id: String,
    #[server(default)] budgets: BTreeMap<String, String>,
    #[server(default)] save: Option<String>,
) -> Result<WhatIf, AppError> {
    let caller = caller().await?;
    // A plain HTML post (no JavaScript) cannot show an answer in place: the plan is kept as a
    // draft and the browser sent to it, where the page shows its valuation.
    let plain = crate::server::request::is_plain_form_post();
    let save = plain || save.is_some_and(|s| s == "true" || s == "1");
    let result = services()?.budgets.what_if(&caller, &id, &budgets, save).await.map_err(AppError::from);
    if plain {
        let to = match &result {
            Ok(w) => format!("/app/campaigns/optimiser?draft={}#what-if", w.draft_id.clone().unwrap_or_default()),
            Err(e) => format!(
                "{}?error={}&form=budget-what-if#budget-what-if",
                crate::server::request::referring_path(),
                e.code
            ),
        };
        leptos_axum::redirect(&to);
    }
    result
}

/// A saved what-if draft, valued again.
#[server(name = GetDraft, prefix = "/api", endpoint = "budgets/draft")]
pub async fn budget_draft(id: String) -> Result<WhatIf, AppError> {
    let caller = caller().await?;
    Ok(services()?.budgets.draft(&caller, &id).await?)
}

/// Admins and owners: applies a saved draft's plan on Meta in place of its proposal.
#[server(name = ApplyDraft, prefix = "/api", endpoint = "budgets/apply-draft")]
pub async fn apply_draft(id: String) -> Result<Proposal, AppError> {
    let caller = caller().await?;
    Ok(services()?.budgets.apply_draft(&caller, &id).await?)
}

/// Every proposal and applied plan, newest first, with realised spend and revenue.
#[server(name = GetBudgetHistory, prefix = "/api", endpoint = "budgets/history")]
pub async fn budget_history(lang: Option<String>) -> Result<History, AppError> {
    let caller = caller().await?;
    let lang = lang.as_deref().and_then(Lang::from_code).unwrap_or(Lang::En);
    Ok(services()?.budgets.history(&caller, lang).await?)
}

/// Owners switch the automatic mode on (`on=true`, also resuming it after a pause); owners and
/// admins switch it off.
#[server(name = SetAutoMode, prefix = "/api", endpoint = "budgets/auto")]
pub async fn set_auto_mode(on: String) -> Result<(), AppError> {
    let caller = caller().await?;
    let on = on == "true";
    finish_form(services()?.budgets.set_auto(&caller, on).await, "budget-auto")
}
