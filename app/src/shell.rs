//! The HTML document around the app, rendered only on the server: security headers that depend on
//! the response (the CSP nonce), the stored-language redirect script, and crawler alternates.

use crate::i18n::{
    CHOICE_SCRIPT, Lang, STRINGS_META, localized_path, negotiated_lang, strings_url, strings_version, strip_lang_prefix,
};
use crate::{AccountApp, App, Bundle, PublicApp};
use leptos::nonce::use_nonce;
use leptos::prelude::*;
use leptos_meta::MetaTags;

/// Whether the build holds the public site's and the account pages' own bundles
/// (`pkg/public.wasm`, `pkg/account.wasm`), provided by the server. Without them (a development
/// build by cargo-leptos alone) every page loads the app's.
#[derive(Clone, Copy, Debug)]
pub struct SplitBundles(pub bool);

/// The site's public origin (e.g. `https://app.adronx.com`), provided by the server.
#[derive(Clone, Debug)]
pub struct PublicUrl(pub String);

pub fn shell(mut options: LeptosOptions) -> impl IntoView {
    let nonce = use_nonce();
    if let (Some(nonce), Some(res)) = (&nonce, use_context::<leptos_axum::ResponseOptions>()) {
        let csp = content_security_policy(nonce);
        res.insert_header(http::header::CONTENT_SECURITY_POLICY, csp.parse().expect("ascii CSP"));
    }
    let path = use_context::<http::request::Parts>().map(|p| p.uri.path().to_owned()).unwrap_or_default();
    // A page is rendered by, and hydrates into, the root of its own bundle.
    let split = use_context::<SplitBundles>().is_some_and(|b| b.0);
    let bundle = if split { Bundle::for_path(&path) } else { Bundle::App };
    options.output_name = bundle.output_name().into();
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <script nonce=nonce inner_html=CHOICE_SCRIPT></script>
                {alternates(&path)}
                {strings(&path)}
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>{match bundle {
                Bundle::Public => view! { <PublicApp/> }.into_any(),
                Bundle::Account => view! { <AccountApp/> }.into_any(),
                Bundle::App => view! { <App/> }.into_any(),
            }}</body>
        </html>
    }
}

/// The version of the strings this server renders with, and a preload of the page language's
/// file, which the wasm fetches before it hydrates (so the download starts with the wasm's).
fn strings(path: &str) -> impl IntoView + use<> {
    let lang = Lang::from_path(path).unwrap_or_else(negotiated_lang);
    let version = strings_version();
    view! {
        <meta name=STRINGS_META content=version/>
        <link rel="preload" href=strings_url(lang, version) r#as="fetch" crossorigin="anonymous"/>
    }
}

/// Scripts only from our origin or with this response's nonce; wasm compilation allowed; no
/// inline styles, frames, plugins or foreign form targets.
pub fn content_security_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; \
         form-action 'self'; frame-ancestors 'none'"
    )
}

/// `<link rel="alternate" hreflang>` for each language, plus `x-default` for the negotiated URL.
fn alternates(path: &str) -> impl IntoView + use<> {
    let base = use_context::<PublicUrl>().map(|u| u.0).unwrap_or_default();
    let bare = strip_lang_prefix(path).to_owned();
    let mut links: Vec<_> = Lang::ALL
        .into_iter()
        .map(|lang| {
            let href = format!("{base}{}", localized_path(lang, &bare));
            view! { <link rel="alternate" hreflang=lang.code() href=href/> }
        })
        .collect();
    links.push(view! { <link rel="alternate" hreflang="x-default" href=format!("{base}{bare}")/> });
    links
}
