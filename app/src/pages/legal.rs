//! The privacy policy and terms of service: numbered sections whose text lives in `locales/`.

use super::PageMeta;
use crate::i18n::use_i18n;
use crate::layout::PublicLayout;
use leptos::prelude::*;

/// One numbered section: paragraphs before a list, the list, paragraphs after it (all Fluent keys).
pub(crate) struct Section {
    pub id: &'static str,
    pub before: &'static [&'static str],
    pub list: &'static [&'static str],
    pub after: &'static [&'static str],
}

const fn section(
    id: &'static str,
    before: &'static [&'static str],
    list: &'static [&'static str],
    after: &'static [&'static str],
) -> Section {
    Section { id, before, list, after }
}

pub(crate) const PRIVACY: [Section; 11] = [
    section("collect", &[], &["1", "2", "3", "4", "5"], &[]),
    section("use", &[], &["1", "2", "3", "4", "5", "6"], &["7"]),
    section("sharing", &["1"], &["2", "3", "4", "5", "6"], &["7"]),
    section("retention", &["1"], &["2", "3", "4", "5"], &["6"]),
    section("rights", &["1"], &["2", "3", "4", "5", "6", "7"], &["8"]),
    section("security", &[], &["1", "2", "3", "4", "5"], &["6"]),
    section("cookies", &[], &["1", "2"], &["3"]),
    section("links", &["1"], &[], &[]),
    section("children", &["1"], &[], &[]),
    section("changes", &["1"], &[], &[]),
    section("contact", &["1"], &[], &[]),
];

pub(crate) const TERMS: [Section; 11] = [
    section("service", &["1"], &[], &[]),
    section("accounts", &["1", "2"], &[], &[]),
    section("use", &["1", "2"], &[], &[]),
    section("data", &["1", "2"], &[], &[]),
    section("third", &["1"], &[], &[]),
    section("ai", &["1"], &[], &[]),
    section("billing", &["1"], &[], &[]),
    section("end", &["1"], &[], &[]),
    section("liability", &["1"], &[], &[]),
    section("changes", &["1"], &[], &[]),
    section("contact", &["1"], &[], &[]),
];

/// Every Fluent key a legal page uses (`doc` is `privacy` or `terms`).
#[cfg(test)]
pub(crate) fn keys(doc: &'static str, sections: &'static [Section]) -> Vec<String> {
    let mut keys: Vec<String> = ["title", "dates", "intro"].iter().map(|k| format!("{doc}-{k}")).collect();
    for s in sections {
        keys.push(format!("{doc}-{}-title", s.id));
        for n in s.before.iter().chain(s.list).chain(s.after) {
            keys.push(format!("{doc}-{}-{n}", s.id));
        }
    }
    keys
}

#[component]
pub fn Privacy() -> impl IntoView {
    view! { <LegalPage doc="privacy" meta_title="meta-privacy-title" sections=&PRIVACY/> }
}

#[component]
pub fn Terms() -> impl IntoView {
    view! { <LegalPage doc="terms" meta_title="meta-terms-title" sections=&TERMS/> }
}

#[component]
fn LegalPage(doc: &'static str, meta_title: &'static str, sections: &'static [Section]) -> impl IntoView {
    let i18n = use_i18n();
    let t = move |key: String| move || i18n.t(&key);
    let paragraphs = move |id: &'static str, ns: &'static [&'static str]| {
        ns.iter().map(|n| view! { <p>{t(format!("{doc}-{id}-{n}"))}</p> }).collect_view()
    };
    view! {
        <PageMeta title=meta_title/>
        <PublicLayout>
            <article class="section container legal">
                <h1>{t(format!("{doc}-title"))}</h1>
                <p class="legal-dates">{t(format!("{doc}-dates"))}</p>
                <p class="lead">{t(format!("{doc}-intro"))}</p>
                <nav class="toc" aria-labelledby="toc-title">
                    <h2 id="toc-title">{move || i18n.t("privacy-toc")}</h2>
                    <ol>
                        {sections.iter().map(|s| view! {
                            <li><a href=format!("#{}", s.id)>{t(format!("{doc}-{}-title", s.id))}</a></li>
                        }).collect_view()}
                    </ol>
                </nav>
                {sections.iter().map(|s| view! {
                    <section id=s.id>
                        <h2>{t(format!("{doc}-{}-title", s.id))}</h2>
                        {paragraphs(s.id, s.before)}
                        {(!s.list.is_empty()).then(|| view! {
                            <ul>{s.list.iter().map(|n| view! { <li>{t(format!("{doc}-{}-{n}", s.id))}</li> }).collect_view()}</ul>
                        })}
                        {paragraphs(s.id, s.after)}
                    </section>
                }).collect_view()}
            </article>
        </PublicLayout>
    }
}
