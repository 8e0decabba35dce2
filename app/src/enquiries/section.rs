use super::SubmitContact;
use crate::forms::{outcome_of, status_line};
use crate::i18n::use_i18n;
use crate::post_form::{PostForm, Posting};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

/// The contact section of the landing page. With JavaScript the form posts in place; without it the
/// server redirects back here with the outcome in the query string, which this view also reads.
#[component]
pub fn ContactSection() -> impl IntoView {
    let i18n = use_i18n();
    let posting = Posting::new();
    let status_view = move || status_line(i18n, outcome_of(posting.outcome(), "contact"), Some("contact-sent"));
    let t = move |key: &'static str| move || i18n.t(key);

    view! {
        <section id="contact" class="section contact" aria-labelledby="contact-title">
            <h2 id="contact-title">{t("contact-title")}</h2>
            <p class="section-intro">{t("contact-intro")}</p>
            <div class="contact-form">
                <PostForm action=SubmitContact::PATH posting>
                    <input type="hidden" name="lang" value=move || i18n.lang.get().code()/>
                    <div class="field">
                        <label for="contact-name">{t("contact-name")}</label>
                        <input id="contact-name" name="name" type="text" required autocomplete="name"/>
                    </div>
                    <div class="field">
                        <label for="contact-email">{t("contact-email")}</label>
                        <input id="contact-email" name="email" type="email" required autocomplete="email"/>
                    </div>
                    <div class="field">
                        <label for="contact-company">{t("contact-company")}</label>
                        <input id="contact-company" name="company" type="text" autocomplete="organization"/>
                    </div>
                    <div class="field">
                        <label for="contact-message">{t("contact-message")}</label>
                        <textarea id="contact-message" name="message" rows="5" required></textarea>
                    </div>
                    <div class="hp" aria-hidden="true">
                        <label for="contact-website">{t("contact-website")}</label>
                        <input id="contact-website" name="website" type="text" tabindex="-1" autocomplete="off"/>
                    </div>
                    <button type="submit" class="btn btn-primary" disabled=move || posting.pending.get()>
                        {move || if posting.pending.get() { i18n.t("contact-sending") } else { i18n.t("contact-submit") }}
                    </button>
                    <div role="status" aria-live="polite" class="form-status-region">{status_view}</div>
                </PostForm>
            </div>
        </section>
    }
}
