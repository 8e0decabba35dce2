//! `PostForm`: a form that a hydrated page posts to a server function in place, the way leptos's
//! `ActionForm` does, but through the browser's own `FormData`, `fetch` and `JSON.parse`. It
//! leaves out `ActionForm`'s machinery (serde_qs, the server-function client, JSON decoding in
//! wasm), which was a third of the public site's bundle (issue 14). The request is the one a plain
//! HTML form sends (`application/x-www-form-urlencoded`), so the server function reads it as
//! before; without JavaScript the same form posts plainly and the server redirects back.

use crate::forms::Outcome;
use crate::sync_view::SyncChildren;
use leptos::prelude::*;

/// A `PostForm`'s state: whether a post is on its way, and the answer to the last one.
#[derive(Clone, Copy)]
pub struct Posting {
    pub pending: RwSignal<bool>,
    /// The response body after a success, the error's code after a refusal.
    pub last: RwSignal<Option<Result<String, String>>>,
}

impl Posting {
    pub fn new() -> Self {
        Self { pending: RwSignal::new(false), last: RwSignal::new(None) }
    }

    /// The last post's outcome, for `forms::outcome_of` (which falls back to the query string).
    pub fn outcome(self) -> Outcome {
        self.last.get().map(|r| r.map(|_| ()))
    }
}

impl Default for Posting {
    fn default() -> Self {
        Self::new()
    }
}

/// A `<form method="post">` to `action` (a server function's path), posted in place once hydrated.
#[component]
pub fn PostForm(action: &'static str, posting: Posting, children: SyncChildren) -> impl IntoView {
    #[cfg(feature = "hydrate")]
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        // A second submit while one is on its way is ignored, as a disabled button would.
        if posting.pending.get_untracked() {
            return;
        }
        let form: web_sys::HtmlFormElement = event_target(&ev);
        posting.pending.set(true);
        leptos::task::spawn_local(async move {
            let answer = browser::post(action, &form).await;
            posting.last.set(Some(answer));
            posting.pending.set(false);
        });
    };
    #[cfg(not(feature = "hydrate"))]
    let submit = move |_: leptos::ev::SubmitEvent| {
        let _ = posting;
    };
    view! { <form method="post" action=action on:submit=submit>{children.view()}</form> }
}

#[cfg(feature = "hydrate")]
mod browser {
    use crate::error::AppError;
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;

    /// Posts the form's fields to `action` as a plain form would, asking for data rather than a
    /// page (the server redirects a request that accepts `text/html`).
    pub async fn post(action: &str, form: &web_sys::HtmlFormElement) -> Result<String, String> {
        send(action, form).await.unwrap_or_else(|_| Err(AppError::INTERNAL.to_owned()))
    }

    async fn send(action: &str, form: &web_sys::HtmlFormElement) -> Result<Result<String, String>, JsValue> {
        let fields = web_sys::FormData::new_with_form(form)?;
        let body = web_sys::UrlSearchParams::new_with_str_sequence_sequence(&fields)?;
        let headers = web_sys::Headers::new()?;
        headers.set("Accept", "application/json")?;
        let init = web_sys::RequestInit::new();
        init.set_method("POST");
        init.set_headers(&headers);
        init.set_body(&body);
        let response: web_sys::Response =
            JsFuture::from(leptos::prelude::window().fetch_with_str_and_init(action, &init)).await?.dyn_into()?;
        let text = JsFuture::from(response.text()?).await?.as_string().unwrap_or_default();
        if response.ok() {
            return Ok(Ok(text));
        }
        // The body of a refusal is the `AppError` as JSON; only its code is shown.
        let code = js_sys::JSON::parse(&text)
            .and_then(|error| js_sys::Reflect::get(&error, &JsValue::from_str("code")))
            .ok()
            .and_then(|code| code.as_string())
            .filter(|code| code.starts_with("error-"));
        Ok(Err(code.unwrap_or_else(|| AppError::INTERNAL.to_owned())))
    }
}
