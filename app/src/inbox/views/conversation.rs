//! One conversation: its contact, status and assignee, the messages with day separators and
//! ticks, and the reply box (free text inside the 24-hour window).

use super::list::status_key;
use super::template::TemplatePicker;
use crate::fetch::in_request;
use crate::forms::{outcome, status_line};
use crate::i18n::{I18n, use_i18n};
use crate::inbox::api::{
    AssignConversation, RecordOrder, Reply, SendTemplate, SetConversationStatus, get_conversation,
};
use crate::inbox::model::{
    ConversationPage, Direction, MediaKind, MediaState, MessageContent, MessageStatus, MessageView,
};
use leptos::prelude::*;

#[component]
pub fn ConversationPane(id: String, pages: Memo<u32>, tick: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let reply = ServerAction::<Reply>::new();
    let assign = ServerAction::<AssignConversation>::new();
    let set_status = ServerAction::<SetConversationStatus>::new();
    let send_template = ServerAction::<SendTemplate>::new();
    let order = ServerAction::<RecordOrder>::new();
    let conversation_id = id.clone();
    let page = Resource::new(
        move || {
            let versions = (
                reply.version().get(),
                assign.version().get(),
                set_status.version().get(),
                send_template.version().get(),
                order.version().get(),
            );
            (conversation_id.clone(), pages.get(), tick.get(), versions)
        },
        |(id, pages, ..)| async move { (pages, in_request(get_conversation(id, None, Some(pages))).await) },
    );
    // The conversation is read again on every live update; what an agent is typing lives outside
    // it (the reply box and the template picker are rendered once), told only whether the
    // customer's 24-hour window is open.
    let window_open = RwSignal::new(true);
    view! {
        <article class="conversation-view" aria-labelledby="conversation-title">
            <Transition fallback=move || view! { <p>{move || i18n.t("loading")}</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        (pages, Ok(page)) => {
                            window_open.set(page.conversation.window_open);
                            view! { <Conversation page=page pages=pages assign=assign set_status=set_status order=order/> }.into_any()
                        }
                        (_, Err(e)) => view! { <p class="form-status err" role="alert">{i18n.t(&e.code)}</p> }.into_any(),
                    }
                })}
            </Transition>
            <ReplyBox conversation_id=id.clone() window_open=window_open reply=reply/>
            <TemplatePicker conversation_id=id window_open=window_open send=send_template/>
        </article>
    }
}

