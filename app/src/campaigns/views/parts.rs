//! Pieces both campaign pages use: the period picker, KPI cards, the charts.

use crate::campaigns::model::{Chart, Period, Totals, change};
use crate::campaigns::money;
use crate::i18n::{I18n, use_i18n};
use leptos::prelude::*;

/// The period form: a plain GET, so it works before hydration and every view is a link.
#[component]
pub fn PeriodPicker(action: String, period: Period) -> impl IntoView {
    let i18n = use_i18n();
    let t = move |key: &'static str| move || i18n.t(key);
    let custom = period.preset == "custom";
    let preset = period.preset.clone();
    let option = move |value: &'static str, key: &'static str| {
        view! { <option value=value selected=preset == value>{t(key)}</option> }
    };
    view! {
        <form method="get" action=action class="period" aria-label=t("ads-period")>
            <label for="ads-range">{t("ads-period")}</label>
            <select id="ads-range" name="range">
                {option("7", "ads-range-7")}
                {option("14", "ads-range-14")}
                {option("28", "ads-range-28")}
                {option("90", "ads-range-90")}
                {option("custom", "ads-range-custom")}
            </select>
            <label for="ads-from">{t("ads-from")}</label>
            <input id="ads-from" name="from" type="date" value=if custom { period.from.clone() } else { String::new() }/>
            <label for="ads-to">{t("ads-to")}</label>
            <input id="ads-to" name="to" type="date" value=if custom { period.to.clone() } else { String::new() }/>
            <button type="submit" class="btn">{t("ads-apply")}</button>
            <p class="hint" dir="ltr">{format!("{} → {}", period.from, period.to)}</p>
        </form>
    }
}

/// The change against the previous period, as `+12.5 %` (green when it is good news).
fn delta(i18n: I18n, now: Option<f64>, before: Option<f64>, higher_is_better: bool) -> impl IntoView {
    let lang = i18n.lang.get_untracked();
    match now.zip(before).and_then(|(n, b)| change(n, b)) {
        Some(c) => {
            let good = (c >= 0.0) == higher_is_better;
            let sign = if c >= 0.0 { "+" } else { "" };
            let text = format!("{sign}{} %", money::ratio(c * 100.0, 1, lang));
            view! { <span class=if good { "delta up" } else { "delta down" }>{text}</span> }.into_any()
        }
        None => view! { <span class="delta">"—"</span> }.into_any(),
    }
}

#[component]
pub fn Kpis(current: Totals, previous: Totals, currency: String) -> impl IntoView {
    let i18n = use_i18n();
    let lang = i18n.lang.get_untracked();
    let m = |v: i64| money::money(v, &currency, lang);
    let f = |v: Option<f64>, places| v.map_or("—".to_owned(), |v| money::ratio(v, places, lang));
    let cpc = |t: &Totals| t.cpc().map(|c| c / 10f64.powi(money::exponent(&currency) as i32));
    let cards = vec![
        (
            "ads-spend",
            m(current.spend),
            delta(i18n, Some(current.spend as f64), Some(previous.spend as f64), true).into_any(),
        ),
        (
            "ads-revenue",
            m(current.revenue),
            delta(i18n, Some(current.revenue as f64), Some(previous.revenue as f64), true).into_any(),
        ),
        ("ads-roas", f(current.roas(), 2), delta(i18n, current.roas(), previous.roas(), true).into_any()),
        (
            "ads-purchases",
            money::count(current.purchases, lang),
            delta(i18n, Some(current.purchases as f64), Some(previous.purchases as f64), true).into_any(),
        ),
        (
            "ads-impressions",
            money::count(current.impressions, lang),
            delta(i18n, Some(current.impressions as f64), Some(previous.impressions as f64), true).into_any(),
        ),
        (
            "ads-clicks",
            money::count(current.clicks, lang),
            delta(i18n, Some(current.clicks as f64), Some(previous.clicks as f64), true).into_any(),
        ),
        (
            "ads-ctr",
            current.ctr().map_or("—".into(), |c| format!("{} %", money::ratio(c, 2, lang))),
            delta(i18n, current.ctr(), previous.ctr(), true).into_any(),
        ),
        (
            "ads-cpc",
            cpc(&current).map_or("—".into(), |c| format!("{} {currency}", money::ratio(c, 2, lang))),
            delta(i18n, cpc(&current), cpc(&previous), false).into_any(),
        ),
    ];
    view! {
        <ul class="kpis" data-testid="kpis">
            {cards.into_iter().map(|(key, value, change)| view! {
                <li class="kpi">
                    <span class="kpi-label">{move || i18n.t(key)}</span>
                    <strong class="kpi-value">{value}</strong>
                    {change}
                </li>
            }).collect_view()}
        </ul>
    }
}

