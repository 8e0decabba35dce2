use super::PageMeta;
use crate::enquiries::ContactSection;
use crate::i18n::use_i18n;
use crate::layout::PublicLayout;
use leptos::prelude::*;

/// (title key, body key, icon path) of each feature card. Icons are drawn inline: no icon font,
/// no emoji font dependency, nothing fetched.
pub(crate) const FEATURES: [(&str, &str, &str); 4] = [
    ("feature-inbox-title", "feature-inbox-body", "M4 5h16v11H9l-5 4z"),
    ("feature-contacts-title", "feature-contacts-body", "M12 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM4 21a8 8 0 0 1 16 0"),
    ("feature-campaigns-title", "feature-campaigns-body", "M4 20V11M10 20V5M16 20v-6M22 20H2"),
    ("feature-optimiser-title", "feature-optimiser-body", "M12 3v18M6 21h12M4 7h16M4 7l-3 7h6zM20 7l-3 7h6z"),
];

/// Plan key prefixes; each has `-name -price -desc -f1..3 -cta` keys. The middle one is highlighted.
pub(crate) const PLANS: [&str; 3] = ["plan-starter", "plan-growth", "plan-scale"];

#[component]
pub fn Landing() -> impl IntoView {
    let i18n = use_i18n();
    let t = move |key: &'static str| move || i18n.t(key);
    view! {
        <PageMeta title="meta-landing-title" description="meta-landing-description"/>
        <PublicLayout>
            <section class="hero">
                <div class="container">
                    <p class="eyebrow">{t("hero-eyebrow")}</p>
                    <h1>{t("hero-title")}</h1>
                    <p class="lead">{t("hero-subtitle")}</p>
                    <p class="hero-actions">
                        <a class="btn btn-primary btn-lg" href="/register">{t("hero-cta-primary")}</a>
                        <a class="btn btn-ghost btn-lg" href="#features">{t("hero-cta-secondary")}</a>
                    </p>
                </div>
            </section>
            <section id="features" class="section container" aria-labelledby="features-title">
                <h2 id="features-title">{t("features-title")}</h2>
                <p class="section-intro">{t("features-intro")}</p>
                <ul class="cards">
                    {FEATURES
                        .into_iter()
                        .map(|(title, body, icon)| view! {
                            <li class="card">
                                <svg class="card-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d=icon/></svg>
                                <h3>{t(title)}</h3>
                                <p>{t(body)}</p>
                            </li>
                        })
                        .collect_view()}
                </ul>
            </section>
            <section id="pricing" class="section container" aria-labelledby="pricing-title">
                <h2 id="pricing-title">{t("pricing-title")}</h2>
                <p class="section-intro">{t("pricing-intro")}</p>
                <ul class="plans">{PLANS.into_iter().enumerate().map(|(i, plan)| view! { <Plan plan featured=i == 1/> }).collect_view()}</ul>
            </section>
            <div class="container"><ContactSection/></div>
        </PublicLayout>
    }
}

#[component]
fn Plan(plan: &'static str, featured: bool) -> impl IntoView {
    let i18n = use_i18n();
    let key = move |suffix: &'static str| move || i18n.t(&format!("{plan}-{suffix}"));
    let href = if plan == "plan-scale" { "#contact" } else { "/register" };
    view! {
        <li class="plan" class:featured=featured>
            {featured.then(|| view! { <p class="badge">{move || i18n.t("pricing-popular")}</p> })}
            <h3>{key("name")}</h3>
            <p class="price"><span class="amount">{key("price")}</span> " " <span class="per">{move || i18n.t("pricing-per-month")}</span></p>
            <p>{key("desc")}</p>
            <ul class="plan-features">
                <li>{key("f1")}</li>
                <li>{key("f2")}</li>
                <li>{key("f3")}</li>
            </ul>
            <a class="btn" class:btn-primary=featured class:btn-ghost=!featured href=href>{key("cta")}</a>
        </li>
    }
}
