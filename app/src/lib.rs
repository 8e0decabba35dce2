//! Adronx's user interface: pages, components, shared types and server-function declarations.
//! Built twice: with `ssr` into the server binary, with `hydrate` into the browser's wasm.

pub mod accounts;
pub mod budgets;
pub mod campaigns;
pub mod contacts;
pub mod enquiries;
pub mod error;
pub mod fetch;
mod forms;
pub mod i18n;
pub mod ids;
pub mod inbox;
mod layout;
mod pages;
pub mod post_form;
#[cfg(feature = "ssr")]
pub mod server;
#[cfg(feature = "ssr")]
mod shell;
pub mod sync_view;
pub mod text;

#[cfg(feature = "ssr")]
pub use pages::{AppFrame, InvitationPage};
#[cfg(feature = "ssr")]
pub use shell::{PublicUrl, SplitBundles, shell};

use leptos::prelude::*;
use leptos_meta::{Html, Stylesheet, provide_meta_context};
use leptos_router::components::{Outlet, ParentRoute, Route, Router, Routes};
use leptos_router::{MatchNestedRoutes, SsrMode, path};
use sync_view::{SyncView, sync};

/// The whole site: the public pages and the signed-in app (the app's hydration bundle).
#[component]
pub fn App() -> impl IntoView {
    frame();
    view! {
        <Stylesheet id="leptos" href="/pkg/adronx.css"/>
        <Router>
            <LangAttributes/>
            <Routes fallback=pages::NotFound>
                <SiteRoutes/>
                <AccountRoutes/>
                // Signed-in pages wait for the session before sending anything (Async), so an
                // anonymous visitor gets a real redirect and a signed-in one a complete page.
                <ParentRoute path=path!("/app") view=pages::AppShell ssr=SsrMode::Async>
                    <Route path=path!("") view=inbox::views::InboxPage/>
                    <Route path=path!("inbox") view=inbox::views::InboxPage/>
                    <Route path=path!("contacts") view=contacts::views::ContactList/>
                    <Route path=path!("contacts/import") view=contacts::views::ImportStart/>
                    <Route path=path!("contacts/import/:id") view=contacts::views::ImportWizard/>
                    <Route path=path!("contacts/:id") view=contacts::views::ContactDetail/>
                    <Route path=path!("campaigns") view=campaigns::views::CampaignsPage/>
                    <Route path=path!("campaigns/optimiser") view=budgets::views::OptimiserPage/>
                    <Route path=path!("campaigns/:id") view=campaigns::views::CampaignPage/>
                    <Route path=path!("analytics") view=campaigns::views::AnalyticsPage/>
                    <Route path=path!("settings") view=accounts::views::Settings/>
                </ParentRoute>
            </Routes>
        </Router>
    }
}

/// The public site alone (the public bundle, what `/` loads): landing, legal pages, not found.
/// A link to a page of another bundle matches nothing here, so the fallback loads it from the
/// server, which answers with that page's bundle.
#[component]
pub fn PublicApp() -> impl IntoView {
    frame();
    provide_context(Bundle::Public);
    view! {
        <Stylesheet id="leptos" href="/pkg/adronx.css"/>
        // (SyncView: see sync_view.rs; the router makes an AnyView of its children.)
        <Router><SyncView>
            <LangAttributes/>
            <Routes fallback=pages::BundleFallback>
                <SiteRoutes/>
            </Routes>
        </SyncView></Router>
    }
}

/// The account pages alone (the account bundle): sign-in, registration, passwords, invitation.
#[component]
pub fn AccountApp() -> impl IntoView {
    frame();
    provide_context(Bundle::Account);
    view! {
        <Stylesheet id="leptos" href="/pkg/adronx.css"/>
        <Router><SyncView>
            <LangAttributes/>
            <Routes fallback=pages::BundleFallback>
                <AccountRoutes/>
            </Routes>
        </SyncView></Router>
    }
}

/// The hydration bundles, each holding only its pages' code (see docs/ARCHITECTURE.md).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bundle {
    /// `pkg/public.*`: the marketing site (landing, privacy, terms) and any unknown path.
    Public,
    /// `pkg/account.*`: signing in and up, passwords, invitations.
    Account,
    /// `pkg/adronx.*`: the signed-in app (and every page, in a build without the split bundles).
    App,
}

