//! The contact form's fields, shared by "new contact" and "edit".

use crate::contacts::model::{Contact, attributes_text};
use crate::i18n::use_i18n;
use leptos::prelude::*;

/// Inputs named as the create and update server functions expect; `prefix` keeps ids unique.
#[component]
pub fn ContactFields(prefix: &'static str, contact: Option<Contact>, country: Option<String>) -> impl IntoView {
    let i18n = use_i18n();
    let t = move |key: &'static str| move || i18n.t(key);
    let c = contact.unwrap_or_default();
    let id = move |field: &str| format!("{prefix}-{field}");
    view! {
        <div class="field-row">
            <div class="field">
                <label for=id("first")>{t("contacts-first-name")}</label>
                <input id=id("first") name="first_name" value=c.first_name autocomplete="off"/>
            </div>
            <div class="field">
                <label for=id("last")>{t("contacts-last-name")}</label>
                <input id=id("last") name="last_name" value=c.last_name autocomplete="off"/>
            </div>
        </div>
        <div class="field">
            <label for=id("display")>{t("contacts-display-name")}</label>
            <input id=id("display") name="display_name" value=c.display_name autocomplete="off"/>
        </div>
        <div class="field-row">
            <div class="field">
                <label for=id("phone")>{t("contacts-phone")}</label>
                <input id=id("phone") name="phone" type="tel" dir="ltr" value=c.phone.unwrap_or_default()
                    aria-describedby=id("phone-hint")/>
                <p id=id("phone-hint") class="hint">{move || match &country {
                    Some(country) => i18n.t_args("contacts-phone-hint", &[("country", country.clone())]),
                    None => i18n.t("contacts-phone-hint-default"),
                }}</p>
            </div>
            <div class="field">
                <label for=id("email")>{t("contacts-email")}</label>
                <input id=id("email") name="email" type="email" dir="ltr" value=c.email.unwrap_or_default()/>
            </div>
        </div>
        <div class="field">
            <label for=id("tags")>{t("contacts-tags")}</label>
            <input id=id("tags") name="tags" value=c.tags.join(", ") aria-describedby=id("tags-hint")/>
            <p id=id("tags-hint") class="hint">{t("contacts-tags-hint")}</p>
        </div>
        <div class="field">
            <label for=id("attributes")>{t("contacts-attributes")}</label>
            <textarea id=id("attributes") name="attributes" rows="3" aria-describedby=id("attributes-hint")>
                {crate::text::non_empty(attributes_text(&c.attributes))}
            </textarea>
            <p id=id("attributes-hint") class="hint">{t("contacts-attributes-hint")}</p>
        </div>
    }
}
