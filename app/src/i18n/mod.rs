//! Translations: one Fluent file per language under `locales/`, compiled into the server; the
//! browser fetches only the page language's file (`strings`), before hydrating and on a switch.
//!
//! The page language comes from the URL prefix (`/es/…`), else the server's `Accept-Language`
//! negotiation (which the browser reads back from `<html lang>` when it hydrates), else English.

#[cfg(not(feature = "hydrate"))]
use fluent_bundle::{FluentArgs, FluentResource, concurrent::FluentBundle};
use leptos::prelude::*;
use leptos_router::hooks::use_location;
#[cfg(not(feature = "hydrate"))]
use std::sync::LazyLock;

/// The localStorage key holding a visitor's explicit language choice.
pub const STORAGE_KEY: &str = "adronx_lang";

/// Serialised as its code (`"en"`), as stored records and job payloads keep it; the variant
/// names that older job payloads carry are still read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Lang {
    #[default]
    #[serde(rename = "en", alias = "En")]
    En,
    #[serde(rename = "es", alias = "Es")]
    Es,
    #[serde(rename = "ar", alias = "Ar")]
    Ar,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::En, Lang::Es, Lang::Ar];

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Es => "es",
            Lang::Ar => "ar",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|l| l.code().eq_ignore_ascii_case(code))
    }

    /// The language's own name, shown in the switcher whatever the page language is.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Es => "Español",
            Lang::Ar => "العربية",
        }
    }

    pub fn dir(self) -> &'static str {
        if self == Lang::Ar { "rtl" } else { "ltr" }
    }

    fn index(self) -> usize {
        self as usize
    }

    /// Picks the best supported language from an `Accept-Language` header value (RFC 9110 q-values).
    pub fn negotiate(accept_language: &str) -> Lang {
        let mut best: Option<(f32, usize, Lang)> = None;
        for (pos, (tag, q)) in crate::text::weighted(accept_language).enumerate() {
            let primary = tag.split(['-', '_']).next().unwrap_or("");
            let Some(lang) = Lang::from_code(primary) else { continue };
            if q <= 0.0 {
                continue;
            }
            // Higher q wins; on equal q the earlier entry wins.
            if best.is_none_or(|(bq, bpos, _)| q > bq || (q == bq && pos < bpos)) {
                best = Some((q, pos, lang));
            }
        }
        best.map(|(_, _, l)| l).unwrap_or(Lang::En)
    }

    /// The language named by a path's first segment, if any (`/es/privacy` → Spanish).
    pub fn from_path(path: &str) -> Option<Lang> {
        let first = path.trim_start_matches('/').split('/').next()?;
        Lang::ALL.into_iter().find(|l| l.code() == first)
    }
}

/// A path without its language prefix: `/es/privacy` → `/privacy`, `/es` → `/`.
pub fn strip_lang_prefix(path: &str) -> &str {
    match Lang::from_path(path) {
        Some(lang) => {
            let rest = &path[1 + lang.code().len()..];
            if rest.is_empty() { "/" } else { rest }
        }
        None => path,
    }
}

/// `path` (without prefix) as seen in `lang`: `/privacy` in Spanish → `/es/privacy`.
pub fn localized_path(lang: Lang, path: &str) -> String {
    let bare = strip_lang_prefix(path);
    if bare == "/" { format!("/{}", lang.code()) } else { format!("/{}{}", lang.code(), bare) }
}

/// The strings of every language, compiled into the server (its pages and e-mails use all three).
/// The browser's wasm carries none: it fetches the page language's file (`strings.rs`).
#[cfg(not(feature = "hydrate"))]
pub const SOURCES: [&str; 3] = [
    include_str!("../../../locales/en/main.ftl"),
    include_str!("../../../locales/es/main.ftl"),
    include_str!("../../../locales/ar/main.ftl"),
];

/// The `<meta>` whose content is [`strings_version`], so the browser asks for the strings this
/// server renders with (and may cache them for good).
pub const STRINGS_META: &str = "adronx-strings";

/// Where a language's strings are served; `version` names their content.
pub fn strings_url(lang: Lang, version: &str) -> String {
    format!("/locales/{}.ftl?v={version}", lang.code())
}

/// A short hash of every language's strings (FNV-1a, 64 bits): it changes whenever one does.
#[cfg(not(feature = "hydrate"))]
pub fn strings_version() -> &'static str {
    static VERSION: LazyLock<String> = LazyLock::new(|| {
        let hash = SOURCES
            .iter()
            .flat_map(|s| s.bytes())
            .fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3));
        format!("{hash:016x}")
    });
    &VERSION
}

/// The server renders with fluent-bundle; the browser with `ftl::Messages`, which reads the corner
/// of Fluent our files use and is tested to format every message as fluent-bundle does.
#[cfg(not(feature = "hydrate"))]
type Bundle = FluentBundle<FluentResource>;
#[cfg(feature = "hydrate")]
type Bundle = ftl::Messages;

/// A language's bundle from its Fluent source.
#[cfg(feature = "hydrate")]
fn bundle_of(_lang: Lang, source: String) -> Result<Bundle, String> {
    ftl::Messages::parse(&source)
}

/// A language's bundle from its Fluent source.
#[cfg(not(feature = "hydrate"))]
fn bundle_of(lang: Lang, source: String) -> Result<Bundle, String> {
    let id = lang.code().parse().expect("valid language id");
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    // Isolation marks (U+2068/U+2069) would leak into attributes and e-mails; our
    // placeables are plain names and numbers, so we do without them.
    bundle.set_use_isolating(false);
    let resource = FluentResource::try_new(source).map_err(|(_, errors)| format!("{errors:?}"))?;
    bundle.add_resource(resource).map_err(|errors| format!("{errors:?}"))?;
    Ok(bundle)
}

