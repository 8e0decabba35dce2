//! Settings → WhatsApp: the connected number and its health, or the two ways to connect one —
//! Meta's Cloud API (ids and a token, checked with Meta) or the built-in sandbox.

use crate::accounts::model::Viewer;
use crate::fetch::in_request;
use crate::forms::{outcome, status_line};
use crate::i18n::use_i18n;
use crate::inbox::api::{ConnectSandbox, ConnectWhatsApp, DisconnectWhatsApp, whatsapp_connection};
use crate::inbox::model::ConnectionView;
use leptos::prelude::*;

#[component]
pub fn WhatsAppSettings() -> impl IntoView {
    let i18n = use_i18n();
    let t = move |key: &'static str| move || i18n.t(key);
    let admin = expect_context::<Viewer>().role.can_manage_members();
    let connect = ServerAction::<ConnectWhatsApp>::new();
    let sandbox = ServerAction::<ConnectSandbox>::new();
    let disconnect = ServerAction::<DisconnectWhatsApp>::new();
    let current = Resource::new(
        move || (connect.version().get(), sandbox.version().get(), disconnect.version().get()),
        |_| in_request(whatsapp_connection()),
    );
    let last = move || {
        // The newest of the three outcomes (each action keeps its own).
        [
            outcome(connect.value().get(), "whatsapp"),
            outcome(sandbox.value().get(), "whatsapp"),
            outcome(disconnect.value().get(), "whatsapp"),
        ]
        .into_iter()
        .flatten()
        .find(|o| o.is_err())
    };
    view! {
        <section class="card-section" aria-labelledby="whatsapp-title" id="whatsapp">
            <h2 id="whatsapp-title">{t("whatsapp-title")}</h2>
            <Transition>
                {move || Suspend::new(async move {
                    match current.await {
                        Ok(Some(c)) => view! { <Connected connection=c admin=admin disconnect=disconnect/> }.into_any(),
                        Ok(None) if admin => view! { <Connect connect=connect sandbox=sandbox/> }.into_any(),
                        Ok(None) => view! { <p>{i18n.t("whatsapp-none-ask-admin")}</p> }.into_any(),
                        Err(e) => view! { <p class="form-status err" role="alert">{i18n.t(&e.code)}</p> }.into_any(),
                    }
                })}
            </Transition>
            {move || status_line(i18n, last(), None)}
            <p class="hint">{move || (connect.pending().get() || sandbox.pending().get()).then(|| i18n.t("whatsapp-checking"))}</p>
        </section>
    }
}

#[component]
fn Connected(connection: ConnectionView, admin: bool, disconnect: ServerAction<DisconnectWhatsApp>) -> impl IntoView {
    let i18n = use_i18n();
    let t = move |key: &'static str| move || i18n.t(key);
    let health =
        if connection.needs_reauthorisation() { "whatsapp-status-reauthorise" } else { "whatsapp-status-connected" };
    let kind = if connection.is_sandbox() { "whatsapp-kind-sandbox" } else { "whatsapp-kind-meta" };
    view! {
        <dl class="facts" data-testid="whatsapp-connection">
            <dt>{t("whatsapp-kind")}</dt>
            <dd><span class=if connection.is_sandbox() { "badge badge-sandbox" } else { "badge" }>{t(kind)}</span></dd>
            <dt>{t("whatsapp-number")}</dt>
            <dd dir="ltr">{connection.display_phone.clone()}</dd>
            <dt>{t("whatsapp-verified-name")}</dt>
            <dd>{connection.verified_name.clone()}</dd>
            <dt>{t("whatsapp-health")}</dt>
            <dd class=if connection.needs_reauthorisation() { "health bad" } else { "health ok" }>
                {t(health)}
                {connection.quality_rating.clone().map(|q| format!(" · {q}"))}
            </dd>
        </dl>
        {connection.is_sandbox().then(|| view! { <p class="hint">{t("whatsapp-sandbox-explained")}</p> })}
        {admin.then(|| view! {
            <ActionForm action=disconnect>
                <button type="submit" class="btn btn-ghost">{t("whatsapp-disconnect")}</button>
            </ActionForm>
        })}
    }
}

#[component]
fn Connect(connect: ServerAction<ConnectWhatsApp>, sandbox: ServerAction<ConnectSandbox>) -> impl IntoView {
    let i18n = use_i18n();
    let t = move |key: &'static str| move || i18n.t(key);
    view! {
        <p>{t("whatsapp-none")}</p>
        <div class="connect-choices">
            <div>
                <h3>{t("whatsapp-sandbox-title")}</h3>
                <p class="hint">{t("whatsapp-sandbox-explained")}</p>
                <ActionForm action=sandbox>
                    <button type="submit" class="btn btn-primary" data-testid="connect-sandbox">{t("whatsapp-connect-sandbox")}</button>
                </ActionForm>
            </div>
            <div>
                <h3>{t("whatsapp-meta-title")}</h3>
                <ActionForm action=connect>
                    <label for="wa-waba">{t("whatsapp-waba-id")}</label>
                    <input id="wa-waba" name="waba_id" inputmode="numeric" autocomplete="off" required/>
                    <label for="wa-number">{t("whatsapp-phone-number-id")}</label>
                    <input id="wa-number" name="phone_number_id" inputmode="numeric" autocomplete="off" required/>
                    <label for="wa-token">{t("whatsapp-token")}</label>
                    <input id="wa-token" name="access_token" type="password" autocomplete="off" required/>
                    <p class="hint">{t("whatsapp-token-hint")}</p>
                    <button type="submit" class="btn">{t("whatsapp-connect")}</button>
                </ActionForm>
            </div>
        </div>
    }
}
