use super::PageMeta;
use crate::i18n::use_i18n;
use crate::layout::PublicLayout;
use leptos::prelude::*;

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::server::respond::set_status(404);
    let i18n = use_i18n();
    view! {
        <PageMeta title="meta-not-found-title"/>
        <PublicLayout>
            <section class="section narrow">
                <h1>{move || i18n.t("not-found-title")}</h1>
                <p>{move || i18n.t("not-found-body")}</p>
                <p><a class="btn btn-primary" href="/">{move || i18n.t("footer-back-home")}</a></p>
            </section>
        </PublicLayout>
    }
}

/// The fallback of a bundle that holds only some pages. A path another bundle renders (a link or
/// a redirect followed in the browser) is loaded from the server, which sends that bundle; any
/// other path is not found, as in the app.
#[component]
pub fn BundleFallback() -> impl IntoView {
    let location = leptos_router::hooks::use_location();
    let path = location.pathname.get_untracked();
    // Each root provides its bundle; on the server the shell only picks a root for its own paths.
    let own = use_context::<crate::Bundle>().unwrap_or(crate::Bundle::App);
    if crate::Bundle::for_path(&path) != own {
        // The address bar may still show the page we leave: load the new one by its address.
        // (The router keeps the query without its `?` and the fragment maybe without its `#`.)
        let search = location.search.get_untracked();
        let hash = location.hash.get_untracked();
        let query = if search.is_empty() { String::new() } else { format!("?{}", search.trim_start_matches('?')) };
        let fragment = if hash.is_empty() { String::new() } else { format!("#{}", hash.trim_start_matches('#')) };
        load_page(&format!("{path}{query}{fragment}"));
        return ().into_any();
    }
    view! { <NotFound/> }.into_any()
}

/// Goes to `path` with a page load, not a route change: after signing in, the next page belongs
/// to the signed-in app, whose code the public pages' bundle does not hold.
pub(crate) fn load_page(path: &str) {
    #[cfg(feature = "hydrate")]
    let _ = window().location().assign(path);
    #[cfg(not(feature = "hydrate"))]
    let _ = path;
}
