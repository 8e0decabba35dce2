//! The HTML document around the app, rendered only on the server: security headers that depend on
//! the response (the CSP nonce), the stored-language redirect script, and crawler alternates.

use crate::App;
use crate::i18n::{CHOICE_SCRIPT, Lang, localized_path, strip_lang_prefix};
use leptos::nonce::use_nonce;
use leptos::prelude::*;
use leptos_meta::MetaTags;

/// The site's public origin (e.g. `https://app.adronx.com`), provided by the server.
#[derive(Clone, Debug)]
pub struct PublicUrl(pub String);

pub fn shell(options: LeptosOptions) -> impl IntoView {
    let nonce = use_nonce();
    if let (Some(nonce), Some(res)) = (&nonce, use_context::<leptos_axum::ResponseOptions>()) {
        let csp = content_security_policy(nonce);
        res.insert_header(http::header::CONTENT_SECURITY_POLICY, csp.parse().expect("ascii CSP"));
    }
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <script nonce=nonce inner_html=CHOICE_SCRIPT></script>
                {alternates()}
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
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
fn alternates() -> impl IntoView {
    let base = use_context::<PublicUrl>().map(|u| u.0).unwrap_or_default();
    let path = use_context::<http::request::Parts>().map(|p| p.uri.path().to_owned()).unwrap_or_default();
    let bare = strip_lang_prefix(&path).to_owned();
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
