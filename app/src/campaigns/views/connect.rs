//! Connecting an ad account: Meta's Marketing API (account id, page id, token, checked with Meta)
//! or the built-in sandbox's simulated account; and, once connected, its sync and health.

use crate::campaigns::api::{ConnectAds, ConnectAdsSandbox, DisconnectAds, SyncAds};
use crate::campaigns::model::AdAccountView;
use crate::forms::{outcome, status_line};
use crate::i18n::use_i18n;
use leptos::prelude::*;

#[component]
pub fn ConnectAccount(
    connect: ServerAction<ConnectAds>,
    sandbox: ServerAction<ConnectAdsSandbox>,
    admin: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let t = move |key: &'static str| move || i18n.t(key);
    if !admin {
        return view! { <p class="empty-state">{t("ads-none-ask-admin")}</p> }.into_any();
    }
    let last = move || {
        [outcome(connect.value().get(), "ads"), outcome(sandbox.value().get(), "ads")]
            .into_iter()
            .flatten()
            .find(|o| o.is_err())
    };
    view! {
        <p>{t("ads-none")}</p>
        <div class="connect-choices">
            <div>
                <h2>{t("ads-sandbox-title")}</h2>
                <p class="hint">{t("ads-sandbox-explained")}</p>
                <ActionForm action=sandbox>
                    <button type="submit" class="btn btn-primary" data-testid="connect-ads-sandbox">{t("ads-connect-sandbox")}</button>
                </ActionForm>
            </div>
            <div>
                <h2>{t("ads-meta-title")}</h2>
                <ActionForm action=connect>
                    <label for="ads-account">{t("ads-account-id")}</label>
                    <input id="ads-account" name="account_id" autocomplete="off" placeholder="act_1234567890" required/>
                    <label for="ads-page">{t("ads-page-id")}</label>
                    <input id="ads-page" name="page_id" inputmode="numeric" autocomplete="off" required/>
                    <label for="ads-token">{t("ads-token")}</label>
                    <input id="ads-token" name="access_token" type="password" autocomplete="off" required/>
                    <p class="hint">{t("ads-token-hint")}</p>
                    <button type="submit" class="btn">{t("ads-connect")}</button>
                </ActionForm>
            </div>
        </div>
        {move || status_line(i18n, last(), None)}
        <p class="hint">{move || (connect.pending().get() || sandbox.pending().get()).then(|| i18n.t("ads-checking"))}</p>
    }
    .into_any()
}

/// The account's name, kind, health and sync (progress while it runs; last sync time; report).
#[component]
pub fn AccountBar(
    account: AdAccountView,
    admin: bool,
    sync: ServerAction<SyncAds>,
    disconnect: ServerAction<DisconnectAds>,
) -> impl IntoView {
    let i18n = use_i18n();
    let t = move |key: &'static str| move || i18n.t(key);
    let s = account.sync.clone();
    let state_key = match s.state.as_str() {
        "running" => "ads-sync-running",
        "waiting" => "ads-sync-waiting",
        "failed" => "ads-sync-failed",
        _ => "ads-sync-idle",
    };
    let (busy, percent, state, detail) = (s.busy(), s.percent(), s.state.clone(), s.detail.clone());
    let last = s.last_sync_at.map(|ms| {
        let when = crate::text::utc_timestamp(ms.div_euclid(1000));
        i18n.t_args("ads-last-sync", &[("when", when)])
    });
    view! {
        {account.needs_reauthorisation().then(|| view! {
            <p class="reauth-banner" role="alert">{t("ads-reauthorise")}</p>
        })}
        <div class="account-bar" data-testid="ad-account">
            <div>
                <strong>{account.name.clone()}</strong>
                " "
                <span class=if account.is_sandbox() { "badge badge-sandbox" } else { "badge" }>
                    {t(if account.is_sandbox() { "ads-kind-sandbox" } else { "ads-kind-meta" })}
                </span>
                <span class="hint" dir="ltr">{format!(" act_{} · {} · {}", account.account_id, account.currency, account.timezone)}</span>
            </div>
            <div class="sync" data-state=state>
                <span>{t(state_key)}</span>
                {busy.then(|| view! {
                    <progress max="100" value=percent aria-label=t("ads-sync-progress")>{format!("{percent} %")}</progress>
                })}
                {last.map(|l| view! { <span class="hint">{l}</span> })}
                // The sync's own report (Meta's refusals, rows it could not read and why) is
                // technical text in Meta's terms; it sits behind a translated summary.
                {detail.map(|d| view! {
                    <details class="hint sync-detail">
                        <summary>{t("ads-sync-report")}</summary>
                        <span dir="ltr">{d}</span>
                    </details>
                })}
                {admin.then(|| view! {
                    <ActionForm action=sync>
                        <button type="submit" class="btn btn-ghost" disabled=busy>{t("ads-sync-now")}</button>
                    </ActionForm>
                    <ActionForm action=disconnect>
                        <button type="submit" class="btn btn-ghost">{t("ads-disconnect")}</button>
                    </ActionForm>
                })}
            </div>
        </div>
    }
}
