//! The frame of every public page: skip link, header with navigation and language switcher, footer.

use crate::i18n::{Lang, localized_path, remember_choice, strip_lang_prefix, use_i18n};
use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// Home in the current page's language (`/es` for Spanish); unprefixed pages stay unprefixed.
fn home_href(path: &str) -> String {
    match Lang::from_path(path) {
        Some(lang) => format!("/{}", lang.code()),
        None => "/".to_owned(),
    }
}

#[component]
pub fn PublicLayout(children: crate::sync_view::SyncChildren) -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    let home = move || home_href(&location.pathname.get());
    let anchor = move |id: &'static str| move || format!("{}#{id}", home());
    let t = move |key: &'static str| move || i18n.t(key);

    view! {
        <a class="skip-link" href="#main" rel="external">{t("skip-to-content")}</a>
        <header class="site-header">
            <div class="container header-inner">
                <a class="brand" href=home>{t("site-name")}</a>
                <nav class="main-nav" aria-label=t("nav-label")>
                    <a href=anchor("features")>{t("nav-features")}</a>
                    <a href=anchor("pricing")>{t("nav-pricing")}</a>
                    <a href=anchor("contact")>{t("nav-contact")}</a>
                </nav>
                <div class="header-actions">
                    <a class="btn btn-ghost" href="/login">{t("nav-sign-in")}</a>
                    <a class="btn btn-primary" href="/register">{t("nav-get-started")}</a>
                </div>
                <LanguageSwitcher/>
            </div>
        </header>
        <main id="main" tabindex="-1">{children.view()}</main>
        <footer class="site-footer">
            <div class="container footer-inner">
                <p class="footer-brand">
                    <strong>{t("site-name")}</strong>
                    " — "
                    {t("footer-tagline")}
                </p>
                <nav aria-label=t("footer-privacy")>
                    <a href=move || localized_or_bare(&location.pathname.get(), "/privacy")>{t("footer-privacy")}</a>
                    <a href=move || localized_or_bare(&location.pathname.get(), "/terms")>{t("footer-terms")}</a>
                </nav>
                <p class="footer-rights">{t("footer-rights")}</p>
            </div>
        </footer>
    }
}

/// `target` in the same language scheme as `current`: prefixed if it is, bare if not.
fn localized_or_bare(current: &str, target: &str) -> String {
    match Lang::from_path(current) {
        Some(lang) => localized_path(lang, target),
        None => target.to_owned(),
    }
}

/// Links to the current page in each language. Plain links, so they work without JavaScript;
/// once hydrated, the router turns a click into an in-place navigation and we remember the choice.
#[component]
fn LanguageSwitcher() -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    view! {
        <nav class="lang-switcher" aria-label=move || i18n.t("lang-switcher-label")>
            <ul>
                {Lang::ALL
                    .into_iter()
                    .map(|lang| {
                        let href = move || {
                            let path = location.pathname.get();
                            format!("{}{}", localized_path(lang, strip_lang_prefix(&path)), location.hash.get())
                        };
                        view! {
                            <li>
                                <a
                                    href=href
                                    hreflang=lang.code()
                                    lang=lang.code()
                                    data-lang=lang.code()
                                    aria-current=move || (i18n.lang.get() == lang).then_some("true")
                                    on:click=move |_| remember_choice(lang)
                                >
                                    {lang.native_name()}
                                </a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </nav>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_keep_the_language_scheme() {
        assert_eq!(home_href("/es/privacy"), "/es");
        assert_eq!(home_href("/privacy"), "/");
        assert_eq!(localized_or_bare("/ar", "/terms"), "/ar/terms");
        assert_eq!(localized_or_bare("/", "/terms"), "/terms");
    }
}
