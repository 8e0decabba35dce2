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
#[cfg(feature = "ssr")]
pub mod server;
#[cfg(feature = "ssr")]
mod shell;
pub mod sync_view;
pub mod text;

#[cfg(feature = "ssr")]
pub use shell::{PUBLIC_BUNDLE, PublicBundle, PublicUrl, shell};

use leptos::prelude::*;
use leptos_meta::{Html, Stylesheet, provide_meta_context};
use leptos_router::components::{Outlet, ParentRoute, Route, Router, Routes};
use leptos_router::{MatchNestedRoutes, SsrMode, path};

/// The whole site: the public pages and the signed-in app (the app's hydration bundle).
#[component]
pub fn App() -> impl IntoView {
    frame();
    view! {
        <Stylesheet id="leptos" href="/pkg/adronx.css"/>
        <Router>
            <LangAttributes/>
            <Routes fallback=pages::NotFound>
                <PublicRoutes/>
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

/// The public pages alone (the public hydration bundle): what a marketing visitor loads holds
/// none of the signed-in app's code. A link into `/app` matches nothing here, so the fallback
/// loads it from the server, which answers with the app's bundle.
#[component]
pub fn PublicApp() -> impl IntoView {
    frame();
    view! {
        <Stylesheet id="leptos" href="/pkg/adronx.css"/>
        <Router>
            <LangAttributes/>
            <Routes fallback=pages::PublicFallback>
                <PublicRoutes/>
            </Routes>
        </Router>
    }
}

/// Whether a path belongs to the signed-in app (and so to the app's bundle).
pub fn is_app_path(path: &str) -> bool {
    path == "/app" || path.starts_with("/app/")
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

#[component(transparent)]
fn PublicRoutes() -> impl MatchNestedRoutes + Clone {
    view! {
        <Route path=path!("/") view=pages::Landing/>
        <Route path=path!("/privacy") view=pages::Privacy/>
        <Route path=path!("/terms") view=pages::Terms/>
        <Route path=path!("/login") view=pages::LoginPage/>
        <Route path=path!("/login/link") view=pages::SignInLinkPage/>
        <Route path=path!("/register") view=pages::RegisterPage/>
        <Route path=path!("/forgot-password") view=pages::ForgotPasswordPage/>
        <Route path=path!("/reset-password") view=pages::ResetPasswordPage/>
        <Route path=path!("/invite") view=pages::InvitePage/>
        <Route path=path!("/confirm") view=pages::ConfirmPage/>
        // The same public pages under a language prefix: /es, /es/privacy, /ar/terms…
        // Static segments, not a `/:lang` parameter, so `/favicon.svg` and other files
        // never match a page route.
        <ParentRoute path=path!("/en") view=Outlet>
            <Route path=path!("") view=pages::Landing/>
            <Route path=path!("privacy") view=pages::Privacy/>
            <Route path=path!("terms") view=pages::Terms/>
        </ParentRoute>
        <ParentRoute path=path!("/es") view=Outlet>
            <Route path=path!("") view=pages::Landing/>
            <Route path=path!("privacy") view=pages::Privacy/>
            <Route path=path!("terms") view=pages::Terms/>
        </ParentRoute>
        <ParentRoute path=path!("/ar") view=Outlet>
            <Route path=path!("") view=pages::Landing/>
            <Route path=path!("privacy") view=pages::Privacy/>
            <Route path=path!("terms") view=pages::Terms/>
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
