//! The import wizard: `/app/contacts/import` (upload, history) and `/app/contacts/import/:id`
//! (preview and mapping → live progress → report). The upload is a plain multipart form, so it
//! works before the page is hydrated; the progress is read again every second while it moves.

use crate::contacts::api::{CancelImport, StartImport, import_history, import_status};
use crate::contacts::import::{ColumnTarget, ImportMode, ImportStatus, ImportView};
use crate::fetch::in_request;
use crate::forms::{outcome, status_line};
use crate::i18n::{I18n, use_i18n};
use crate::text::non_empty;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

fn status_label(i18n: I18n, status: ImportStatus) -> String {
    i18n.t(&format!("import-status-{}", status.key()))
}

#[component]
pub fn ImportStart() -> impl IntoView {
    let i18n = use_i18n();
    let t = move |key: &'static str| move || i18n.t(key);
    let history = Resource::new(|| (), |_| in_request(import_history()));
    view! {
        <section class="import">
            <p><a href="/app/contacts">{t("contacts-back")}</a></p>
            <h1>{t("import-title")}</h1>
            <form method="post" action="/api/contacts/import/upload" enctype="multipart/form-data" class="upload-form">
                <div class="field">
                    <label for="import-file">{t("import-upload-label")}</label>
                    <input id="import-file" name="file" type="file" accept=".csv,.txt,.tsv,text/csv" required
                        aria-describedby="import-file-hint"/>
                    <p id="import-file-hint" class="hint">{t("import-upload-hint")}</p>
                </div>
                {move || status_line(i18n, outcome::<()>(None, "upload"), None)}
                <button type="submit" class="btn btn-primary">{t("import-upload-submit")}</button>
            </form>
            <h2>{t("import-history")}</h2>
            <Transition fallback=move || view! { <p>{t("loading")}</p> }>
                {move || Suspend::new(async move {
                    match history.await {
                        Ok(list) if list.is_empty() => view! { <p>{i18n.t("import-history-empty")}</p> }.into_any(),
                        Ok(list) => view! {
                            <table class="imports-table">
                                <thead><tr>
                                    <th scope="col">{i18n.t("import-file")}</th>
                                    <th scope="col">{i18n.t("import-status")}</th>
                                    <th scope="col">{i18n.t("import-summary")}</th>
                                </tr></thead>
                                <tbody>
                                    {list.into_iter().map(|i| view! {
                                        <tr>
                                            <td><a href=format!("/app/contacts/import/{}", i.id)>{i.file_name.clone()}</a></td>
                                            <td>{status_label(i18n, i.status)}</td>
                                            <td>{summary(i18n, &i)}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }.into_any(),
                        Err(e) => view! { <p class="form-status err" role="alert">{i18n.t(&e.code)}</p> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

fn summary(i18n: I18n, i: &ImportView) -> String {
    let c = i.counts;
    i18n.t_args(
        "import-counts",
        &[
            ("created", c.created.to_string()),
            ("updated", c.updated.to_string()),
            ("unchanged", c.unchanged.to_string()),
            ("rejected", c.rejected.to_string()),
        ],
    )
}

#[component]
pub fn ImportWizard() -> impl IntoView {
    let i18n = use_i18n();
    let t = move |key: &'static str| move || i18n.t(key);
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let tick = RwSignal::new(0u32);
    let import = Resource::new(move || (id(), tick.get()), |(id, _)| in_request(import_status(id)));
    // While the import moves, read it again every second (the state lives on the server, so a
    // reload picks up where it is).
    Effect::new(move |_| {
        let active = import.get().and_then(|r| r.ok()).is_some_and(|i| i.status.is_active());
        if active {
            set_timeout(move || tick.update(|t| *t += 1), std::time::Duration::from_secs(1));
        }
    });
    let start = ServerAction::<StartImport>::new();
    let cancel = ServerAction::<CancelImport>::new();
    Effect::new(move |_| {
        // Read both (no short-circuit), so the effect follows each of them.
        let done = [start.value().get().is_some_and(|r| r.is_ok()), cancel.value().get().is_some_and(|r| r.is_ok())];
        if done.contains(&true) {
            tick.update(|t| *t += 1);
        }
    });
    view! {
        <section class="import">
            <p><a href="/app/contacts/import">{t("import-back")}</a></p>
            <Transition fallback=move || view! { <p>{t("loading")}</p> }>
                {move || Suspend::new(async move {
                    match import.await {
                        Ok(i) if i.status == ImportStatus::Uploaded => view! { <Mapping import=i start=start/> }.into_any(),
                        Ok(i) => view! { <Progress import=i cancel=cancel/> }.into_any(),
                        Err(e) => view! { <p class="form-status err" role="alert">{i18n.t(&e.code)}</p> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn Mapping(import: ImportView, start: ServerAction<StartImport>) -> impl IntoView {
    let i18n = use_i18n();
    let t = move |key: &'static str| move || i18n.t(key);
    let delimiter = if import.delimiter == "\t" { "tab".to_owned() } else { import.delimiter.clone() };
    let facts = i18n.t_args(
        "import-detected",
        &[("encoding", import.encoding.clone()), ("delimiter", delimiter), ("file", import.file_name.clone())],
    );
    let headers = import.headers.clone();
    view! {
        <h1>{t("import-mapping-title")}</h1>
        <p>{facts}</p>
        <h2>{t("import-preview")}</h2>
        <div class="table-scroll">
            <table class="preview-table">
                <thead><tr>{headers.iter().map(|h| view! { <th scope="col">{non_empty(h.clone())}</th> }).collect_view()}</tr></thead>
                <tbody>
                    {import.preview.iter().map(|row| view! {
                        <tr>{row.iter().map(|c| view! { <td>{non_empty(c.clone())}</td> }).collect_view()}</tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <ActionForm action=start attr:class="mapping-form">
            <input type="hidden" name="id" value=import.id.clone()/>
            <fieldset>
                <legend>{t("import-mapping")}</legend>
                {headers.iter().zip(import.mapping.iter()).enumerate().map(|(i, (header, target))| {
                    let own = ColumnTarget::Attribute(header.chars().take(60).collect());
                    let mut options: Vec<ColumnTarget> = ColumnTarget::FIELDS.to_vec();
                    if !header.trim().is_empty() {
                        options.push(own);
                    }
                    options.push(ColumnTarget::Ignore);
                    let selected = target.clone();
                    view! {
                        <div class="field mapping-row">
                            <label for=format!("map-{i}")>{non_empty(header.clone()).unwrap_or_else(|| format!("#{}", i + 1))}</label>
                            <select id=format!("map-{i}") name=format!("mapping[{i}]")>
                                {options.into_iter().map(|o| {
                                    let label = match &o {
                                        ColumnTarget::Attribute(name) => i18n.t_args("import-attribute-named", &[("name", name.clone())]),
                                        other => i18n.t(other.label_key()),
                                    };
                                    view! { <option value=o.key() selected=o == selected>{label}</option> }
                                }).collect_view()}
                            </select>
                        </div>
                    }
                }).collect_view()}
            </fieldset>
            <fieldset>
                <legend>{t("import-mode")}</legend>
                {[ImportMode::CreateAndUpdate, ImportMode::CreateOnly, ImportMode::UpdateOnly].into_iter().map(|m| view! {
                    <label class="radio">
                        <input type="radio" name="mode" value=m.key() checked=m == ImportMode::CreateAndUpdate/>
                        {move || i18n.t(&format!("import-mode-{}", m.key()))}
                    </label>
                }).collect_view()}
            </fieldset>
            <div class="field-row">
                <div class="field">
                    <label for="import-tags">{t("import-tags")}</label>
                    <input id="import-tags" name="tags" aria-describedby="import-tags-hint"/>
                    <p id="import-tags-hint" class="hint">{t("contacts-tags-hint")}</p>
                </div>
                <div class="field">
                    <label for="import-country">{t("import-country")}</label>
                    <input id="import-country" name="country" value=import.default_country.clone() maxlength="2"
                        size="3" aria-describedby="import-country-hint"/>
                    <p id="import-country-hint" class="hint">{t("import-country-hint")}</p>
                </div>
            </div>
            {move || status_line(i18n, outcome(start.value().get(), "start"), None)}
            <button type="submit" class="btn btn-primary">{t("import-start")}</button>
        </ActionForm>
    }
}

#[component]
fn Progress(import: ImportView, cancel: ServerAction<CancelImport>) -> impl IntoView {
    let i18n = use_i18n();
    let t = move |key: &'static str| move || i18n.t(key);
    let total = import.total_rows.unwrap_or(0);
    let done = import.counts.rows_done;
    let percent = (done * 100).checked_div(total).unwrap_or(0);
    let id = import.id.clone();
    let rejected = import.counts.rejected;
    view! {
        <h1>{import.file_name.clone()}</h1>
        <p class="import-status" role="status" aria-live="polite">
            {status_label(i18n, import.status)}
            {import.error.clone().map(|code| view! { " — " {i18n.t(&code)} })}
        </p>
        <div class="progress">
            <progress max=total.max(1) value=done aria-label=t("import-progress")></progress>
            <span>{i18n.t_args("import-rows", &[("done", done.to_string()), ("total", total.to_string()), ("percent", percent.to_string())])}</span>
        </div>
        <p>{summary(i18n, &import)}</p>
        {import.status.is_active().then(|| {
            let id = id.clone();
            view! {
                <button type="button" class="btn btn-danger" on:click=move |_| { cancel.dispatch(CancelImport { id: id.clone() }); }>
                    {move || i18n.t("import-cancel")}
                </button>
            }
        })}
        {(!import.status.is_active() && rejected > 0).then(|| view! {
            <p><a class="btn" href=format!("/api/contacts/import/rejected?id={id}") download="">{move || i18n.t("import-download-rejected")}</a></p>
        })}
        <p><a href="/app/contacts">{t("contacts-back")}</a></p>
    }
}
