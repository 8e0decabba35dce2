//! The signed-in app: a shell with navigation and the active organisation, rendered on the server
//! from the session cookie (no flash of signed-out content). Anonymous visitors go to
//! `/login?next=…`. The sections are filled by later features; until then each says so plainly.

use super::PageMeta;
use crate::accounts::api::{SignOut, SwitchOrg};
use crate::accounts::client;
use crate::accounts::model::Viewer;
use crate::i18n::use_i18n;
use crate::inbox::model::InboxSummary;
use leptos::prelude::*;
use leptos_router::components::{Outlet, Redirect};
use leptos_router::hooks::{use_location, use_navigate};

const SECTIONS: [(&str, &str); 5] = [
    ("/app/inbox", "app-nav-inbox"),
    ("/app/contacts", "app-nav-contacts"),
    ("/app/campaigns", "app-nav-campaigns"),
    ("/app/analytics", "app-nav-analytics"),
    ("/app/settings", "app-nav-settings"),
];

#[component]
pub fn AppShell() -> impl IntoView {
    let frame = SharedValue::new(AppFrame::of_request).into_inner();
    let location = use_location();
    view! {
        <PageMeta title="meta-app-title"/>
        {match frame {
            AppFrame::SignedIn(viewer, summary) => view! { <SignedIn viewer summary/> }.into_any(),
            AppFrame::SignedOut => {
                let next = location.pathname.get_untracked();
                view! { <Redirect path=format!("/login?next={next}")/> }.into_any()
            }
            AppFrame::Elsewhere => ().into_any(),
        }}
    }
}

/// What frames every app page: who is signed in, the inbox's unread count (navigation) and the
/// connection's health (banner).
///
/// The server loads it before it renders an app page (`server/src/http/preload.rs` puts it on the
/// request) and sends it with the page (`SharedValue`), so the frame renders synchronously. Loaded
/// by resources in a `Suspense`, the frame and the page inside it were built twice on the server
/// (the boundary calls its children once to find their resources and again to render, and the
/// resources were in by then), and so were every page's own queries.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum AppFrame {
    SignedIn(Viewer, InboxSummary),
    /// No live session, or a request from another site: the page sends the visitor to sign in.
    SignedOut,
    /// In the browser outside hydration (the router came here from a page without the frame): the
    /// page is loaded from the server instead.
    Elsewhere,
}

impl AppFrame {
    fn of_request() -> AppFrame {
        #[cfg(feature = "ssr")]
        {
            let parts = use_context::<http::request::Parts>();
            parts.and_then(|parts| parts.extensions.get::<AppFrame>().cloned()).unwrap_or(AppFrame::SignedOut)
        }
        #[cfg(not(feature = "ssr"))]
        {
            if let Ok(address) = window().location().href() {
                super::misc::load_page(&address);
            }
            AppFrame::Elsewhere
        }
    }
}

#[component]
fn SignedIn(viewer: Viewer, summary: InboxSummary) -> impl IntoView {
    let i18n = use_i18n();
    let t = move |key: &'static str| move || i18n.t(key);
    let location = use_location();
    let sign_out = ServerAction::<SignOut>::new();
    // In the browser: keep the access token fresh; an ended session goes back to sign-in.
    Effect::new(move |_| client::keep_fresh(|| use_navigate()("/login", Default::default())));
    Effect::new(move |_| {
        if let Some(Ok(())) = sign_out.value().get() {
            client::clear_session();
            use_navigate()("/login", Default::default());
        }
    });
    provide_context(viewer.clone());
    let name = format!("{} {}", viewer.first_name, viewer.last_name);
    view! {
        <a class="skip-link" href="#app-main" rel="external">{t("skip-to-content")}</a>
        <div class="app">
            <header class="app-header">
                <a class="brand" href="/app">{t("site-name")}</a>
                <p class="app-org">
                    <strong>{viewer.org_name.clone()}</strong>
                    " · "
                    <span>{move || i18n.t(viewer.role.key())}</span>
                </p>
                <OrgSwitcher viewer=viewer.clone()/>
                <p class="app-user">{name}</p>
                <ActionForm action=sign_out>
                    <button type="submit" class="btn btn-ghost">{t("app-sign-out")}</button>
                </ActionForm>
            </header>
            <nav class="app-nav" aria-label=t("app-nav-label")>
                <ul>
                    {SECTIONS.into_iter().map(|(href, key)| view! {
                        <li>
                            <a href=href aria-current=move || location.pathname.get().starts_with(href).then_some("page")>
                                {t(key)}
                                {(href == "/app/inbox" && summary.unread > 0).then(|| {
                                    let unread = summary.unread;
                                    view! {
                                        <span class="unread" aria-label=move || i18n.t_args("inbox-unread", &[("count", unread.to_string())])>{unread}</span>
                                    }
                                })}
                            </a>
                        </li>
                    }).collect_view()}
                </ul>
            </nav>
            <main id="app-main" class="app-main" tabindex="-1">
                // While Meta rejects the token nothing can be sent: every page says so.
                {summary.reauthorise.then(|| view! {
                    <p class="reauth-banner" role="alert">
                        {t("whatsapp-banner-reauthorise")} " "
                        <a href="/app/settings#whatsapp">{t("whatsapp-banner-fix")}</a>
                    </p>
                })}
                <Outlet/>
            </main>
        </div>
    }
}

/// Agencies belong to several organisations: choose the active one (a new session in it).
#[component]
fn OrgSwitcher(viewer: Viewer) -> impl IntoView {
    let i18n = use_i18n();
    let switch = ServerAction::<SwitchOrg>::new();
    Effect::new(move |_| {
        if let Some(Ok(grant)) = switch.value().get() {
            client::store_grant(&grant);
            // A full load, so every part of the app re-reads the new organisation.
            let _ = window().location().set_href("/app");
        }
    });
    (viewer.orgs.len() > 1).then(|| {
        let current = viewer.org_id.clone();
        view! {
            <ActionForm action=switch attr:class="inline-form org-switcher">
                <label for="org-switch" class="visually-hidden">{move || i18n.t("app-switch-org")}</label>
                <select id="org-switch" name="org_id">
                    {viewer.orgs.iter().map(|(id, name, _)| view! {
                        <option value=id.clone() selected=*id == current>{name.clone()}</option>
                    }).collect_view()}
                </select>
                <button type="submit" class="btn btn-ghost">{move || i18n.t("app-switch-submit")}</button>
            </ActionForm>
        }
    })
}