/// The account pages' paths (`AccountRoutes`).
const ACCOUNT_PATHS: [&str; 7] =
    ["/login", "/login/link", "/register", "/forgot-password", "/reset-password", "/invite", "/confirm"];

impl Bundle {
    /// The bundle whose code renders `path`.
    pub fn for_path(path: &str) -> Self {
        let path = if path.len() > 1 { path.trim_end_matches('/') } else { path };
        if path == "/app" || path.starts_with("/app/") {
            Self::App
        } else if ACCOUNT_PATHS.contains(&path) {
            Self::Account
        } else {
            Self::Public
        }
    }

    /// Its files' name under `pkg/`.
    pub fn output_name(self) -> &'static str {
        match self {
            Self::Public => "public",
            Self::Account => "account",
            Self::App => "adronx",
        }
    }
}

/// What both roots set up first.
fn frame() {
    provide_meta_context();
    // Effects run only in the browser, after hydration: the mark lets tests (and CSS) know the
    // page is interactive.
    Effect::new(|_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
}

/// The account pages (`Bundle::Account`; keep `ACCOUNT_PATHS` in step).
#[component(transparent)]
fn AccountRoutes() -> impl MatchNestedRoutes + Clone {
    view! {
        <Route path=path!("/login") view=sync(pages::LoginPage)/>
        <Route path=path!("/login/link") view=sync(pages::SignInLinkPage)/>
        <Route path=path!("/register") view=sync(pages::RegisterPage)/>
        <Route path=path!("/forgot-password") view=sync(pages::ForgotPasswordPage)/>
        <Route path=path!("/reset-password") view=sync(pages::ResetPasswordPage)/>
        <Route path=path!("/invite") view=sync(pages::InvitePage)/>
        <Route path=path!("/confirm") view=sync(pages::ConfirmPage)/>
    }
    .into_inner()
}

/// The marketing site (`Bundle::Public`).
#[component(transparent)]
fn SiteRoutes() -> impl MatchNestedRoutes + Clone {
    view! {
        <Route path=path!("/") view=sync(pages::Landing)/>
        <Route path=path!("/privacy") view=sync(pages::Privacy)/>
        <Route path=path!("/terms") view=sync(pages::Terms)/>
        // The same public pages under a language prefix: /es, /es/privacy, /ar/terms…
        // Static segments, not a `/:lang` parameter, so `/favicon.svg` and other files
        // never match a page route.
        <ParentRoute path=path!("/en") view=Outlet>
            <Route path=path!("") view=sync(pages::Landing)/>
            <Route path=path!("privacy") view=sync(pages::Privacy)/>
            <Route path=path!("terms") view=sync(pages::Terms)/>
        </ParentRoute>
        <ParentRoute path=path!("/es") view=Outlet>
            <Route path=path!("") view=sync(pages::Landing)/>
            <Route path=path!("privacy") view=sync(pages::Privacy)/>
            <Route path=path!("terms") view=sync(pages::Terms)/>
        </ParentRoute>
        <ParentRoute path=path!("/ar") view=Outlet>
            <Route path=path!("") view=sync(pages::Landing)/>
            <Route path=path!("privacy") view=sync(pages::Privacy)/>
            <Route path=path!("terms") view=sync(pages::Terms)/>
        </ParentRoute>
    }
    .into_inner()
}

/// Provides the page language (inside the router, which it reads) and sets `<html lang dir>`.
#[component]
fn LangAttributes() -> impl IntoView {
    let i18n = i18n::provide_i18n();
    view! { <Html {..} lang=i18n.settled(i18n::Lang::code) dir=i18n.settled(i18n::Lang::dir)/> }
}

#[cfg(test)]
mod tests {
    use super::Bundle;

    #[test]
    fn each_path_belongs_to_one_bundle() {
        for path in ["/", "/privacy", "/es", "/ar/terms", "/nope", "/application", "/login/other"] {
            assert_eq!(Bundle::for_path(path), Bundle::Public, "{path}");
        }
        for path in ["/login", "/login/", "/login/link", "/register", "/invite", "/confirm", "/reset-password"] {
            assert_eq!(Bundle::for_path(path), Bundle::Account, "{path}");
        }
        for path in ["/app", "/app/", "/app/inbox", "/app/contacts/42"] {
            assert_eq!(Bundle::for_path(path), Bundle::App, "{path}");
        }
    }
}
