//! The optimiser's history: every proposal and applied plan, who applied it, and what the applied
//! ones realised against their forecast, under a chart of cumulative revenue against the equal
//! split.

use super::model::{History, HistoryEntry};
use crate::campaigns::money;
use crate::campaigns::views::parts::Charts;
use crate::i18n::{I18n, use_i18n};
use leptos::prelude::*;

#[component]
pub fn HistoryView(history: History) -> impl IntoView {
    let i18n = use_i18n();
    let t = move |key: &'static str| move || i18n.t(key);
    let c = history.currency.clone();
    if history.entries.is_empty() {
        return view! { <p class="empty-state">{t("budget-history-empty")}</p> }.into_any();
    }
    view! {
        {history.chart.map(|chart| view! {
            <p class="hint">{t("budget-history-chart-note")}</p>
            <Charts charts=vec![chart]/>
        })}
        <div class="table-scroll">
            <table class="history-table" data-testid="history">
                <thead>
                    <tr>
                        <th scope="col">{t("budget-history-day")}</th>
                        <th scope="col">{t("budget-history-status")}</th>
                        <th scope="col">{t("budget-history-forecast")}</th>
                        <th scope="col">{t("budget-history-applied")}</th>
                        <th scope="col">{t("budget-history-realised")}</th>
                    </tr>
                </thead>
                <tbody>{history.entries.iter().map(|e| entry(i18n, e, &c)).collect_view()}</tbody>
            </table>
        </div>
    }
    .into_any()
}

fn entry(i18n: I18n, e: &HistoryEntry, currency: &str) -> impl IntoView + use<> {
    let lang = i18n.lang.get_untracked();
    let m = |v: i64| money::money(v, currency, lang);
    let status = i18n.t(&format!("budget-status-{}", e.status));
    let status = if e.from_draft { format!("{status} · {}", i18n.t("budget-history-by-hand")) } else { status };
    let forecast = i18n.t_args(
        "budget-history-forecast-value",
        &[
            ("expected", m(e.expected_revenue)),
            ("equal", m(e.expected_equal_split)),
            ("changed", money::count(e.changed, lang)),
        ],
    );
    let applied = match (&e.applied_by, e.applied_at) {
        (Some(by), Some(at)) => i18n.t_args(
            "budget-applied-by",
            &[("who", by.clone()), ("when", crate::text::utc_timestamp(at.div_euclid(1000)))],
        ),
        _ => "—".into(),
    };
    let realised = match &e.realised {
        Some(r) => {
            let pct = |now: i64, plan: i64| {
                if plan > 0 {
                    format!("{} %", money::ratio(now as f64 * 100.0 / plan as f64, 0, lang))
                } else {
                    "—".into()
                }
            };
            let mut text = i18n.t_args(
                "budget-history-realised-value",
                &[
                    ("days", money::count(r.days, lang)),
                    ("revenue", m(r.revenue)),
                    ("revenue_pct", pct(r.revenue, r.forecast_revenue)),
                    ("spend", m(r.spend)),
                    ("spend_pct", pct(r.spend, r.forecast_spend)),
                ],
            );
            if r.maturing > 0 {
                text.push(' ');
                text.push_str(&i18n.t_args("budget-history-maturing", &[("days", money::count(r.maturing, lang))]));
            }
            text
        }
        None if e.applied_at.is_some() => i18n.t("budget-history-waiting"),
        None => "—".into(),
    };
    view! {
        <tr data-status=e.status.clone() data-id=e.id.clone()>
            <td dir="ltr">{e.day.clone()}</td>
            <td>{status}</td>
            <td>{forecast}</td>
            <td>{applied}</td>
            <td data-testid="realised">{realised}</td>
        </tr>
    }
}
