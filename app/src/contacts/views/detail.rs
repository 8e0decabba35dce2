//! `/app/contacts/:id`: one contact — fields, tags, attributes, opt-out, edit, delete with undo,
//! and the place its conversations will be listed.

use super::fields::ContactFields;
use crate::contacts::api::{DeleteContacts, RestoreContacts, SetOptOut, UpdateContact, default_country, get_contact};
use crate::contacts::model::Contact;
use crate::fetch::in_request;
use crate::forms::{outcome, status_line};
use crate::i18n::use_i18n;
use crate::text::non_empty;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn ContactDetail() -> impl IntoView {
    let i18n = use_i18n();
    let t = move |key: &'static str| move || i18n.t(key);
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let version = RwSignal::new(0u32);
    let contact = Resource::new(move || (id(), version.get()), |(id, _)| in_request(get_contact(id)));
    // The default country, for the phone field's hint.
    let country = Resource::new(|| (), |_| in_request(default_country()));
    // The contact's WhatsApp conversations (one per connected number).
    let conversations = Resource::new(id, |id| {
        in_request(crate::inbox::api::list_conversations(None, None, None, Some(id), None, None))
    });
    let update = ServerAction::<UpdateContact>::new();
    let opt_out = ServerAction::<SetOptOut>::new();
    let delete = ServerAction::<DeleteContacts>::new();
    let restore = ServerAction::<RestoreContacts>::new();
    // Writing first: the conversation is opened (or created), then shown in the inbox.
    let open = ServerAction::<crate::inbox::api::OpenConversation>::new();
    let navigate = leptos_router::hooks::use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(opened)) = open.value().get() {
            navigate(&format!("/app/inbox?c={}", opened.id), Default::default());
        }
    });
    Effect::new(move |_| {
        // Read all three (no short-circuit), so the effect follows each of them.
        let done = [
            opt_out.value().get().is_some_and(|r| r.is_ok()),
            delete.value().get().is_some_and(|r| r.is_ok()),
            restore.value().get().is_some_and(|r| r.is_ok()),
        ];
        if done.contains(&true) {
            version.update(|v| *v += 1);
        }
    });
    view! {
        <section class="contact">
            <p><a href="/app/contacts">{t("contacts-back")}</a></p>
            <Transition fallback=move || view! { <p>{t("loading")}</p> }>
                {move || Suspend::new(async move {
                    let country = country.await.unwrap_or_default();
                    let conversations = conversations.await.map(|p| p.conversations).unwrap_or_default();
                    match contact.await {
                        Ok(c) => {
                            let (contact_id, writable) = (c.id.clone(), c.phone.is_some() && c.opt_out.is_none());
                            view! {
                            <ContactFacts contact=c.clone() opt_out=opt_out delete=delete restore=restore/>
                            <details class="edit-contact">
                                <summary>{move || i18n.t("contacts-edit")}</summary>
                                <ActionForm action=update>
                                    <input type="hidden" name="id" value=c.id.clone()/>
                                    <ContactFields prefix="edit-contact" contact=Some(c) country=Some(country.clone())/>
                                    {move || status_line(i18n, outcome(update.value().get(), "update"), Some("contacts-saved"))}
                                    <button type="submit" class="btn btn-primary">{move || i18n.t("contacts-save")}</button>
                                </ActionForm>
                            </details>
                            <section class="contact-conversations">
                                <h2>{move || i18n.t("contacts-conversations")}</h2>
                                {writable.then(|| view! {
                                    <ActionForm action=open>
                                        <input type="hidden" name="contact" value=contact_id/>
                                        <button type="submit" class="btn" data-testid="write-whatsapp">{move || i18n.t("contacts-write-whatsapp")}</button>
                                    </ActionForm>
                                    {move || status_line(i18n, outcome(open.value().get(), "open"), None)}
                                })}
                                {if conversations.is_empty() {
                                    view! { <p>{move || i18n.t("contacts-conversations-empty")}</p> }.into_any()
                                } else {
                                    view! {
                                        <ul class="conversations">
                                            {conversations.into_iter().map(|c| {
                                                let status = crate::inbox::views::status_key(c.status.key());
                                                view! {
                                                    <li class="conversation">
                                                        <a href=format!("/app/inbox?c={}", c.id)>
                                                            <span class="conversation-preview">{crate::inbox::views::preview_text(i18n, &c.preview)}</span>
                                                            <span class="conversation-meta">
                                                                <span class=format!("status status-{}", c.status.key())>{move || i18n.t(status)}</span>
                                                                {(c.unread > 0).then(|| view! { <span class="unread">{c.unread}</span> })}
                                                            </span>
                                                        </a>
                                                    </li>
                                                }
                                            }).collect_view()}
                                        </ul>
                                    }.into_any()
                                }}
                            </section>
                            }.into_any()
                        }
                        Err(e) => view! { <p class="form-status err" role="alert">{i18n.t(&e.code)}</p> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn ContactFacts(
    contact: Contact,
    opt_out: ServerAction<SetOptOut>,
    delete: ServerAction<DeleteContacts>,
    restore: ServerAction<RestoreContacts>,
) -> impl IntoView {
    let i18n = use_i18n();
    let t = move |key: &'static str| move || i18n.t(key);
    let c = contact;
    let (id, id2, id3) = (c.id.clone(), c.id.clone(), c.id.clone());
    let opted_out = c.opt_out.is_some();
    view! {
        <h1>{c.display_name.clone()}</h1>
        {c.deleted.then(|| view! {
            <p class="undo" role="status">
                {move || i18n.t("contacts-deleted")}
                " "
                <button type="button" class="btn btn-ghost" on:click=move |_| {
                    restore.dispatch(RestoreContacts { ids: id3.clone() });
                }>{move || i18n.t("contacts-undo")}</button>
            </p>
        })}
        {opted_out.then(|| view! { <p class="badge">{move || i18n.t("contacts-opted-out")}</p> })}
        <dl class="facts">
            <dt>{t("contacts-phone")}</dt>
            <dd dir="ltr">{c.phone.clone().unwrap_or_else(|| "—".into())}</dd>
            <dt>{t("contacts-wa-id")}</dt>
            <dd dir="ltr">{c.wa_id.clone().unwrap_or_else(|| "—".into())}</dd>
            <dt>{t("contacts-email")}</dt>
            <dd dir="ltr">{c.email.clone().unwrap_or_else(|| "—".into())}</dd>
            <dt>{t("contacts-first-name")}</dt>
            <dd>{non_empty(c.first_name.clone())}</dd>
            <dt>{t("contacts-last-name")}</dt>
            <dd>{non_empty(c.last_name.clone())}</dd>
            <dt>{t("contacts-tags")}</dt>
            <dd>{c.tags.iter().map(|tag| view! { <span class="tag">{tag.clone()}</span> }).collect_view()}</dd>
            {c.attributes.iter().map(|(k, v)| view! { <dt>{k.clone()}</dt><dd>{non_empty(v.clone())}</dd> }).collect_view()}
        </dl>
        <div class="actions">
            <button type="button" class="btn" aria-pressed=opted_out.to_string() on:click=move |_| {
                opt_out.dispatch(SetOptOut { id: id.clone(), opted_out: !opted_out });
            }>{t(if opted_out { "contacts-opt-in" } else { "contacts-opt-out" })}</button>
            {(!c.deleted).then(|| view! {
                <button type="button" class="btn btn-danger" on:click=move |_| {
                    delete.dispatch(DeleteContacts { ids: id2.clone() });
                }>{move || i18n.t("contacts-delete")}</button>
            })}
        </div>
        {move || status_line(i18n, outcome(opt_out.value().get(), "opt-out"), None)}
    }
}
