//! `/app/analytics`: the messaging side of a period — conversations opened and how they stand,
//! messages in and out per day, first-response and resolution times, delivery, read and failure
//! rates, and each member's share. The period lives in the URL, as on the dashboard.

use super::parts::{Charts, PeriodPicker};
use crate::campaigns::api::messaging_analytics;
use crate::campaigns::model::MessagingAnalytics;
use crate::campaigns::money;
use crate::fetch::in_request;
use crate::i18n::{I18n, use_i18n};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AnalyticsPage() -> impl IntoView {
    let i18n = use_i18n();
    let t = move |key: &'static str| move || i18n.t(key);
    let query = use_query_map();
    let param = move |name: &'static str| move || query.with(|q| q.get(name).filter(|v| !v.is_empty()));
    let (range, from, to) = (param("range"), param("from"), param("to"));
    let figures = Resource::new(
        move || (range(), from(), to(), i18n.lang.get().code()),
        |(range, from, to, lang)| in_request(messaging_analytics(range, from, to, Some(lang.into()))),
    );
    view! {
        <section class="analytics">
            <h1>{t("app-nav-analytics")}</h1>
            <Transition fallback=move || view! { <p>{t("loading")}</p> }>
                {move || Suspend::new(async move {
                    match figures.await {
                        Ok(f) => view! { <Figures figures=f/> }.into_any(),
                        Err(e) => view! { <p class="form-status err" role="alert">{i18n.t(&e.code)}</p> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// A duration in seconds as "2 h 5 min", "4 min" or "35 s".
fn duration(i18n: I18n, secs: Option<i64>) -> String {
    let lang = i18n.lang.get_untracked();
    let n = |v: i64| money::count(v, lang);
    match secs {
        None => "—".into(),
        Some(s) if s < 60 => i18n.t_args("analytics-seconds", &[("s", n(s))]),
        Some(s) if s < 3600 => i18n.t_args("analytics-minutes", &[("m", n(s / 60))]),
        Some(s) => i18n.t_args("analytics-hours", &[("h", n(s / 3600)), ("m", n(s % 3600 / 60))]),
    }
}

#[component]
fn Figures(figures: MessagingAnalytics) -> impl IntoView {
    let i18n = use_i18n();
    let lang = i18n.lang.get_untracked();
    let percent = |v: Option<f64>| v.map_or("—".to_owned(), |v| format!("{} %", money::ratio(v * 100.0, 1, lang)));
    let opened = |status: &str| figures.opened.iter().find(|(s, _)| s == status).map_or(0, |(_, n)| *n);
    let total: i64 = figures.opened.iter().map(|(_, n)| n).sum();
    let cards = vec![
        ("analytics-opened", money::count(total, lang)),
        ("analytics-open", money::count(opened("open") + opened("pending"), lang)),
        ("analytics-resolved", money::count(opened("resolved"), lang)),
        ("analytics-in", money::count(figures.messages_in, lang)),
        ("analytics-out", money::count(figures.messages_out, lang)),
        ("analytics-first-response", duration(i18n, figures.median_first_response)),
        ("analytics-resolution", duration(i18n, figures.median_resolution)),
        ("analytics-delivered", percent(figures.rate(&["delivered", "read"]))),
        ("analytics-read", percent(figures.rate(&["read"]))),
        ("analytics-failed", percent(figures.rate(&["failed"]))),
    ];
    view! {
        <PeriodPicker action="/app/analytics".into() period=figures.period.clone()/>
        <ul class="kpis" data-testid="analytics">
            {cards.into_iter().map(|(key, value)| view! {
                <li class="kpi"><span class="kpi-label">{move || i18n.t(key)}</span><strong class="kpi-value">{value}</strong></li>
            }).collect_view()}
        </ul>
        <Charts charts=figures.charts.clone()/>
        <h2>{move || i18n.t("analytics-agents")}</h2>
        {if figures.agents.is_empty() {
            view! { <p class="empty-state">{move || i18n.t("analytics-no-agents")}</p> }.into_any()
        } else {
            view! {
                <div class="table-scroll">
                    <table class="campaigns-table">
                        <thead><tr>
                            <th scope="col">{move || i18n.t("analytics-agent")}</th>
                            <th scope="col">{move || i18n.t("analytics-sent")}</th>
                            <th scope="col">{move || i18n.t("analytics-assigned")}</th>
                            <th scope="col">{move || i18n.t("analytics-resolved")}</th>
                        </tr></thead>
                        <tbody>
                            {figures.agents.iter().map(|a| view! {
                                <tr>
                                    <td>{a.name.clone()}</td>
                                    <td class="num">{money::count(a.sent, lang)}</td>
                                    <td class="num">{money::count(a.assigned, lang)}</td>
                                    <td class="num">{money::count(a.resolved, lang)}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }.into_any()
        }}
        <p class="hint">{move || i18n.t("analytics-utc")}</p>
    }
}
