//! `/app/contacts`: the list. Search, tag filter, sort and paging live in the URL (`q`, `tag`,
//! `sort`, `after`), so every view is a link and works before the page is hydrated.

use super::fields::ContactFields;
use crate::accounts::model::{Role, Viewer};
use crate::contacts::api::{
    CreateContact, DeleteContacts, RestoreContacts, TagContacts, default_country, list_contacts,
};
use crate::contacts::model::{Contact, ContactPage};
use crate::fetch::in_request;
use crate::forms::{outcome, status_line};
use crate::i18n::use_i18n;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use std::collections::BTreeSet;

#[component]
pub fn ContactList() -> impl IntoView {
    let i18n = use_i18n();
    let t = move |key: &'static str| move || i18n.t(key);
    let viewer = expect_context::<Viewer>();
    let admin = viewer.role != Role::Member;
    let query = use_query_map();
    let param = move |name: &'static str| move || query.with(|q| q.get(name).unwrap_or_default());
    let (search, tag, sort, after) = (param("q"), param("tag"), param("sort"), param("after"));
    // Bumped after every change, so the list is read again.
    let version = RwSignal::new(0u32);
    let page = Resource::new(
        move || (search(), tag(), sort(), after(), version.get()),
        |(q, tag, sort, after, _)| in_request(list_contacts(Some(q), Some(tag), Some(sort), Some(after))),
    );
    let selected = RwSignal::new(BTreeSet::<String>::new());
    let create = ServerAction::<CreateContact>::new();
    let tag_action = ServerAction::<TagContacts>::new();
    let delete = ServerAction::<DeleteContacts>::new();
    let restore = ServerAction::<RestoreContacts>::new();
    // The ids of the last delete (kept from the click: an action forgets its input once done),
    // shown with Undo once the delete succeeded.
    let deleting = RwSignal::new(String::new());
    let deleted = RwSignal::new(String::new());
    Effect::new(move |_| {
        // Read all three (no short-circuit), so the effect follows each of them.
        let done = [
            create.value().get().is_some_and(|r| r.is_ok()),
            tag_action.value().get().is_some_and(|r| r.is_ok()),
            restore.value().get().is_some_and(|r| r.is_ok()),
        ];
        if done.contains(&true) {
            selected.set(BTreeSet::new());
            version.update(|v| *v += 1);
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = delete.value().get() {
            deleted.set(deleting.get_untracked());
            selected.set(BTreeSet::new());
            version.update(|v| *v += 1);
        }
    });
    let bulk_tag = RwSignal::new(String::new());
    let ids = move || selected.with(|s| s.iter().cloned().collect::<Vec<_>>().join(","));
    view! {
        <section class="contacts">
            <h1>{t("app-nav-contacts")}</h1>
            {admin.then(|| view! {
                <p class="actions">
                    <a class="btn" href="/app/contacts/import">{move || i18n.t("contacts-import")}</a>
                    <a class="btn btn-ghost" href=move || export_href("csv", &search(), &tag())>{move || i18n.t("contacts-export-csv")}</a>
                    <a class="btn btn-ghost" href=move || export_href("json", &search(), &tag())>{move || i18n.t("contacts-export-json")}</a>
                </p>
            })}
            <form method="get" action="/app/contacts" class="contacts-filter" role="search">
                <label for="contacts-q" class="visually-hidden">{t("contacts-search")}</label>
                <input id="contacts-q" name="q" type="search" value=search placeholder=t("contacts-search")/>
                <label for="contacts-tag" class="visually-hidden">{t("contacts-filter-tag")}</label>
                <input id="contacts-tag" name="tag" value=tag placeholder=t("contacts-filter-tag")/>
                <label for="contacts-sort" class="visually-hidden">{t("contacts-sort")}</label>
                <select id="contacts-sort" name="sort">
                    <option value="name" selected=move || sort() != "recent">{t("contacts-sort-name")}</option>
                    <option value="recent" selected=move || sort() == "recent">{t("contacts-sort-recent")}</option>
                </select>
                <button type="submit" class="btn">{t("contacts-search-submit")}</button>
            </form>
            <Show when=move || !deleted.get().is_empty()>
                <p class="undo" role="status">
                    {t("contacts-deleted")}
                    " "
                    <button type="button" class="btn btn-ghost" on:click=move |_| {
                        restore.dispatch(RestoreContacts { ids: deleted.get_untracked() });
                        deleted.set(String::new());
                    }>{t("contacts-undo")}</button>
                </p>
            </Show>
            <Show when=move || selected.with(|s| !s.is_empty())>
                <div class="bulk-bar" role="region" aria-label=t("contacts-bulk")>
                    <span>{move || i18n.t_args("contacts-selected", &[("count", selected.with(|s| s.len()).to_string())])}</span>
                    <label for="bulk-tag" class="visually-hidden">{t("contacts-tag")}</label>
                    <input id="bulk-tag" placeholder=t("contacts-tag") prop:value=bulk_tag
                        on:input=move |e| bulk_tag.set(event_target_value(&e))/>
                    <button type="button" class="btn" on:click=move |_| {
                        tag_action.dispatch(TagContacts { ids: ids(), tag: bulk_tag.get_untracked(), remove: None });
                    }>{t("contacts-tag-add")}</button>
                    <button type="button" class="btn" on:click=move |_| {
                        tag_action.dispatch(TagContacts { ids: ids(), tag: bulk_tag.get_untracked(), remove: Some(true) });
                    }>{t("contacts-tag-remove")}</button>
                    {admin.then(|| view! {
                        <button type="button" class="btn btn-danger" on:click=move |_| {
                            deleting.set(ids());
                            delete.dispatch(DeleteContacts { ids: ids() });
                        }>{move || i18n.t("contacts-delete")}</button>
                    })}
                    {move || status_line(i18n, outcome(tag_action.value().get(), "tag"), None)}
                    {move || status_line(i18n, outcome(delete.value().get(), "delete"), None)}
                </div>
            </Show>
            <Transition fallback=move || view! { <p>{t("loading")}</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(page) => view! { <ContactTable page=page selected=selected/> }.into_any(),
                        Err(e) => view! { <p class="form-status err" role="alert">{i18n.t(&e.code)}</p> }.into_any(),
                    }
                })}
            </Transition>
            <NewContact create=create/>
        </section>
    }
}