#[cfg(not(feature = "hydrate"))]
static BUNDLES: LazyLock<Vec<Bundle>> = LazyLock::new(|| {
    Lang::ALL
        .into_iter()
        .map(|lang| {
            bundle_of(lang, SOURCES[lang.index()].to_owned())
                .expect("locale files are checked by the translation tests")
        })
        .collect()
});

#[cfg(not(feature = "hydrate"))]
fn bundle(lang: Lang) -> Option<&'static Bundle> {
    Some(&BUNDLES[lang.index()])
}

#[cfg(feature = "hydrate")]
fn bundle(lang: Lang) -> Option<&'static Bundle> {
    strings::LOADED[lang.index()].get()
}

/// A message's named arguments.
pub type Args<'a> = [(&'a str, String)];

/// Translates `key` into `lang`, with optional arguments. A missing key falls back to English,
/// then to the key itself, so a gap shows up visibly instead of as an empty string.
pub fn translate(lang: Lang, key: &str, args: Option<&Args>) -> String {
    for bundle in [bundle(lang), bundle(Lang::En)].into_iter().flatten() {
        if let Some(text) = format_message(bundle, key, args.unwrap_or_default()) {
            return text;
        }
    }
    key.to_owned()
}

#[cfg(not(feature = "hydrate"))]
fn format_message(bundle: &Bundle, key: &str, args: &Args) -> Option<String> {
    let pattern = bundle.get_message(key)?.value()?;
    let mut fluent = FluentArgs::new();
    for (name, value) in args {
        fluent.set(*name, value.as_str());
    }
    Some(bundle.format_pattern(pattern, Some(&fluent), &mut vec![]).into_owned())
}

#[cfg(feature = "hydrate")]
fn format_message(bundle: &Bundle, key: &str, args: &Args) -> Option<String> {
    bundle.format(key, args)
}

/// [`translate`] with named arguments.
pub fn translate_with(lang: Lang, key: &str, args: &Args) -> String {
    translate(lang, key, Some(args))
}

/// The reactive page language, provided once by the app.
#[derive(Clone, Copy)]
pub struct I18n {
    pub lang: Memo<Lang>,
}

impl I18n {
    /// The translation of `key` in the current language; reactive when read inside a closure.
    pub fn t(&self, key: &str) -> String {
        translate(self.lang.get(), key, None)
    }

    /// [`Self::t`] with named arguments.
    pub fn t_args(&self, key: &str, args: &[(&str, String)]) -> String {
        translate_with(self.lang.get(), key, args)
    }

    /// A reactive value of the language for what leptos_meta writes into the page's head and
    /// `<html>` tag. The server's response handler reads it after the render, when the page's
    /// signals can already be gone; reading one then panicked ("already disposed", seen under
    /// concurrent load), so it falls back to the value at first render.
    pub fn settled<T: Clone + Send + Sync + 'static>(
        self,
        of: impl Fn(Lang) -> T + Send + Sync + 'static,
    ) -> impl Fn() -> T + Send + Sync + 'static {
        let lang = self.lang;
        let first = of(lang.get_untracked());
        move || lang.try_get().map(&of).unwrap_or_else(|| first.clone())
    }
}

pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}

/// Sets up the page language from the URL prefix, falling back to the negotiated language.
pub fn provide_i18n() -> I18n {
    let negotiated = negotiated_lang();
    let location = use_location();
    let wanted = Memo::new(move |_| Lang::from_path(&location.pathname.get()).unwrap_or(negotiated));
    #[cfg(feature = "hydrate")]
    let lang = strings::follow(wanted);
    #[cfg(not(feature = "hydrate"))]
    let lang = wanted;
    let i18n = I18n { lang };
    provide_context(i18n);
    i18n
}

#[cfg(feature = "ssr")]
pub(crate) fn negotiated_lang() -> Lang {
    use_context::<http::request::Parts>()
        .and_then(|parts| parts.headers.get(http::header::ACCEPT_LANGUAGE)?.to_str().ok().map(Lang::negotiate))
        .unwrap_or(Lang::En)
}

/// In the browser the server's choice is read back from `<html lang>`, so hydration matches it.
#[cfg(not(feature = "ssr"))]
fn negotiated_lang() -> Lang {
    #[cfg(feature = "hydrate")]
    return strings::page_lang();
    #[cfg(not(feature = "hydrate"))]
    Lang::En
}

/// Remembers an explicit language choice in localStorage (the only thing public pages store).
pub fn remember_choice(lang: Lang) {
    #[cfg(feature = "hydrate")]
    if let Some(storage) = window().local_storage().ok().flatten() {
        let _ = storage.set_item(STORAGE_KEY, lang.code());
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = lang;
}

/// Runs before first paint on unprefixed pages: a stored choice that differs from what the server
/// negotiated moves the visitor to that language's URL, so the next visit to `/` honours it.
pub const CHOICE_SCRIPT: &str = "(function(){try{var l=localStorage.getItem('adronx_lang'),\
p=location.pathname;if(/^(en|es|ar)$/.test(l||'')&&/^\\/(privacy|terms)?$/.test(p)\
&&l!==document.documentElement.lang){location.replace('/'+l+(p==='/'?'':p)+location.search+location.hash)}}catch(e){}})()";

#[cfg(any(feature = "hydrate", test))]
mod ftl;
#[cfg(feature = "hydrate")]
pub mod strings;
#[cfg(test)]
mod tests;
