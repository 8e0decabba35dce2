//! `/app/campaigns/optimiser`: the account's daily budget and rails, today's proposed split with
//! the evidence behind each number, and the proposal in words (Claude's, or the record's own).
//! Forms are plain posts that work before hydration; the explanation loads after the page.

use super::api::{
    ApplyDraft, ApplyProposal, ProposeBudgets, SaveBudgetSettings, SetAutoMode, budget_draft, budget_history,
    budget_settings, explain_proposal, latest_proposal,
};
use super::clock::SandboxClock;
use super::history::HistoryView;
use super::model::{AppliedChange, BudgetSettings, Proposal, ProposalRow};
use super::whatif::WhatIfEditor;
use crate::accounts::model::Viewer;
use crate::campaigns::money;
use crate::fetch::in_request;
use crate::forms::{outcome, status_line};
use crate::i18n::{I18n, use_i18n};
use leptos::prelude::*;

#[component]
pub fn OptimiserPage() -> impl IntoView {
    let i18n = use_i18n();
    let t = move |key: &'static str| move || i18n.t(key);
    let role = expect_context::<Viewer>().role;
    let (admin, owner) = (role.can_manage_members(), role == crate::accounts::model::Role::Owner);
    let save = ServerAction::<SaveBudgetSettings>::new();
    let propose = ServerAction::<ProposeBudgets>::new();
    let apply = ServerAction::<ApplyProposal>::new();
    let apply_draft = ServerAction::<ApplyDraft>::new();
    let auto = ServerAction::<SetAutoMode>::new();
    let simulate = ServerAction::<crate::campaigns::api::SimulateDays>::new();
    let tick = RwSignal::new(0u32);
    let clock_tick = RwSignal::new(0u32);
    let account = Resource::new(
        move || (simulate.version().get(), clock_tick.get()),
        |_| in_request(crate::campaigns::api::ad_account()),
    );
    let settings =
        Resource::new(move || (save.version().get(), auto.version().get()), |_| in_request(budget_settings()));
    let changed = move || {
        (propose.version().get(), save.version().get(), apply.version().get(), apply_draft.version().get(), tick.get())
    };
    let latest = Resource::new(changed, |_| in_request(latest_proposal()));
    // A shared what-if draft (`?draft=<id>`), opened in the editor.
    let query = leptos_router::hooks::use_query_map();
    let draft = Resource::new(
        move || query.with(|q| q.get("draft")),
        |id| async move {
            match id {
                Some(id) => Some(in_request(budget_draft(id)).await),
                None => None,
            }
        },
    );
    let history = Resource::new(
        move || (changed(), i18n.lang.get().code()),
        |(_, lang)| in_request(budget_history(Some(lang.to_owned()))),
    );
    // While Meta takes the changes, the page reads them again every two seconds.
    Effect::new(move |_| {
        if latest.get().and_then(|r| r.ok()).flatten().is_some_and(|p| p.status == "applying") {
            set_timeout(move || tick.update(|t| *t += 1), std::time::Duration::from_secs(2));
        }
    });
    // While the sandbox simulates days, the page follows its clock and its plans every second.
    Effect::new(move |_| {
        if account.get().and_then(|r| r.ok()).flatten().is_some_and(|a| a.clock_left > 0) {
            let next = move || {
                clock_tick.update(|t| *t += 1);
                tick.update(|t| *t += 1);
            };
            set_timeout(next, std::time::Duration::from_secs(1));
        }
    });
    view! {
        <section class="optimiser">
            <p class="hint"><a href="/app/campaigns">{t("app-nav-campaigns")}</a>" › "</p>
            <h1>{t("budget-title")}</h1>
            <p class="hint">{t("budget-intro")}</p>
            <Transition fallback=move || view! { <p>{t("loading")}</p> }>
                {move || Suspend::new(async move {
                    match settings.await {
                        Ok(s) => view! {
                            <Rails settings=s.clone() admin=admin save=save/>
                            <AutoMode settings=s admin=admin owner=owner auto=auto/>
                        }.into_any(),
                        Err(e) if e.code == "error-ads-not-connected" => view! {
                            <p class="empty-state">{t("budget-connect-first")}" "<a href="/app/campaigns">{t("app-nav-campaigns")}</a></p>
                        }.into_any(),
                        Err(e) => view! { <p class="form-status err" role="alert">{i18n.t(&e.code)}</p> }.into_any(),
                    }
                })}
            </Transition>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match account.await {
                        Ok(Some(a)) if a.is_sandbox() => {
                            view! { <SandboxClock account=a admin=admin simulate=simulate/> }.into_any()
                        }
                        _ => ().into_any(),
                    }
                })}
            </Transition>
            <h2>{t("budget-proposal")}</h2>
            {admin.then(|| view! {
                <ActionForm action=propose>
                    <button type="submit" class="btn btn-primary" data-testid="propose">{t("budget-propose")}</button>
                </ActionForm>
            })}
            {move || status_line(i18n, outcome(propose.value().get(), "budget-propose"), None)}
            <Transition fallback=move || view! { <p>{t("loading")}</p> }>
                {move || Suspend::new(async move {
                    let (latest, draft) = (latest.await, draft.await);
                    match latest {
                        Ok(Some(p)) => {
                            let editable = p.status == "proposed";
                            let shown = view! { <ProposalView proposal=p.clone() admin=admin apply=apply/> }.into_any();
                            let editor = editable.then(|| {
                                view! { <WhatIfEditor proposal=p draft=draft admin=admin apply=apply_draft/> }.into_any()
                            });
                            view! { {shown} {editor} }.into_any()
                        }
                        Ok(None) => view! { <p class="empty-state">{t("budget-no-proposal")}</p> }.into_any(),
                        Err(e) if e.code == "error-ads-not-connected" => ().into_any(),
                        Err(e) => view! { <p class="form-status err" role="alert">{i18n.t(&e.code)}</p> }.into_any(),
                    }
                })}
            </Transition>
            <h2>{t("budget-history")}</h2>
            <Transition fallback=move || view! { <p>{t("loading")}</p> }>
                {move || Suspend::new(async move {
                    match history.await {
                        Ok(h) => view! { <HistoryView history=h/> }.into_any(),
                        Err(e) if e.code == "error-ads-not-connected" => ().into_any(),
                        Err(e) => view! { <p class="form-status err" role="alert">{i18n.t(&e.code)}</p> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// The daily budget and rails: a form for admins, the values for everyone else.
#[component]
fn Rails(settings: BudgetSettings, admin: bool, save: ServerAction<SaveBudgetSettings>) -> impl IntoView {
    let i18n = use_i18n();
    let t = move |key: &'static str| move || i18n.t(key);
    let lang = i18n.lang.get_untracked();
    let c = settings.currency.clone();
    let plain = |v: i64| money::plain(v, &settings.currency);
    let today = i18n.t_args(
        "budget-today",
        &[
            ("campaigns", money::count(settings.campaigns, lang)),
            ("total", money::money(settings.current_total, &c, lang)),
        ],
    );
    let allowed = settings.allowed.map(|(lo, hi)| {
        i18n.t_args("budget-allowed", &[("low", money::money(lo, &c, lang)), ("high", money::money(hi, &c, lang))])
    });
    let field = move |id: &'static str, label: &'static str, value: String, hint: Option<String>| {
        view! {
            <label for=id>{t(label)}</label>
            <input id=id name=id value=value inputmode="decimal" autocomplete="off" required disabled=!admin/>
            {hint.map(|h| view! { <p class="hint">{h}</p> })}
        }
    };
    let currency_hint = Some(settings.currency.clone());
    let values = [
        plain(settings.daily_budget.unwrap_or(settings.current_total)),
        plain(settings.floor),
        plain(settings.cap),
        plain(settings.min_spend),
    ];
    let [daily, floor, cap, min_spend] = values;
    view! {
        <p data-testid="budget-today">{today}</p>
        {allowed.map(|a| view! { <p class="hint" data-testid="budget-allowed">{a}</p> })}
        {settings.daily_budget.is_none().then(|| view! { <p class="hint">{t("budget-defaults")}</p> })}
        <ActionForm action=save attr:class="budget-rails">
            {field("daily_budget", "budget-daily", daily, currency_hint.clone())}
            {field("floor", "budget-floor", floor, currency_hint.clone())}
            {field("cap", "budget-cap", cap, currency_hint.clone())}
            {field("max_change_pct", "budget-max-change", settings.max_change_pct.to_string(), Some("%".into()))}
            {field("min_days", "budget-min-days", settings.min_days.to_string(), None)}
            {field("min_spend", "budget-min-spend", min_spend, currency_hint)}
            {admin.then(|| view! { <button type="submit" class="btn">{t("budget-save")}</button> })}
        </ActionForm>
        {move || status_line(i18n, outcome(save.value().get(), "budget-settings"), Some("budget-saved"))}
    }
}

/// The automatic mode: its state (and why it paused), switched on by owners, off by admins.
#[component]
fn AutoMode(settings: BudgetSettings, admin: bool, owner: bool, auto: ServerAction<SetAutoMode>) -> impl IntoView {
    let i18n = use_i18n();
    let t = move |key: &'static str| move || i18n.t(key);
    let saved = settings.daily_budget.is_some();
    let (state, text) = match (settings.auto, &settings.auto_paused) {
        (true, Some(reason)) => {
            ("paused", i18n.t_args("budget-auto-paused", &[("reason", i18n.t(&format!("budget-paused-{reason}")))]))
        }
        (true, None) => ("on", i18n.t("budget-auto-on")),
        _ => ("off", i18n.t("budget-auto-off")),
    };
    let (on, label) = match state {
        "paused" => ("true", "budget-auto-resume"),
        "on" => ("false", "budget-auto-turn-off"),
        _ => ("true", "budget-auto-turn-on"),
    };
    let allowed = saved && if on == "true" { owner } else { admin };
    view! {
        <div class="auto-mode" data-testid="auto-mode" data-state=state>
            <h2>{t("budget-auto")}</h2>
            <p class="hint">{t("budget-auto-intro")}</p>
            <p role="status"><strong>{text}</strong></p>
            {allowed.then(|| view! {
                <ActionForm action=auto>
                    <input type="hidden" name="on" value=on/>
                    <button type="submit" class="btn" data-testid="auto-switch">{t(label)}</button>
                </ActionForm>
            })}
            {move || status_line(i18n, outcome(auto.value().get(), "budget-auto"), None)}
        </div>
    }
}

fn rail_key(bound: &str) -> &'static str {
    match bound {
        "floor" => "budget-rail-floor",
        "cap" => "budget-rail-cap",
        "max_increase" => "budget-rail-max-increase",
        "max_decrease" => "budget-rail-max-decrease",
        "thin" => "budget-rail-thin",
        "manual" => "budget-rail-manual",
        _ => "budget-rail-none",
    }
}

fn signed_pct(share: f64, lang: crate::i18n::Lang) -> String {
    let sign = if share >= 0.0 { "+" } else { "" };
    format!("{sign}{} %", money::ratio(share * 100.0, 1, lang))
}

#[component]
fn ProposalView(proposal: Proposal, admin: bool, apply: ServerAction<ApplyProposal>) -> impl IntoView {
    let i18n = use_i18n();
    let t = move |key: &'static str| move || i18n.t(key);
    let lang = i18n.lang.get_untracked();
    let c = proposal.currency.clone();
    let m = |v: i64| money::money(v, &c, lang);
    let expected = i18n.t_args(
        "budget-expected",
        &[
            ("expected", m(proposal.expected_revenue)),
            ("unchanged", m(proposal.expected_unchanged)),
            ("gain", proposal.gain().map_or("—".into(), |g| signed_pct(g, lang))),
            ("equal", m(proposal.expected_equal_split)),
        ],
    );
    let maturity = proposal.maturity.first().map(|f| {
        i18n.t_args(
            "budget-maturity",
            &[
                ("share", money::ratio(f * 100.0, 0, lang)),
                ("days", money::count(proposal.maturity.len() as i64, lang)),
            ],
        )
    });
    let status = format!("budget-status-{}", proposal.status);
    let id = proposal.id.clone();
    let can_apply = admin && matches!(proposal.status.as_str(), "proposed" | "partial");
    let applied = proposal.applied_by.clone().map(|by| {
        let by = match by.as_str() {
            "auto" => i18n.t("budget-applied-auto"),
            "schedule" => i18n.t("budget-applied-schedule"),
            _ => by,
        };
        let when = proposal.applied_at.map(|ms| crate::text::utc_timestamp(ms.div_euclid(1000))).unwrap_or_default();
        i18n.t_args("budget-applied-by", &[("who", by), ("when", when)])
    });
    let retry = proposal.status == "partial";
    view! {
        <div class="proposal" data-testid="proposal" data-status=proposal.status.clone()>
            <p class="hint">
                {i18n.t(&status)}" · "<span dir="ltr">{proposal.day.clone()}</span>" · "
                {i18n.t_args("budget-of", &[("budget", m(proposal.budget)), ("pct", money::count(proposal.max_change_pct, lang))])}
            </p>
            <div class="table-scroll">
                <table class="proposal-table">
                    <thead>
                        <tr>
                            <th scope="col">{t("ads-campaign")}</th>
                            <th scope="col">{t("budget-before")}</th>
                            <th scope="col">{t("budget-after")}</th>
                            <th scope="col">{t("budget-roas")}</th>
                            <th scope="col">{t("budget-p-best")}</th>
                            <th scope="col">{t("budget-observed")}</th>
                            <th scope="col">{t("budget-rail")}</th>
                            {(!proposal.changes.is_empty()).then(|| view! { <th scope="col">{t("budget-on-meta")}</th> })}
                        </tr>
                    </thead>
                    <tbody>
                        {proposal.rows.iter().map(|r| row(i18n, r, &c, &proposal.changes)).collect_view()}
                    </tbody>
                </table>
            </div>
            <p data-testid="budget-expected">{expected}</p>
            {applied.map(|a| view! { <p class="hint" data-testid="budget-applied">{a}</p> })}
            {can_apply.then(|| view! {
                <ActionForm action=apply>
                    <input type="hidden" name="id" value=proposal.id.clone()/>
                    <button type="submit" class="btn btn-primary" data-testid="apply">
                        {t(if retry { "budget-apply-retry" } else { "budget-apply" })}
                    </button>
                </ActionForm>
            })}
            {move || status_line(i18n, outcome(apply.value().get(), "budget-apply"), None)}
            {maturity.map(|text| view! { <p class="hint">{text}</p> })}
            <Explained id=id/>
        </div>
    }
}

/// A change's state on Meta: applied (with what Meta took when it differs), pending, or failed
/// with its reason.
fn change_cell(i18n: I18n, change: Option<&AppliedChange>, currency: &str) -> Option<AnyView> {
    let lang = i18n.lang.get_untracked();
    let c = change?;
    let text = match (c.status.as_str(), c.applied_budget) {
        ("applied", Some(took)) if took != c.budget_after => {
            i18n.t_args("budget-change-applied-as", &[("amount", money::money(took, currency, lang))])
        }
        ("applied", _) => i18n.t("budget-change-applied"),
        ("failed", _) => {
            format!("{} {}", i18n.t("budget-change-failed"), i18n.t(c.error.as_deref().unwrap_or("error-internal")))
        }
        _ => i18n.t("budget-change-pending"),
    };
    Some(view! { <td data-change=c.status.clone()>{text}</td> }.into_any())
}

fn row(i18n: I18n, r: &ProposalRow, currency: &str, changes: &[AppliedChange]) -> impl IntoView + use<> {
    let lang = i18n.lang.get_untracked();
    let change = if r.budget_before > 0 {
        signed_pct((r.budget_after - r.budget_before) as f64 / r.budget_before as f64, lang)
    } else {
        "—".into()
    };
    let ratio = |v: f64| money::ratio(v, 2, lang);
    let observed = i18n.t_args(
        "budget-observed-value",
        &[("days", money::count(r.days_observed, lang)), ("spend", money::money(r.spend_observed, currency, lang))],
    );
    view! {
        <tr data-bound=r.bound_by.clone()>
            <td>{r.name.clone()}</td>
            <td class="num">{money::money(r.budget_before, currency, lang)}</td>
            <td class="num"><strong>{money::money(r.budget_after, currency, lang)}</strong>" "<span class="hint">{change}</span></td>
            <td class="num">{ratio(r.roas)}" "<span class="hint">{format!("({} – {})", ratio(r.roas_low), ratio(r.roas_high))}</span></td>
            <td class="num">{format!("{} %", money::ratio(r.p_best * 100.0, 0, lang))}</td>
            <td>{observed}</td>
            <td>{i18n.t(rail_key(&r.bound_by))}</td>
            {(!changes.is_empty()).then(|| {
                change_cell(i18n, changes.iter().find(|c| c.campaign_id == r.id), currency)
                    .unwrap_or_else(|| view! { <td>"—"</td> }.into_any())
            })}
        </tr>
    }
}

/// The proposal in words, fetched once the page runs in the browser (effects never run on the
/// server): Claude may take seconds, and a LocalResource read during server rendering stalls the
/// page's stream (see the inbox's quick replies).
#[component]
fn Explained(id: String) -> impl IntoView {
    let i18n = use_i18n();
    let words = RwSignal::new(None::<Result<super::model::Explanation, crate::error::AppError>>);
    Effect::new(move |_| {
        let (id, lang) = (id.clone(), i18n.lang.get().code().to_owned());
        leptos::task::spawn_local(async move { words.set(Some(explain_proposal(id, Some(lang)).await)) });
    });
    let shown = move || match words.get() {
        None => view! { <p class="hint">{i18n.t("budget-explaining")}</p> }.into_any(),
        Some(Ok(e)) => {
            let label = if e.source == "claude" { "budget-by-claude" } else { "budget-by-rules" };
            view! {
                <p class="badge" data-source=e.source.clone()>{i18n.t(label)}</p>
                <p>{e.text}</p>
            }
            .into_any()
        }
        Some(Err(e)) => view! { <p class="form-status err" role="alert">{i18n.t(&e.code)}</p> }.into_any(),
    };
    view! { <div class="explanation" data-testid="explanation" aria-live="polite">{shown}</div> }
}
