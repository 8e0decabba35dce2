//! What-if: the proposal's budgets as a form an admin or member changes by hand, valued against
//! the proposal (expected revenue, its interval, its share of the proposal's), with warnings
//! where the plan leaves the rails; saved as a draft, it is a link to share, and admins apply it.

use super::api::{ApplyDraft, WhatIfPlan};
use super::model::{Proposal, WhatIf, WhatIfRow};
use crate::campaigns::money;
use crate::error::AppError;
use crate::forms::{outcome, status_line};
use crate::i18n::{I18n, use_i18n};
use leptos::prelude::*;

/// The editor over `proposal`, or over the draft the page's address named (`draft`, loaded with
/// the page: resources stay at the page's top level, where hydration finds them in order).
#[component]
pub fn WhatIfEditor(
    proposal: Proposal,
    draft: Option<Result<WhatIf, AppError>>,
    admin: bool,
    apply: ServerAction<ApplyDraft>,
) -> impl IntoView {
    let i18n = use_i18n();
    let t = move |key: &'static str| move || i18n.t(key);
    let value = ServerAction::<WhatIfPlan>::new();
    let unvalued = WhatIf {
        proposal_id: proposal.id.clone(),
        currency: proposal.currency.clone(),
        budget: proposal.budget,
        total: proposal.rows.iter().map(|r| r.budget_after).sum(),
        rows: proposal
            .rows
            .iter()
            .map(|r| WhatIfRow {
                id: r.id.clone(),
                name: r.name.clone(),
                budget_before: r.budget_before,
                proposed: r.budget_after,
                budget: r.budget_after,
                warnings: Vec::new(),
            })
            .collect(),
        ..Default::default()
    };
    let (start, err) = match draft {
        Some(Ok(w)) => (w, None),
        Some(Err(e)) => (unvalued, Some(e)),
        None => (unvalued, None),
    };
    view! {
        <section class="what-if" id="what-if" data-testid="what-if">
            <h2>{t("budget-what-if")}</h2>
            <p class="hint">{t("budget-what-if-intro")}</p>
            {err.map(|e| view! { <p class="form-status err" role="alert">{i18n.t(&e.code)}</p> })}
            {view! { <PlanForm start=start value=value admin=admin apply=apply/> }.into_any()}
        </section>
    }
    .into_any()
}

#[component]
fn PlanForm(
    start: WhatIf,
    value: ServerAction<WhatIfPlan>,
    admin: bool,
    apply: ServerAction<ApplyDraft>,
) -> impl IntoView {
    let i18n = use_i18n();
    let t = move |key: &'static str| move || i18n.t(key);
    let lang = i18n.lang.get_untracked();
    let c = start.currency.clone();
    let valued = (start.proposal_expected > 0).then(|| start.clone());
    // The latest valuation: the form's last answer, else the draft as loaded.
    let shown = move || match value.value().get() {
        Some(Ok(w)) => Some(w),
        _ => valued.clone(),
    };
    let fields = start
        .rows
        .iter()
        .map(|r| {
            // Not `budgets[<id>]`: the browser reads a key of digits as a list index.
            let name = format!("budgets[c{}]", r.id);
            let id = format!("what-if-{}", r.id);
            let proposed = i18n.t_args("budget-what-if-proposed", &[("amount", money::money(r.proposed, &c, lang))]);
            view! {
                <label for=id.clone()>{r.name.clone()}</label>
                <input id=id name=name value=money::plain(r.budget, &c) inputmode="decimal" autocomplete="off"/>
                <p class="hint">{proposed}</p>
            }
        })
        .collect_view();
    view! {
        <ActionForm action=value attr:class="what-if-form">
            <input type="hidden" name="id" value=start.proposal_id.clone()/>
            {fields}
            <div class="actions">
                <button type="submit" class="btn" data-testid="what-if-value">{t("budget-what-if-value")}</button>
                <button type="submit" class="btn" name="save" value="true" data-testid="what-if-save">{t("budget-what-if-save")}</button>
            </div>
        </ActionForm>
        {move || status_line(i18n, outcome(value.value().get(), "budget-what-if"), None)}
        {move || shown().map(|w| view! { <Valued plan=w admin=admin apply=apply/> }.into_any())}
    }
    .into_any()
}

fn warning_text(i18n: I18n, r: &WhatIfRow) -> String {
    r.warnings.iter().map(|w| i18n.t(w)).collect::<Vec<_>>().join(" ")
}

#[component]
fn Valued(plan: WhatIf, admin: bool, apply: ServerAction<ApplyDraft>) -> impl IntoView {
    let i18n = use_i18n();
    let lang = i18n.lang.get_untracked();
    let c = plan.currency.clone();
    let m = |v: i64| money::money(v, &c, lang);
    let share = plan.share().map_or("—".into(), |s| format!("{} %", money::ratio(s * 100.0, 1, lang)));
    let figures = i18n.t_args(
        "budget-what-if-figures",
        &[
            ("expected", m(plan.expected)),
            ("low", m(plan.low)),
            ("high", m(plan.high)),
            ("share", share),
            ("proposal", m(plan.proposal_expected)),
        ],
    );
    let total = i18n.t_args("budget-what-if-total", &[("total", m(plan.total)), ("budget", m(plan.budget))]);
    let warned: Vec<(String, String)> =
        plan.rows.iter().filter(|r| !r.warnings.is_empty()).map(|r| (r.name.clone(), warning_text(i18n, r))).collect();
    let link = plan.draft_id.clone().map(|id| format!("/app/campaigns/optimiser?draft={id}"));
    view! {
        <div class="what-if-result" data-testid="what-if-result" aria-live="polite">
            <p data-testid="what-if-figures">{figures}</p>
            <p class="hint">{total}</p>
            {plan.warnings.iter().map(|w| view! { <p class="form-status warn" role="status">{i18n.t(w)}</p> }).collect_view()}
            <ul class="what-if-warnings">
                {warned.into_iter().map(|(name, text)| view! { <li><strong>{name}</strong>" — "{text}</li> }).collect_view()}
            </ul>
            {link.map(|href| view! {
                <p data-testid="what-if-draft">{i18n.t("budget-what-if-saved")}" "<a href=href.clone()>{href.clone()}</a></p>
                {admin.then(|| view! {
                    <ActionForm action=apply>
                        <input type="hidden" name="id" value=plan.draft_id.clone().unwrap_or_default()/>
                        <button type="submit" class="btn btn-primary" data-testid="apply-draft">{i18n.t("budget-what-if-apply")}</button>
                    </ActionForm>
                })}
            })}
            {move || status_line(i18n, outcome(apply.value().get(), "budget-apply-draft"), Some("budget-what-if-applied"))}
        </div>
    }
}
