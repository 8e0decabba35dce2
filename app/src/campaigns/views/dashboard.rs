//! `/app/campaigns`: the ad account's dashboard. The period and the table's order live in the URL
//! (`range`, `from`, `to`, `sort`), so every view is a link and works before hydration. While a
//! sync runs the page reads it again every two seconds, so its progress bar moves and the
//! figures appear when it ends.

use super::connect::{AccountBar, ConnectAccount};
use super::parts::{Charts, Kpis, PeriodPicker, RowWords};
use crate::accounts::model::Viewer;
use crate::campaigns::api::{ConnectAds, ConnectAdsSandbox, DisconnectAds, SyncAds, campaign_dashboard};
use crate::campaigns::model::{CampaignRow, Dashboard};
use crate::campaigns::money;
use crate::fetch::in_request;
use crate::forms::{outcome, status_line};
use crate::i18n::use_i18n;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn CampaignsPage() -> impl IntoView {
    let i18n = use_i18n();
    let t = move |key: &'static str| move || i18n.t(key);
    let admin = expect_context::<Viewer>().role.can_manage_members();
    let query = use_query_map();
    let param = move |name: &'static str| move || query.with(|q| q.get(name).filter(|v| !v.is_empty()));
    let (range, from, to, sort) = (param("range"), param("from"), param("to"), param("sort"));
    let connect = ServerAction::<ConnectAds>::new();
    let sandbox = ServerAction::<ConnectAdsSandbox>::new();
    let sync = ServerAction::<SyncAds>::new();
    let disconnect = ServerAction::<DisconnectAds>::new();
    let tick = RwSignal::new(0u32);
    let dashboard = Resource::new(
        move || {
            let versions =
                (connect.version().get(), sandbox.version().get(), sync.version().get(), disconnect.version().get());
            (range(), from(), to(), sort(), i18n.lang.get().code(), versions, tick.get())
        },
        |(range, from, to, sort, lang, ..)| in_request(campaign_dashboard(range, from, to, sort, Some(lang.into()))),
    );
    Effect::new(move |_| {
        let busy = dashboard.get().and_then(|r| r.ok()).and_then(|d| d.account).is_some_and(|a| a.sync.busy());
        if busy {
            set_timeout(move || tick.update(|t| *t += 1), std::time::Duration::from_secs(2));
        }
    });
    view! {
        <section class="campaigns">
            <h1>{t("app-nav-campaigns")}</h1>
            <Transition fallback=move || view! { <p>{t("loading")}</p> }>
                {move || Suspend::new(async move {
                    match dashboard.await {
                        Ok(Dashboard { account: None, .. }) => {
                            view! { <ConnectAccount connect=connect sandbox=sandbox admin=admin/> }.into_any()
                        }
                        Ok(d) => view! { <Figures dashboard=d admin=admin sync=sync disconnect=disconnect/> }.into_any(),
                        Err(e) => view! { <p class="form-status err" role="alert">{i18n.t(&e.code)}</p> }.into_any(),
                    }
                })}
            </Transition>
            {move || status_line(i18n, outcome(sync.value().get(), "ads-sync"), None)}
        </section>
    }
}

#[component]
fn Figures(
    dashboard: Dashboard,
    admin: bool,
    sync: ServerAction<SyncAds>,
    disconnect: ServerAction<DisconnectAds>,
) -> impl IntoView {
    let i18n = use_i18n();
    let t = move |key: &'static str| move || i18n.t(key);
    let Dashboard { account, currency, period, current, previous, campaigns, charts } = dashboard;
    let account = account.unwrap_or_else(|| unreachable!("Figures is shown for a connected account"));
    let empty = campaigns.is_empty();
    view! {
        <AccountBar account=account admin=admin sync=sync disconnect=disconnect/>
        <p><a href="/app/campaigns/optimiser" class="btn btn-ghost" data-testid="to-optimiser">{t("budget-title")}</a></p>
        <PeriodPicker action="/app/campaigns".into() period=period.clone()/>
        <h2 class="visually-hidden">{t("ads-overview")}</h2>
        <Kpis current=current previous=previous currency=currency.clone()/>
        <Charts charts=charts/>
        {if empty {
            view! { <p class="empty-state">{t("ads-no-campaigns")}</p> }.into_any()
        } else {
            view! { <CampaignTable rows=campaigns currency=currency/> }.into_any()
        }}
    }
}

/// "3 started · 2 answered · 1 resolved · 1 order · 1,250.00 MXN".
pub fn conversations_detail(
    i18n: crate::i18n::I18n,
    c: &crate::campaigns::model::Conversations,
    currency: &str,
) -> String {
    let lang = i18n.lang.get_untracked();
    let n = |v: i64| money::count(v, lang);
    i18n.t_args(
        "ads-conversations-detail",
        &[
            ("started", n(c.started)),
            ("replied", n(c.replied)),
            ("resolved", n(c.resolved)),
            ("orders", n(c.orders)),
            ("revenue", money::money(c.revenue, currency, lang)),
        ],
    )
}

/// A sortable column header: a link to the same view in another order.
fn sort_link(key: &'static str, label: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let href = move || {
        let mut params = query.get_untracked();
        params.replace("sort", key.to_owned());
        format!("/app/campaigns{}", params.to_query_string())
    };
    let current = move || query.with(|q| q.get("sort").unwrap_or_else(|| "spend".into())) == key;
    view! {
        <th scope="col" aria-sort=move || if current() { "descending" } else { "none" }>
            <a href=href>{move || i18n.t(label)}</a>
        </th>
    }
}

#[component]
fn CampaignTable(rows: Vec<CampaignRow>, currency: String) -> impl IntoView {
    let i18n = use_i18n();
    let lang = i18n.lang.get_untracked();
    let words = RowWords::new(i18n, &currency);
    view! {
        <div class="table-scroll">
            <table class="campaigns-table">
                <thead>
                    <tr>
                        {sort_link("name", "ads-campaign")}
                        {sort_link("status", "ads-status")}
                        <th scope="col">{move || i18n.t("ads-budget")}</th>
                        {sort_link("spend", "ads-spend")}
                        {sort_link("revenue", "ads-revenue")}
                        {sort_link("roas", "ads-roas")}
                        {sort_link("conversations", "ads-conversations")}
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|r| {
                        let roas = r.totals.roas().map_or("—".into(), |v| money::ratio(v, 2, lang));
                        let started = money::count(r.conversations.started, lang);
                        view! {
                            <tr>
                                <td><a href=format!("/app/campaigns/{}", r.id)>{r.name.clone()}</a></td>
                                <td>{words.status(&r.status)}</td>
                                <td>{words.budget(r.daily_budget, r.lifetime_budget)}</td>
                                <td class="num">{money::money(r.totals.spend, &currency, lang)}</td>
                                <td class="num">{money::money(r.totals.revenue, &currency, lang)}</td>
                                <td class="num">{roas}</td>
                                <td class="num">{started}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
