//! Who is calling a protected server function.

use crate::accounts::model::Caller;
use crate::accounts::port::Credential;
use crate::error::AppError;
use crate::server::request::{bearer_token, require_same_origin};
use crate::server::respond::session_cookie;
use crate::server::services;
use leptos::prelude::use_context;
use std::sync::{Arc, Mutex};

/// A bearer access token (API clients), else the session cookie from one of our own pages.
/// Membership and role are read from the store on every request, in one round trip — once per
/// request, however many server functions a page render calls (see `CallerMemo`).
pub async fn caller() -> Result<Caller, AppError> {
    let credential = match bearer_token() {
        Some(token) => Credential::Bearer(token),
        None => {
            require_same_origin()?;
            Credential::Session(session_cookie().await?.unwrap_or_default())
        }
    };
    let memo = use_context::<CallerMemo>();
    let key = match &credential {
        Credential::Bearer(t) => format!("bearer {t}"),
        Credential::Session(t) => format!("session {t}"),
    };
    if let Some(known) = memo.as_ref().and_then(|m| m.get(&key)) {
        return Ok(known);
    }
    let preloaded = use_context::<http::request::Parts>().and_then(|p| p.extensions.get::<Preauthenticated>().cloned());
    let caller = match preloaded.filter(|p| matches!(&credential, Credential::Session(t) if *t == p.session)) {
        Some(known) => known.caller,
        None => services()?.accounts.authenticate(credential).await?,
    };
    if let Some(memo) = memo {
        memo.set(key, caller.clone());
    }
    Ok(caller)
}

/// The session an app page's request was authenticated with before the page rendered
/// (`server/src/http/preload.rs`, which put it on the request): the page's server functions take
/// the caller from here instead of reading the same session again.
#[derive(Clone)]
pub struct Preauthenticated {
    pub session: String,
    pub caller: Caller,
}

/// The caller a request has already authenticated, provided fresh for every request. A page
/// render calls several server functions (the list, the form's default country, …) and each
/// would read the same session from the store again. Keyed by the credential, so a cookie
/// rotated during the request is looked up anew; never shared between requests, so a revoked
/// session is seen by the next one.
#[derive(Clone, Default)]
pub struct CallerMemo(Arc<Mutex<Option<(String, Caller)>>>);

impl CallerMemo {
    fn get(&self, key: &str) -> Option<Caller> {
        let known = self.0.lock().unwrap_or_else(|e| e.into_inner());
        known.as_ref().filter(|(k, _)| k == key).map(|(_, c)| c.clone())
    }

    fn set(&self, key: String, caller: Caller) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = Some((key, caller));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accounts::model::Role;
    use crate::ids::{OrgId, UserId};

    fn caller(org: &str) -> Caller {
        Caller { user_id: UserId::new("u"), org_id: OrgId::new(org), role: Role::Member }
    }

    #[test]
    fn a_memo_answers_only_for_the_credential_it_was_given() {
        let memo = CallerMemo::default();
        assert_eq!(memo.get("session a"), None, "a fresh request knows nobody");
        memo.set("session a".into(), caller("one"));
        let copy = memo.clone(); // what a resource's fetch carries
        assert_eq!(copy.get("session a"), Some(caller("one")));
        assert_eq!(copy.get("session b"), None, "a rotated cookie is looked up anew");
        assert_eq!(copy.get("bearer a"), None, "a token is not a cookie of the same text");
        assert_eq!(CallerMemo::default().get("session a"), None, "the next request starts empty");
    }
}
