//! `/app/inbox`: the conversation list beside the open conversation. The filters and the open
//! conversation live in the URL (`view`, `status`, `c`), so each is a link and works before the
//! page is hydrated. Open pages read the inbox again every two seconds.

use super::conversation::ConversationPane;
use crate::fetch::in_request;
use crate::i18n::use_i18n;
use crate::inbox::api::list_conversations;
use crate::inbox::model::{ConversationView, InboxPage as Page};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// A signal bumped whenever the organisation's inbox changes, in the browser only: the server
/// streams its inbox clock (`GET /api/inbox/events`) and the browser's `EventSource` reconnects
/// by itself after a drop (each reconnection reads again, so nothing is missed).
pub fn refresh_tick() -> RwSignal<u32> {
    let tick = RwSignal::new(0u32);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        use web_sys::wasm_bindgen::JsCast;
        use web_sys::wasm_bindgen::closure::Closure;
        let Ok(source) = web_sys::EventSource::new("/api/inbox/events") else { return };
        let on_change = Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |_| tick.update(|t| *t = t.wrapping_add(1)));
        source.set_onmessage(Some(on_change.as_ref().unchecked_ref()));
        // The closure lives as long as the page's inbox; closing the source stops its calls.
        let on_change = send_wrapper::SendWrapper::new(on_change);
        let source = send_wrapper::SendWrapper::new(source);
        on_cleanup(move || {
            source.close();
            drop(on_change);
        });
    });
    tick
}

#[component]
pub fn InboxPage() -> impl IntoView {
    let i18n = use_i18n();
    let t = move |key: &'static str| move || i18n.t(key);
    let query = use_query_map();
    let param = move |name: &'static str| move || query.with(|q| q.get(name).unwrap_or_default());
    let (view_name, status, open) = (param("view"), param("status"), param("c"));
    let (search, tag) = (param("q"), param("tag"));
    // The open conversation is drawn again only when another one is opened: a filter or more
    // pages of messages leave its reply box (and what is being typed) alone.
    let open_id = Memo::new(move |_| open());
    let pages = Memo::new(move |_| query.with(|q| q.get("pages").and_then(|p| p.parse().ok())).unwrap_or(1u32));
    let tick = refresh_tick();
    let navigate = leptos_router::hooks::use_navigate();
    let page = Resource::new(
        move || (view_name(), status(), search(), tag(), tick.get()),
        |(view, status, q, tag, _)| {
            in_request(list_conversations(Some(view), Some(status), None, None, Some(q), Some(tag)))
        },
    );
    let link = move |view: &'static str| move || list_href(view, &status(), &search(), &tag());
    view! {
        <section class="inbox" data-open=move || (!open().is_empty()).then_some("true")>
            <div class="inbox-list">
                <h1>{t("app-nav-inbox")}</h1>
                <nav class="inbox-views" aria-label=t("inbox-views")>
                    {[("all", "inbox-view-all"), ("mine", "inbox-view-mine"), ("unassigned", "inbox-view-unassigned")]
                        .into_iter()
                        .map(|(name, key)| view! {
                            <a href=link(name) aria-current=move || {
                                let current = view_name();
                                (current == name || (current.is_empty() && name == "all")).then_some("page")
                            }>{t(key)}</a>
                        })
                        .collect_view()}
                </nav>
                <form method="get" action="/app/inbox" class="inbox-filter">
                    <input type="hidden" name="view" value=view_name/>
                    <label for="inbox-status" class="visually-hidden">{t("inbox-status")}</label>
                    <select id="inbox-status" name="status" on:change=move |ev| {
                        // Hydrated: apply at once (a plain page submits with the button below).
                        let href = list_href(&view_name(), &event_target_value(&ev), &search(), &tag());
                        navigate(&href, Default::default());
                    }>
                        <option value="" selected=move || status().is_empty()>{t("inbox-status-any")}</option>
                        {["open", "pending", "resolved"].into_iter().map(|s| view! {
                            <option value=s selected=move || status() == s>{t(status_key(s))}</option>
                        }).collect_view()}
                    </select>
                    <label for="inbox-search" class="visually-hidden">{t("inbox-search")}</label>
                    <input type="search" id="inbox-search" name="q" maxlength="200" value=search placeholder=t("inbox-search")/>
                    <label for="inbox-tag" class="visually-hidden">{t("inbox-tag")}</label>
                    <input type="text" id="inbox-tag" name="tag" maxlength="50" value=tag placeholder=t("inbox-tag")/>
                    <button type="submit" class="btn btn-ghost">{t("inbox-filter")}</button>
                </form>
                <Transition fallback=move || view! { <p>{t("loading")}</p> }>
                    {move || Suspend::new(async move {
                        match page.await {
                            Ok(page) => view! { <ConversationList page=page open=open/> }.into_any(),
                            Err(e) => view! { <p class="form-status err" role="alert">{i18n.t(&e.code)}</p> }.into_any(),
                        }
                    })}
                </Transition>
            </div>
            <div class="inbox-conversation">
                {move || {
                    let id = open_id.get();
                    if id.is_empty() {
                        view! { <p class="inbox-empty">{t("inbox-pick")}</p> }.into_any()
                    } else {
                        view! { <ConversationPane id=id pages=pages tick=tick/> }.into_any()
                    }
                }}
            </div>
        </section>
    }
}