#[component]
fn Conversation(
    page: ConversationPage,
    /// How many pages of messages are shown (the link above them shows one more).
    pages: u32,
    assign: ServerAction<AssignConversation>,
    set_status: ServerAction<SetConversationStatus>,
    order: ServerAction<RecordOrder>,
) -> impl IntoView {
    let i18n = use_i18n();
    let t = move |key: &'static str| move || i18n.t(key);
    let c = page.conversation;
    let local = RwSignal::new(false);
    Effect::new(move |_| local.set(true));
    let name =
        if c.contact_name.is_empty() { c.contact_phone.clone().unwrap_or_default() } else { c.contact_name.clone() };
    let resolved = c.status.key() == "resolved";
    let (next_status, status_button) = if resolved { ("open", "inbox-reopen") } else { ("resolved", "inbox-resolve") };
    let (assign_id, assign_other_id, status_id, order_id) = (c.id.clone(), c.id.clone(), c.id.clone(), c.id.clone());
    let recorded = page.order.clone();
    let has_order = recorded.is_some();
    let (amount, currency) = match &recorded {
        Some(o) => (crate::campaigns::money::plain(o.value, &o.currency), o.currency.clone()),
        None => (String::new(), String::new()),
    };
    let assigned = c.assignee.is_some();
    let older = page.older.as_ref().map(|_| format!("/app/inbox?c={}&pages={}", c.id, pages + 1));
    let navigate = leptos_router::hooks::use_navigate();
    let mut last_day = String::new();
    let messages = page
        .messages
        .into_iter()
        .map(|m| {
            let today = super::day(m.created_at, false);
            let separator = (today != last_day).then(|| {
                last_day = today;
                let at = m.created_at;
                view! { <li class="day-separator" role="separator"><time>{move || super::day(at, local.get())}</time></li> }
            });
            view! { {separator} <Message m=m local=local i18n=i18n/> }
        })
        .collect_view();
    view! {
        <div class="conversation-body">
            <header class="conversation-header">
                <a class="back" href="/app/inbox">{t("inbox-back")}</a>
                <h2 id="conversation-title"><a href=format!("/app/contacts/{}", c.contact_id)>{name}</a></h2>
                <p class="conversation-facts">
                    {c.contact_phone.clone().map(|p| view! { <span dir="ltr">{p}</span> })}
                    <span class=format!("status status-{}", c.status.key())>{t(status_key(c.status.key()))}</span>
                    <span>{match c.assignee_name.clone() {
                        Some(n) => i18n.t_args("inbox-assigned-to", &[("name", n)]),
                        None => i18n.t("inbox-unassigned"),
                    }}</span>
                    {c.referral.clone().map(|r| view! {
                        <span class="badge" title=r.headline.clone().unwrap_or_default()>{t("inbox-from-ad")}</span>
                    })}
                </p>
                <div class="conversation-actions">
                    <ActionForm action=assign>
                        <input type="hidden" name="id" value=assign_id/>
                        <input type="hidden" name="assignee" value=if assigned { "" } else { "me" }/>
                        <button type="submit" class="btn btn-ghost">
                            {t(if assigned { "inbox-unassign" } else { "inbox-assign-me" })}
                        </button>
                    </ActionForm>
                    <ActionForm action=assign attr:class="assign-to">
                        <input type="hidden" name="id" value=assign_other_id/>
                        <label for="assign-to" class="visually-hidden">{t("inbox-assign-to")}</label>
                        <select id="assign-to" name="assignee">
                            {page.members.into_iter().map(|(id, name)| {
                                let current = c.assignee.as_deref() == Some(id.as_str());
                                view! { <option value=id selected=current>{name}</option> }
                            }).collect_view()}
                        </select>
                        <button type="submit" class="btn btn-ghost">{t("inbox-assign")}</button>
                    </ActionForm>
                    <ActionForm action=set_status>
                        <input type="hidden" name="id" value=status_id/>
                        <input type="hidden" name="status" value=next_status/>
                        <button type="submit" class="btn">{t(status_button)}</button>
                    </ActionForm>
                </div>
                <details class="order" open=has_order>
                    <summary>{move || match &recorded {
                        Some(o) => i18n.t_args("inbox-order-recorded", &[("amount", crate::campaigns::money::money(o.value, &o.currency, i18n.lang.get()))]),
                        None => i18n.t("inbox-order"),
                    }}</summary>
                    <ActionForm action=order attr:class="order-form">
                        <input type="hidden" name="conversation_id" value=order_id/>
                        <label for="order-amount">{t("inbox-order-amount")}</label>
                        <input id="order-amount" name="amount" inputmode="decimal" autocomplete="off" value=amount/>
                        <label for="order-currency">{t("inbox-order-currency")}</label>
                        <input id="order-currency" name="currency" maxlength="3" size="4" autocomplete="off" placeholder="MXN" value=currency/>
                        <button type="submit" class="btn btn-ghost">{t("inbox-order-save")}</button>
                    </ActionForm>
                    <p class="hint">{t("inbox-order-hint")}</p>
                </details>
            </header>
            {older.clone().map(|href| view! { <a class="older" data-testid="older" href=href>{t("inbox-older")}</a> })}
            <ol class="messages" aria-label=t("inbox-messages") on:scroll=move |ev| {
                // Scrolled to the top: the older messages come in (the link above does the same).
                if let Some(href) = &older && event_target::<leptos::web_sys::Element>(&ev).scroll_top() <= 0 {
                    navigate(href, Default::default());
                }
            }>{messages}</ol>
            {move || status_line(i18n, outcome(assign.value().get(), "assign"), None)}
            {move || status_line(i18n, outcome(set_status.value().get(), "status"), None)}
            {move || status_line(i18n, outcome(order.value().get(), "order"), None)}
        </div>
    }
}

