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
