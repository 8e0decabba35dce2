//! The outcome of a form, shown the same way whether it was posted in place (hydrated page) or as
//! a plain HTML form — then `server::respond::finish_form` / `finish_session` redirect back with
//! `?sent=FORM` or `?error=CODE&form=FORM`, which this reads. Server functions that answer with
//! data are redirected back by leptos itself, a refusal as `?__path=/api/…/FORM&__err=<base64
//! JSON of the AppError>`; this reads that too.

use crate::error::AppError;
use crate::i18n::I18n;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// `Some(Ok)` after a success, `Some(Err(code))` after a failure, `None` before any submit.
pub type Outcome = Option<Result<(), String>>;

/// From the form's last in-place submit, else from the query string after a plain post.
pub fn outcome<T>(last: Option<Result<T, AppError>>, form: &str) -> Outcome {
    outcome_of(last.map(|result| result.map(|_| ()).map_err(|e| e.code)), form)
}

/// `outcome` of a submit's outcome already reduced to the error's code (a `post_form::Posting`).
pub fn outcome_of(last: Outcome, form: &str) -> Outcome {
    match last {
        Some(outcome) => Some(outcome),
        None => use_query_map().with(|q| {
            if q.get("sent").as_deref() == Some(form) {
                return Some(Ok(()));
            }
            let ours = q.get("form").is_none_or(|f| f == form);
            let leptos = || leptos_refusal(&q.get("__path")?, &q.get("__err")?, form);
            // Only our own error codes are shown; anything else in the URL is ignored.
            let code = q.get("error").filter(|_| ours).or_else(leptos);
            code.filter(|code| code.starts_with("error-")).map(Err)
        }),
    }
}

/// The error code of leptos's own redirect after a refused plain form (`__path`, `__err`), when
/// the refused server function's endpoint ends in `form`.
fn leptos_refusal(path: &str, err: &str, form: &str) -> Option<String> {
    (path.rsplit('/').next() == Some(form)).then(|| refusal_code(err))
}

/// `__err` is the refusal as URL-safe base64 of its JSON; anything else reads as a bad request.
#[cfg(not(feature = "hydrate"))]
fn refusal_code(err: &str) -> String {
    leptos::server_fn::error::ServerFnUrlError::<AppError>::decode_err(err).code
}

/// The same reading with the browser's `atob` and `JSON.parse`: leptos's decoder would bring
/// base64 and serde_json into the public site's bundle for this one parameter (issue 14).
#[cfg(feature = "hydrate")]
fn refusal_code(err: &str) -> String {
    use wasm_bindgen::JsValue;
    let standard: String = err
        .chars()
        .map(|c| match c {
            '-' => '+',
            '_' => '/',
            c => c,
        })
        .collect();
    let json = window().atob(&standard).ok();
    let error = json.and_then(|json| js_sys::JSON::parse(&json).ok());
    let code = error.and_then(|error| js_sys::Reflect::get(&error, &JsValue::from_str("code")).ok());
    code.and_then(|code| code.as_string()).unwrap_or_else(|| AppError::BAD_REQUEST.to_owned())
}

/// The status line under a form: `ok_key` translated on success (or nothing when `None`), the
/// error code translated on failure.
pub fn status_line(i18n: I18n, outcome: Outcome, ok_key: Option<&'static str>) -> AnyView {
    match (outcome, ok_key) {
        (Some(Ok(())), Some(key)) => view! { <p class="form-status ok" role="status">{i18n.t(key)}</p> }.into_any(),
        (Some(Err(code)), _) => view! { <p class="form-status err" role="alert">{i18n.t(&code)}</p> }.into_any(),
        _ => ().into_any(),
    }
}

#[cfg(test)]
mod tests {
    use super::leptos_refusal;

    #[test]
    fn leptos_error_parameters_decode_for_their_own_form_only() {
        let sent = "eyJjb2RlIjoiZXJyb3ItaW5ib3gtc3RhdHVzIiwic3RhdHVzIjo0MjJ9";
        assert_eq!(leptos_refusal("/api/inbox/status", sent, "status").as_deref(), Some("error-inbox-status"));
        assert_eq!(leptos_refusal("/api/inbox/assign", sent, "status"), None, "another form's refusal");
        // Not what leptos writes: a generic refusal, never the text itself.
        assert_eq!(leptos_refusal("/api/inbox/status", "not base64!", "status").as_deref(), Some("error-bad-request"));
    }
}
