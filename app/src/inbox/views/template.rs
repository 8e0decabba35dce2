//! The template picker: an approved template, a field per value of its body, a live preview, and
//! Meta's rules checked before anything is sent. The only way to write once the customer's
//! 24-hour window has closed.

use crate::fetch::in_request;
use crate::forms::{outcome, status_line};
use crate::i18n::use_i18n;
use crate::inbox::api::{SendTemplate, list_templates};
use crate::inbox::templates::TemplateView;
use leptos::prelude::*;

#[component]
pub fn TemplatePicker(
    conversation_id: String,
    window_open: RwSignal<bool>,
    send: ServerAction<SendTemplate>,
) -> impl IntoView {
    let i18n = use_i18n();
    let t = move |key: &'static str| move || i18n.t(key);
    let templates = Resource::new(|| (), |_| in_request(list_templates()));
    // Opened for the agent when the window is closed (changes only when the window does).
    let closed = Memo::new(move |_| !window_open.get());
    view! {
        <details class="template-picker" prop:open=closed>
            <summary>{t("inbox-template")}</summary>
            <Transition fallback=move || view! { <p>{move || i18n.t("loading")}</p> }>
                {
                    let conversation_id = conversation_id.clone();
                    move || {
                        let conversation_id = conversation_id.clone();
                        Suspend::new(async move {
                            let approved: Vec<TemplateView> =
                                templates.await.unwrap_or_default().into_iter().filter(TemplateView::approved).collect();
                            if approved.is_empty() {
                                return view! { <p class="hint">{i18n.t("inbox-template-none")}</p> }.into_any();
                            }
                            view! { <TemplateForm conversation_id=conversation_id templates=approved send=send/> }.into_any()
                        })
                    }
                }
            </Transition>
        </details>
    }
}

#[component]
fn TemplateForm(
    conversation_id: String,
    templates: Vec<TemplateView>,
    send: ServerAction<SendTemplate>,
) -> impl IntoView {
    let i18n = use_i18n();
    let t = move |key: &'static str| move || i18n.t(key);
    let templates = StoredValue::new(templates);
    let chosen = RwSignal::new(0usize);
    let values = RwSignal::new(Vec::<String>::new());
    let current = move || templates.with_value(|all| all.get(chosen.get()).cloned().unwrap_or_default());
    // A fresh list of empty values whenever another template is chosen.
    Effect::new(move |_| {
        let count = current().params();
        values.set(vec![String::new(); count]);
    });
    let problem = move || current().check(&values.get()).err();
    Effect::new(move |_| {
        if let Some(Ok(_)) = send.value().get() {
            values.update(|v| v.iter_mut().for_each(String::clear));
        }
    });
    view! {
        <ActionForm action=send attr:class="template-form">
            <input type="hidden" name="conversation_id" value=conversation_id/>
            <label for="template-choice">{t("inbox-template-choose")}</label>
            <select id="template-choice" on:change=move |ev| {
                chosen.set(event_target_value(&ev).parse().unwrap_or(0));
            }>
                {templates.with_value(|all| all.iter().enumerate().map(|(n, tpl)| view! {
                    <option value=n>{format!("{} · {} · {}", tpl.name, tpl.language, tpl.category)}</option>
                }).collect_view())}
            </select>
            // What the server reads: `name|language` and the values, one a line.
            <input type="hidden" name="template" prop:value=move || { let c = current(); format!("{}|{}", c.name, c.language) }/>
            <input type="hidden" name="params" prop:value=move || values.get().join("\n")/>
            {move || (0..current().params()).map(|n| {
                let id = format!("template-value-{}", n + 1);
                view! {
                    <label for=id.clone()>{i18n.t_args("inbox-template-value", &[("n", (n + 1).to_string())])}</label>
                    <input id=id maxlength="1024" prop:value=move || values.with(|v| v.get(n).cloned().unwrap_or_default())
                        on:input=move |ev| values.update(|v| if let Some(slot) = v.get_mut(n) { *slot = event_target_value(&ev) })/>
                }
            }).collect_view()}
            <div class="template-preview" aria-live="polite">
                <p class="hint">{t("inbox-template-preview")}</p>
                {move || {
                    let c = current();
                    let body = c.fill(&values.get());
                    view! {
                        {c.header.clone().map(|h| view! { <p class="template-header">{h}</p> })}
                        <p class="text">{body}</p>
                        {c.footer.clone().map(|f| view! { <p class="template-footer">{f}</p> })}
                        {(!c.buttons.is_empty()).then(|| view! {
                            <p class="template-buttons">{c.buttons.iter().map(|b| view! { <span class="tag">{b.clone()}</span> }).collect_view()}</p>
                        })}
                    }
                }}
            </div>
            {move || problem().map(|code| view! { <p class="hint">{i18n.t(code)}</p> })}
            <button type="submit" class="btn btn-primary" disabled=move || problem().is_some()>{t("inbox-template-send")}</button>
            {move || status_line(i18n, outcome(send.value().get(), "template"), None)}
        </ActionForm>
    }
}