/// The charts as images: the browser fetches the one drawn for its screen's width.
#[component]
pub fn Charts(charts: Vec<Chart>) -> impl IntoView {
    view! {
        <div class="charts">
            {charts.into_iter().map(|c| view! {
                <figure class="chart-box" data-chart=c.id>
                    <picture>
                        <source media="(min-width: 700px)" srcset=c.large width="1200" height="300"/>
                        <img src=c.small alt=format!("{}. {}", c.title, c.desc) width="360" height="220" decoding="async"/>
                    </picture>
                </figure>
            }).collect_view()}
        </div>
    }
}

/// A budget: daily, else lifetime, else none.
pub fn budget(i18n: I18n, daily: Option<i64>, lifetime: Option<i64>, currency: &str) -> String {
    let lang = i18n.lang.get_untracked();
    match (daily, lifetime) {
        (Some(d), _) => i18n.t_args("ads-budget-daily", &[("amount", money::money(d, currency, lang))]),
        (None, Some(l)) => i18n.t_args("ads-budget-lifetime", &[("amount", money::money(l, currency, lang))]),
        (None, None) => "—".into(),
    }
}

/// Budgets and statuses for many rows, translated once (a Fluent lookup a row made a table of
/// 200 campaigns cost more to render than the rest of the page).
pub struct RowWords {
    daily: String,
    lifetime: String,
    statuses: Vec<(&'static str, String)>,
    currency: String,
    lang: crate::i18n::Lang,
}

const SLOT: &str = "\u{1}";

impl RowWords {
    pub fn new(i18n: I18n, currency: &str) -> Self {
        let keys =
            ["ads-status-active", "ads-status-paused", "ads-status-archived", "ads-status-deleted", "ads-status-other"];
        RowWords {
            daily: i18n.t_args("ads-budget-daily", &[("amount", SLOT.into())]),
            lifetime: i18n.t_args("ads-budget-lifetime", &[("amount", SLOT.into())]),
            statuses: keys.iter().map(|k| (*k, i18n.t(k))).collect(),
            currency: currency.to_owned(),
            lang: i18n.lang.get_untracked(),
        }
    }

    /// As [`budget`].
    pub fn budget(&self, daily: Option<i64>, lifetime: Option<i64>) -> String {
        let amount = |v| money::money(v, &self.currency, self.lang);
        match (daily, lifetime) {
            (Some(d), _) => self.daily.replace(SLOT, &amount(d)),
            (None, Some(l)) => self.lifetime.replace(SLOT, &amount(l)),
            (None, None) => "—".into(),
        }
    }

    pub fn status(&self, status: &str) -> String {
        let key = status_key(status);
        self.statuses.iter().find(|(k, _)| *k == key).map(|(_, t)| t.clone()).unwrap_or_default()
    }
}

/// Meta's status in words.
pub fn status_key(status: &str) -> &'static str {
    match status {
        "ACTIVE" => "ads-status-active",
        "PAUSED" => "ads-status-paused",
        "ARCHIVED" => "ads-status-archived",
        "DELETED" => "ads-status-deleted",
        _ => "ads-status-other",
    }
}
