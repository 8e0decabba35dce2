//! Server functions for the contacts page. Each checks the caller, then calls `port::Contacts`;
//! every one also accepts a bearer token (see `docs/API.md`).
// A form's fields are a server function's arguments; the macro copies them into generated
// functions an item-level `allow` does not reach.
#![allow(clippy::too_many_arguments)]

use super::model::{Contact, ContactPage};
use crate::error::AppError;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {
    super::model::{ContactDraft, ContactSort},
    super::port::ListQuery,
    crate::server::request::browser_region,
    crate::server::{caller, services},
};

/// Ids sent as one comma-separated field (a plain form's checkboxes arrive joined by the page).
#[cfg(feature = "ssr")]
fn id_list(ids: &str) -> Vec<String> {
    ids.split(',').map(str::trim).filter(|id| !id.is_empty()).map(str::to_owned).take(1000).collect()
}

#[server(name = ListContacts, prefix = "/api", endpoint = "contacts/list")]
pub async fn list_contacts(
    search: Option<String>,
    tag: Option<String>,
    sort: Option<String>,
    after: Option<String>,
) -> Result<ContactPage, AppError> {
    let caller = caller().await?;
    let query = ListQuery {
        search: search.unwrap_or_default(),
        tag: tag.filter(|t| !t.is_empty()),
        sort: ContactSort::from_key(sort.as_deref().unwrap_or("name")),
        after: after.filter(|a| !a.is_empty()),
        limit: 50,
    };
    Ok(services()?.contacts.list(&caller, query, browser_region()).await?)
}

#[server(name = GetContact, prefix = "/api", endpoint = "contacts/get")]
pub async fn get_contact(id: String) -> Result<Contact, AppError> {
    let caller = caller().await?;
    Ok(services()?.contacts.get(&caller, &id).await?)
}

/// The form's fields as a draft; absent ones are empty.
#[cfg(feature = "ssr")]
fn draft(fields: [Option<String>; 7]) -> ContactDraft {
    let [display_name, first_name, last_name, phone, email, tags, attributes] = fields.map(Option::unwrap_or_default);
    ContactDraft { display_name, first_name, last_name, phone, email, tags, attributes }
}

#[server(name = CreateContact, prefix = "/api", endpoint = "contacts/create")]
pub async fn create_contact(
    display_name: Option<String>,
    first_name: Option<String>,
    last_name: Option<String>,
    phone: Option<String>,
    email: Option<String>,
    tags: Option<String>,
    attributes: Option<String>,
) -> Result<Contact, AppError> {
    let caller = caller().await?;
    let draft = draft([display_name, first_name, last_name, phone, email, tags, attributes]);
    Ok(services()?.contacts.create(&caller, draft, browser_region()).await?)
}

/// Replaces every field of the contact with the form's (an absent field empties it).
#[server(name = UpdateContact, prefix = "/api", endpoint = "contacts/update")]
pub async fn update_contact(
    id: String,
    display_name: Option<String>,
    first_name: Option<String>,
    last_name: Option<String>,
    phone: Option<String>,
    email: Option<String>,
    tags: Option<String>,
    attributes: Option<String>,
) -> Result<Contact, AppError> {
    let caller = caller().await?;
    let draft = draft([display_name, first_name, last_name, phone, email, tags, attributes]);
    Ok(services()?.contacts.update(&caller, &id, draft, browser_region()).await?)
}

#[server(name = DeleteContacts, prefix = "/api", endpoint = "contacts/delete")]
pub async fn delete_contacts(ids: String) -> Result<u64, AppError> {
    let caller = caller().await?;
    Ok(services()?.contacts.delete(&caller, id_list(&ids)).await?)
}

#[server(name = RestoreContacts, prefix = "/api", endpoint = "contacts/restore")]
pub async fn restore_contacts(ids: String) -> Result<u64, AppError> {
    let caller = caller().await?;
    Ok(services()?.contacts.restore(&caller, id_list(&ids)).await?)
}

#[server(name = TagContacts, prefix = "/api", endpoint = "contacts/tag")]
pub async fn tag_contacts(ids: String, tag: String, remove: Option<bool>) -> Result<u64, AppError> {
    let caller = caller().await?;
    let add = !remove.unwrap_or(false);
    Ok(services()?.contacts.tag(&caller, id_list(&ids), &tag, add).await?)
}

#[server(name = SetOptOut, prefix = "/api", endpoint = "contacts/opt-out")]
pub async fn set_opt_out(id: String, opted_out: bool) -> Result<Contact, AppError> {
    let caller = caller().await?;
    Ok(services()?.contacts.set_opt_out(&caller, &id, opted_out).await?)
}

#[server(name = DefaultCountry, prefix = "/api", endpoint = "contacts/default-country/get")]
pub async fn default_country() -> Result<String, AppError> {
    let caller = caller().await?;
    Ok(services()?.contacts.default_country(&caller, browser_region()).await?)
}

#[server(name = SetDefaultCountry, prefix = "/api", endpoint = "contacts/default-country")]
pub async fn set_default_country(country: String) -> Result<(), AppError> {
    let caller = caller().await?;
    Ok(services()?.contacts.set_default_country(&caller, &country).await?)
}

#[server(name = ImportStatusFn, prefix = "/api", endpoint = "contacts/import/status")]
pub async fn import_status(id: String) -> Result<super::import::ImportView, AppError> {
    let caller = caller().await?;
    Ok(services()?.imports.status(&caller, &id).await?)
}

#[server(name = ImportHistory, prefix = "/api", endpoint = "contacts/import/history")]
pub async fn import_history() -> Result<Vec<super::import::ImportView>, AppError> {
    let caller = caller().await?;
    Ok(services()?.imports.history(&caller).await?)
}

/// `mapping`: one target per column, in column order (`mapping[0]=phone&mapping[1]=attr:City…`).
#[server(name = StartImport, prefix = "/api", endpoint = "contacts/import/start")]
pub async fn start_import(
    id: String,
    mapping: Vec<String>,
    mode: String,
    tags: Option<String>,
    country: String,
) -> Result<super::import::ImportView, AppError> {
    let caller = caller().await?;
    let request = super::port::ImportRequest { mapping, mode, tags: tags.unwrap_or_default(), country };
    Ok(services()?.imports.start(&caller, &id, request).await?)
}

#[server(name = CancelImport, prefix = "/api", endpoint = "contacts/import/cancel")]
pub async fn cancel_import(id: String) -> Result<super::import::ImportView, AppError> {
    let caller = caller().await?;
    Ok(services()?.imports.cancel(&caller, &id).await?)
}
