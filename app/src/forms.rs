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
    match last {
        Some(result) => Some(result.map(|_| ()).map_err(|e| e.code)),
        None => use_query_map().with(|q| {
            if q.get("sent").as_deref() == Some(form) {
                return Some(Ok(()));
            }
            let ours = q.get("form").is_none_or(|f| f == form);
            let leptos_error = || {
                let path = q.get("__path")?;
                (path.rsplit('/').next() == Some(form)).then_some(())?;
                let json = crate::text::base64_decode(&q.get("__err")?)?;
                Some(serde_json::from_slice::<AppError>(&json).ok()?.code)
            };
            // Only our own error codes are shown; anything else in the URL is ignored.
            let code = q.get("error").filter(|_| ours).or_else(leptos_error);
            code.filter(|code| code.starts_with("error-")).map(Err)
        }),
    }
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
