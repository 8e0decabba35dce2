//! The sandbox's clock on the optimiser page: a sandbox ad account can live days in seconds — each
//! day's sync and budget job, then its clock one day on — so a new user watches the optimiser work
//! day after day. Shown only for sandbox accounts; admins start it (a plain post works before
//! hydration), and the page follows it while it runs.

use crate::campaigns::api::SimulateDays;
use crate::campaigns::model::AdAccountView;
use crate::forms::{outcome, status_line};
use crate::i18n::use_i18n;
use leptos::prelude::*;

#[component]
pub fn SandboxClock(account: AdAccountView, admin: bool, simulate: ServerAction<SimulateDays>) -> impl IntoView {
    let i18n = use_i18n();
    let t = move |key: &'static str| move || i18n.t(key);
    let (days, left) = (account.clock_days, account.clock_left);
    let n = move |v: i64| crate::campaigns::money::count(v, i18n.lang.get_untracked());
    let state = match (left, days) {
        (1.., _) => i18n.t_args("simulate-running", &[("left", n(left)), ("days", n(days))]),
        (_, 1..) => i18n.t_args("simulate-ahead", &[("days", n(days))]),
        _ => i18n.t("simulate-on-time"),
    };
    view! {
        <div class="sandbox-clock" id="simulate" data-testid="sandbox-clock" data-days=days data-left=left>
            <h2>{t("simulate-title")}</h2>
            <p class="hint">{t("simulate-intro")}</p>
            <p role="status"><strong>{state}</strong></p>
            {(admin && left > 0).then(|| view! {
                <ActionForm action=simulate>
                    <input type="hidden" name="days" value="0"/>
                    <button type="submit" class="btn" data-testid="simulate-stop">{t("simulate-stop")}</button>
                </ActionForm>
            })}
            {(admin && left == 0).then(|| view! {
                <ActionForm action=simulate>
                    <label for="simulate-days">{t("simulate-days")}</label>
                    " "
                    <input id="simulate-days" name="days" type="number" min="1" max="90" value="30" required/>
                    " "
                    <button type="submit" class="btn" data-testid="simulate">{t("simulate-run")}</button>
                </ActionForm>
            })}
            {move || status_line(i18n, outcome(simulate.value().get(), "simulate"), Some("simulate-started"))}
        </div>
    }
}