#[component]
fn Message(m: MessageView, local: RwSignal<bool>, i18n: I18n) -> impl IntoView {
    let at = m.created_at;
    let ours = m.direction == Direction::Out;
    view! {
        <li class=if ours { "message out" } else { "message in" } data-status=m.status.key()>
            {m.quoted.clone().map(|q| view! { <blockquote class="quoted">{q}</blockquote> })}
            <div class="message-body">{content(&m.id, &m.content, i18n)}</div>
            {(!m.reactions.is_empty()).then(|| view! {
                <p class="reactions" aria-label=i18n.t("inbox-reaction")>{m.reactions.join(" ")}</p>
            })}
            <p class="message-meta">
                <time>{move || super::clock(at, local.get())}</time>
                {ours.then(|| ticks(m.status, i18n))}
            </p>
            {m.error.clone().map(|e| view! {
                <p class="message-error" role="note">{i18n.t("inbox-failed")} " " {super::reason_text(i18n, &e.title)} " (" {e.code} ")"</p>
            })}
        </li>
    }
}

fn ticks(status: MessageStatus, i18n: I18n) -> impl IntoView {
    let (mark, key) = match status {
        MessageStatus::Pending | MessageStatus::Received => ("🕓", "inbox-tick-pending"),
        MessageStatus::Sent => ("✓", "inbox-tick-sent"),
        MessageStatus::Delivered => ("✓✓", "inbox-tick-delivered"),
        MessageStatus::Read => ("✓✓", "inbox-tick-read"),
        MessageStatus::Failed => ("✗", "inbox-tick-failed"),
    };
    view! { <span class=format!("ticks ticks-{}", status.key()) role="img" aria-label=i18n.t(key) title=i18n.t(key)>{mark}</span> }
}

/// A customer's file: shown in place once fetched (images, stickers, audio, video), a download
/// link for documents, or why it is not there.
fn media(id: &str, kind: MediaKind, state: MediaState, filename: Option<String>, i18n: I18n) -> AnyView {
    let label = i18n.t(&format!("inbox-media-{}", format!("{kind:?}").to_lowercase()));
    let url = format!("/api/inbox/media/{id}");
    match state {
        MediaState::Fetching => view! { <span class="media-note">{label} " · " {i18n.t("inbox-media-fetching")}</span> }.into_any(),
        MediaState::Failed { reason } => {
            view! { <span class="media-note">{label} " · " {i18n.t(&reason)}</span> }.into_any()
        }
        MediaState::Stored { bytes } => match kind {
            MediaKind::Image | MediaKind::Sticker => view! {
                <a href=url.clone() target="_blank" rel="noopener"><img class="media-image" src=url.clone() alt=label loading="lazy"/></a>
            }
            .into_any(),
            MediaKind::Audio => view! { <audio class="media-audio" controls preload="none" src=url aria-label=label></audio> }.into_any(),
            MediaKind::Video => view! { <video class="media-video" controls preload="metadata" src=url aria-label=label></video> }.into_any(),
            MediaKind::Document => view! {
                <a class="media-document" href=url download=filename.clone().unwrap_or_default()>
                    "📄 " {filename.clone().unwrap_or(label)} " (" {super::size(bytes)} ")"
                </a>
            }
            .into_any(),
        },
    }
}

