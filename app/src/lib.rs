//! Adronx's user interface: pages, components, shared types and server-function declarations.
//! Built twice: with `ssr` into the server binary, with `hydrate` into the browser's wasm.

pub mod accounts;
pub mod contact;
pub mod error;
pub mod i18n;
pub mod ids;
mod layout;
mod pages;
#[cfg(feature = "ssr")]
pub mod ports;
#[cfg(feature = "ssr")]
mod shell;
#[cfg(feature = "ssr")]
pub mod ssr;
#[cfg(test)]
mod translations_test;

#[cfg(feature = "ssr")]
pub use shell::{PublicUrl, shell};

use leptos::prelude::*;
use leptos_meta::{Html, Stylesheet, provide_meta_context};
use leptos_router::components::{Outlet, ParentRoute, Route, Router, Routes};
use leptos_router::path;

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // Effects run only in the browser, after hydration: the mark lets tests (and CSS) know the
    // page is interactive.
    Effect::new(|_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
    view! {
        <Stylesheet id="leptos" href="/pkg/adronx.css"/>
        <Router>
            <LangAttributes/>
            <Routes fallback=pages::NotFound>
                <Route path=path!("/") view=pages::Landing/>
                <Route path=path!("/privacy") view=pages::Privacy/>
                <Route path=path!("/terms") view=pages::Terms/>
                <Route path=path!("/login") view=pages::AccountsSoon/>
                <Route path=path!("/register") view=pages::AccountsSoon/>
                // The same public pages under a language prefix: /es, /es/privacy, /ar/terms…
                <ParentRoute path=path!("/:lang") view=LangPrefix>
                    <Route path=path!("") view=pages::Landing/>
                    <Route path=path!("privacy") view=pages::Privacy/>
                    <Route path=path!("terms") view=pages::Terms/>
                </ParentRoute>
            </Routes>
        </Router>
    }
}

/// Provides the page language (inside the router, which it reads) and sets `<html lang dir>`.
#[component]
fn LangAttributes() -> impl IntoView {
    let i18n = i18n::provide_i18n();
    view! { <Html {..} lang=move || i18n.lang.get().code() dir=move || i18n.lang.get().dir()/> }
}

/// Renders its child only for a supported language code; `/xx/...` is a 404.
#[component]
fn LangPrefix() -> impl IntoView {
    let params = leptos_router::hooks::use_params_map();
    move || match params.with(|p| p.get("lang")).as_deref().and_then(i18n::Lang::from_code) {
        Some(_) => Outlet().into_any(),
        None => pages::NotFound().into_any(),
    }
}