/// The new-contact form. After a contact is created it stays open, saying so.
///
/// Its phone hint names the default country, from a resource of its own awaited in its own
/// boundary: reading the list's resource here (outside the list's boundary) hung server renders
/// (leptos-rs/leptos#4578, #4673). The country never changes on this page, so the fields are
/// rendered once and keep what is typed while the list reloads.
#[component]
fn NewContact(create: ServerAction<CreateContact>) -> impl IntoView {
    let i18n = use_i18n();
    let t = move |key: &'static str| move || i18n.t(key);
    let country = Resource::new(|| (), |_| in_request(default_country()));
    view! {
        <details class="new-contact" open=move || create.value().with(|v| v.is_some())>
            <summary>{t("contacts-new")}</summary>
            <ActionForm action=create>
                <Suspense>
                    {move || Suspend::new(async move {
                        let country = country.await.ok();
                        view! { <ContactFields prefix="new-contact" contact=None country=country/> }
                    })}
                </Suspense>
                {move || status_line(i18n, outcome(create.value().get(), "create"), Some("contacts-created"))}
                <button type="submit" class="btn btn-primary">{t("contacts-create")}</button>
            </ActionForm>
        </details>
    }
}

/// The export of what the list shows: its search and tag.
fn export_href(format: &str, search: &str, tag: &str) -> String {
    let encode = crate::text::url_encode;
    format!("/api/contacts/export?format={format}&search={}&tag={}", encode(search), encode(tag))
}

#[component]
fn ContactTable(page: ContactPage, selected: RwSignal<BTreeSet<String>>) -> impl IntoView {
    let i18n = use_i18n();
    let t = move |key: &'static str| move || i18n.t(key);
    if page.contacts.is_empty() {
        return view! { <p class="empty-state">{t("contacts-none")}</p> }.into_any();
    }
    let next = page.next.clone();
    // Translated once for the page, not once a row.
    let select = i18n.t("contacts-select");
    view! {
        <table class="contacts-table">
            <thead>
                <tr>
                    <th scope="col"><span class="visually-hidden">{t("contacts-select")}</span></th>
                    <th scope="col">{t("contacts-name")}</th>
                    <th scope="col">{t("contacts-phone")}</th>
                    <th scope="col">{t("contacts-email")}</th>
                    <th scope="col">{t("contacts-tags")}</th>
                </tr>
            </thead>
            <tbody>
                {page.contacts.into_iter().map(|c| view! { <ContactRow contact=c selected=selected select=select.clone()/> }).collect_view()}
            </tbody>
        </table>
        {next.map(|cursor| {
            let href = move || {
                let mut params = use_query_map().get_untracked();
                params.replace("after", cursor.clone());
                format!("/app/contacts{}", params.to_query_string())
            };
            view! { <p class="pager"><a class="btn" href=href>{t("contacts-next-page")}</a></p> }
        })}
    }
    .into_any()
}

/// One contact's row; `select` is the checkbox label's translated start ("Select").
#[component]
fn ContactRow(contact: Contact, selected: RwSignal<BTreeSet<String>>, select: String) -> impl IntoView {
    let i18n = use_i18n();
    let id = contact.id.clone();
    let check_id = id.clone();
    let label = format!("{select} {}", contact.display_name);
    view! {
        <tr>
            <td>
                <input type="checkbox" aria-label=label
                    prop:checked=move || selected.with(|s| s.contains(&check_id))
                    on:change=move |e| {
                        let on = event_target_checked(&e);
                        selected.update(|s| { if on { s.insert(id.clone()); } else { s.remove(&id); } });
                    }/>
            </td>
            <td>
                <a href=format!("/app/contacts/{}", contact.id)>{contact.display_name.clone()}</a>
                {contact.opt_out.is_some().then(|| view! { <span class="badge">{move || i18n.t("contacts-opted-out")}</span> })}
            </td>
            <td dir="ltr">{contact.phone.clone()}</td>
            <td dir="ltr">{contact.email.clone()}</td>
            <td>{contact.tags.iter().map(|tag| view! { <span class="tag">{tag.clone()}</span> }).collect_view()}</td>
        </tr>
    }
}