/// The list's address with these filters (empty ones left out).
fn list_href(view: &str, status: &str, search: &str, tag: &str) -> String {
    let view = if view.is_empty() { "all" } else { view };
    let mut href = format!("/app/inbox?view={view}");
    for (name, value) in [("status", status), ("q", search), ("tag", tag)] {
        if !value.is_empty() {
            href.push_str(&format!("&{name}={}", crate::text::url_encode(value)));
        }
    }
    href
}

pub fn status_key(status: &str) -> &'static str {
    match status {
        "pending" => "inbox-status-pending",
        "resolved" => "inbox-status-resolved",
        _ => "inbox-status-open",
    }
}

#[component]
fn ConversationList(page: Page, open: impl Fn() -> String + Send + Sync + Copy + 'static) -> impl IntoView {
    let i18n = use_i18n();
    if !page.connected {
        return view! {
            <div class="inbox-none">
                <p>{i18n.t("inbox-not-connected")}</p>
                <a class="btn btn-primary" href="/app/settings#whatsapp">{i18n.t("inbox-connect")}</a>
            </div>
        }
        .into_any();
    }
    if page.conversations.is_empty() {
        return view! { <p class="inbox-empty">{i18n.t("inbox-no-conversations")}</p> }.into_any();
    }
    view! {
        <ul class="conversations">
            {page.conversations.into_iter().map(|c| view! { <ConversationItem c=c open=open/> }).collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn ConversationItem(c: ConversationView, open: impl Fn() -> String + Send + Sync + Copy + 'static) -> impl IntoView {
    let i18n = use_i18n();
    let local = RwSignal::new(false);
    Effect::new(move |_| local.set(true));
    let id = c.id.clone();
    let href = format!("/app/inbox?c={}", c.id);
    let name =
        if c.contact_name.is_empty() { c.contact_phone.clone().unwrap_or_default() } else { c.contact_name.clone() };
    let at = c.last_message_at;
    view! {
        <li class="conversation" data-unread=(c.unread > 0).then_some("true")>
            <a href=href aria-current=move || (open() == id).then_some("page")>
                <span class="conversation-name">{name}</span>
                <time class="conversation-time">{move || super::clock(at, local.get())}</time>
                <span class="conversation-preview">{super::preview_text(i18n, &c.preview)}</span>
                <span class="conversation-meta">
                    <span class=format!("status status-{}", c.status.key())>{move || i18n.t(status_key(c.status.key()))}</span>
                    {c.assignee_name.clone().map(|n| view! { <span class="assignee">{n}</span> })}
                    {c.tags.iter().take(3).map(|t| view! { <span class="tag">{t.clone()}</span> }).collect_view()}
                    {c.referral.is_some().then(|| view! { <span class="badge">{move || i18n.t("inbox-from-ad")}</span> })}
                    {(c.unread > 0).then(|| view! {
                        <span class="unread" aria-label=move || i18n.t_args("inbox-unread", &[("count", c.unread.to_string())])>{c.unread}</span>
                    })}
                </span>
            </a>
        </li>
    }
}
