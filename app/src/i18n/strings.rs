//! The browser's strings. The wasm carries no translations: before hydrating, the page language's
//! Fluent file is fetched from the server (which compiled the very same files into its own
//! rendering, so hydration sees the text the server wrote), and a switch to another language
//! fetches that one first, then shows it without a reload.

use super::{Bundle, Lang, bundle_of, strings_url};
use leptos::prelude::*;
use std::sync::OnceLock;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Each language's bundle, once fetched (the browser runs one thread; `OnceLock` keeps it safe
/// without one).
pub(super) static LOADED: [OnceLock<Bundle>; 3] = [const { OnceLock::new() }; 3];

/// The language the server rendered the page in, read back from `<html lang>`.
pub fn page_lang() -> Lang {
    let lang = document().document_element().and_then(|el| el.get_attribute("lang"));
    lang.as_deref().and_then(Lang::from_code).unwrap_or_default()
}

/// The version of the strings the server was built with, from `<meta name="adronx-strings">`.
fn version() -> String {
    let meta = document().query_selector(&format!("meta[name={}]", super::STRINGS_META)).ok().flatten();
    meta.and_then(|m| m.get_attribute("content")).unwrap_or_default()
}

/// Fetches and parses `lang`'s strings, once. False when they could not be had (offline, a
/// server error): the caller then leaves the page as the server rendered it.
pub async fn load(lang: Lang) -> bool {
    let slot = &LOADED[lang.index()];
    if slot.get().is_some() {
        return true;
    }
    let Some(source) = fetch_text(&strings_url(lang, &version())).await else { return false };
    match bundle_of(lang, source) {
        Ok(bundle) => {
            let _ = slot.set(bundle);
            true
        }
        Err(error) => {
            leptos::logging::error!("the {} strings do not parse: {error}", lang.code());
            false
        }
    }
}

async fn fetch_text(url: &str) -> Option<String> {
    let response = JsFuture::from(window().fetch_with_str(url)).await.ok()?;
    let response: web_sys::Response = response.dyn_into().ok()?;
    if !response.ok() {
        return None;
    }
    JsFuture::from(response.text().ok()?).await.ok()?.as_string()
}

/// The language the page shows: it follows `wanted` (the URL's) as soon as that language's
/// strings are in, so a switch never shows a key. If they cannot be fetched, the page is loaded
/// anew from the server, which renders it in that language by itself.
pub(super) fn follow(wanted: Memo<Lang>) -> Memo<Lang> {
    let shown = RwSignal::new(wanted.get_untracked());
    Effect::new(move |_| {
        let lang = wanted.get();
        if LOADED[lang.index()].get().is_some() {
            shown.set(lang);
            return;
        }
        leptos::task::spawn_local(async move {
            if !load(lang).await {
                let _ = window().location().reload();
            } else if wanted.get_untracked() == lang {
                shown.set(lang);
            }
        });
    });
    Memo::new(move |_| shown.get())
}