fn content(id: &str, c: &MessageContent, i18n: I18n) -> AnyView {
    match c.clone() {
        MessageContent::Text { body } => view! { <p class="text">{body}</p> }.into_any(),
        MessageContent::Media { kind, caption, filename, state, .. } => view! {
            <div class="media">
                {media(id, kind, state, filename, i18n)}
                {caption.and_then(crate::text::non_empty).map(|c| view! { <p class="caption">{c}</p> })}
            </div>
        }
        .into_any(),
        MessageContent::Location { latitude, longitude, name, address } => view! {
            <p class="location">
                {i18n.t("inbox-location")} " "
                {name.and_then(crate::text::non_empty)} " "
                {address.and_then(crate::text::non_empty)} " "
                <span dir="ltr">{format!("({latitude:.5}, {longitude:.5})")}</span>
            </p>
        }
        .into_any(),
        MessageContent::Contacts { cards } => view! {
            <ul class="shared-contacts">
                {cards.into_iter().map(|(name, phones)| view! { <li>{name} " " <span dir="ltr">{phones.join(", ")}</span></li> }).collect_view()}
            </ul>
        }
        .into_any(),
        MessageContent::Choice { title, .. } => view! { <p class="choice">"▸ " {title}</p> }.into_any(),
        MessageContent::Reaction { emoji, .. } => view! { <p class="reaction">{crate::text::non_empty(emoji)}</p> }.into_any(),
        MessageContent::Template { body, .. } => view! { <p class="text">{body}</p> }.into_any(),
        MessageContent::Unsupported { kind } => {
            view! { <p class="unsupported">{i18n.t_args("inbox-unsupported", &[("kind", kind)])}</p> }.into_any()
        }
    }
}

#[component]
fn ReplyBox(conversation_id: String, window_open: RwSignal<bool>, reply: ServerAction<Reply>) -> impl IntoView {
    let i18n = use_i18n();
    let t = move |key: &'static str| move || i18n.t(key);
    // A key per message written: a retried submit of the same one sends it once.
    let key = RwSignal::new(String::new());
    let text = NodeRef::<leptos::html::Textarea>::new();
    let fresh_key = move || {
        #[cfg(feature = "hydrate")]
        key.set(format!("{}-{}", web_sys::js_sys::Date::now(), web_sys::js_sys::Math::random()));
    };
    Effect::new(move |_| fresh_key());
    // What is typed, for quick reply suggestions (`/` and the start of a shortcut).
    let typed = RwSignal::new(String::new());
    // Fetched once the page runs in the browser (effects never run on the server): suggestions
    // need typing, and a LocalResource read during server rendering stalls the page's stream.
    let quick = RwSignal::new(Vec::new());
    Effect::new(move |_| {
        leptos::task::spawn_local(async move {
            if let Ok(all) = crate::inbox::api::list_quick_replies().await {
                quick.set(all);
            }
        })
    });
    let suggested = move || quick.with(|all| super::quick_replies::suggestions(all, &typed.get()));
    Effect::new(move |_| {
        if let Some(Ok(_)) = reply.value().get() {
            if let Some(area) = text.get() {
                area.set_value("");
            }
            typed.set(String::new());
            fresh_key();
        }
    });
    view! {
        <p class="window-closed" role="note" hidden=move || window_open.get()>{t("inbox-window-closed")}</p>
        <ActionForm action=reply attr:class="reply-box" attr:hidden=move || !window_open.get()>
            <input type="hidden" name="conversation_id" value=conversation_id/>
            <input type="hidden" name="key" prop:value=key/>
            <label for="reply-text" class="visually-hidden">{t("inbox-reply")}</label>
            <textarea id="reply-text" name="text" node_ref=text rows="2" maxlength="4096" placeholder=t("inbox-reply") required
                on:input=move |ev| typed.set(event_target_value(&ev))></textarea>
            <button type="submit" class="btn btn-primary">{t("inbox-send")}</button>
            <ul class="quick-suggestions" aria-label=t("quick-replies-title")>
                {move || suggested().into_iter().map(|r| {
                    let chosen = r.text.clone();
                    view! {
                        <li><button type="button" class="btn btn-ghost" on:click=move |_| {
                            if let Some(area) = text.get() {
                                area.set_value(&chosen);
                                let _ = area.focus();
                            }
                            typed.set(String::new());
                        }><code dir="ltr">"/" {r.shortcut.clone()}</code> " " {crate::text::truncate_chars(&r.text, 60)}</button></li>
                    }
                }).collect_view()}
            </ul>
            {move || status_line(i18n, outcome(reply.value().get(), "reply"), None)}
        </ActionForm>
    }
}
