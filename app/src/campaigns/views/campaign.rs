//! `/app/campaigns/:id`: one campaign over the period — its figures against the period before,
//! its charts, and its ad sets with their ads and creatives.

use super::parts::{Charts, Kpis, PeriodPicker, budget, status_key};
use crate::campaigns::api::get_campaign;
use crate::campaigns::model::{AdSetView, CampaignDetail};
use crate::campaigns::money;
use crate::fetch::in_request;
use crate::i18n::use_i18n;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn CampaignPage() -> impl IntoView {
    let i18n = use_i18n();
    let t = move |key: &'static str| move || i18n.t(key);
    let params = use_params_map();
    let query = use_query_map();
    let param = move |name: &'static str| move || query.with(|q| q.get(name).filter(|v| !v.is_empty()));
    let (range, from, to) = (param("range"), param("from"), param("to"));
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let detail = Resource::new(
        move || (id(), range(), from(), to(), i18n.lang.get().code()),
        |(id, range, from, to, lang)| in_request(get_campaign(id, range, from, to, Some(lang.into()))),
    );
    view! {
        <section class="campaign">
            <p><a href="/app/campaigns">{t("ads-back")}</a></p>
            <Transition fallback=move || view! { <p>{t("loading")}</p> }>
                {move || Suspend::new(async move {
                    match detail.await {
                        Ok(d) => view! { <Detail detail=d path=format!("/app/campaigns/{}", id())/> }.into_any(),
                        Err(e) => view! { <p class="form-status err" role="alert">{i18n.t(&e.code)}</p> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn Detail(detail: CampaignDetail, path: String) -> impl IntoView {
    let i18n = use_i18n();
    let t = move |key: &'static str| move || i18n.t(key);
    let CampaignDetail { currency, period, campaign, previous, charts, ad_sets } = detail;
    let status = campaign.status.clone();
    view! {
        <h1>{campaign.name.clone()}</h1>
        <p class="facts-line">
            <span>{move || i18n.t(status_key(&status))}</span>
            " · "
            <span>{budget(i18n, campaign.daily_budget, campaign.lifetime_budget, &currency)}</span>
            " · "
            <span dir="ltr">{campaign.objective.clone()}</span>
        </p>
        <p class="facts-line" data-testid="conversations">
            <strong>{t("ads-conversations")}": "</strong>
            {super::dashboard::conversations_detail(i18n, &campaign.conversations, &currency)}
        </p>
        <PeriodPicker action=path period=period/>
        <Kpis current=campaign.totals.clone() previous=previous currency=currency.clone()/>
        <Charts charts=charts/>
        <h2>{t("ads-ad-sets")}</h2>
        {ad_sets.into_iter().map(|s| view! { <AdSet set=s currency=currency.clone()/> }).collect_view()}
    }
}

#[component]
fn AdSet(set: AdSetView, currency: String) -> impl IntoView {
    let i18n = use_i18n();
    let lang = i18n.lang.get_untracked();
    let status = set.status.clone();
    view! {
        <article class="ad-set">
            <h3>{set.name.clone()}</h3>
            <p class="facts-line">
                <span>{move || i18n.t(status_key(&status))}</span>
                " · "
                <span>{move || i18n.t("ads-spend")}": "{money::money(set.totals.spend, &currency, lang)}</span>
                " · "
                <span>{move || i18n.t("ads-revenue")}": "{money::money(set.totals.revenue, &currency, lang)}</span>
            </p>
            <ul class="ads">
                {set.ads.into_iter().map(|ad| view! {
                    <li class="ad">
                        {ad.image_url.clone().map(|src| view! { <img src=src alt="" width="64" height="64" loading="lazy"/> })}
                        <div>
                            <strong>{ad.title.clone().unwrap_or(ad.name.clone())}</strong>
                            {ad.body.clone().map(|b| view! { <p>{b}</p> })}
                            {ad.call_to_action.clone().map(|c| view! { <span class="badge" dir="ltr">{c}</span> })}
                        </div>
                    </li>
                }).collect_view()}
            </ul>
        </article>
    }
}
