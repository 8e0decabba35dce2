//! A resource's fetch keeps its request's context for its whole run.
//!
//! A server render polls a resource's future once where the resource is created, then on a
//! spawned task. Suspense boundaries render their children twice on the server (a dry run to find
//! the resources, then the real one) and drop the dry run's reactive owner, contexts and all, at
//! once. A server function that reads the context after its first `.await` (the services after
//! checking the session, say) then found nothing and answered `error-internal` — and that answer
//! was sent to the browser for hydration: the page hydrated an error instead of the list it had
//! rendered. Whether the task ran before the owner went was a race a multi-threaded runtime
//! usually won and a single-threaded one always lost.

use crate::PublicUrl;
use crate::server::auth::CallerMemo;
use crate::server::request::TrustedProxies;
use crate::server::services::Services;
use leptos::prelude::{Owner, provide_context, use_context};
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

/// `fut`, polled inside an owner of its own holding a copy of the request's context as it is now.
pub fn keep_context<F>(fut: F) -> impl Future<Output = F::Output> + Send + 'static
where
    F: Future + Send + 'static,
{
    // What server functions read from the context; `carry` copies one now and re-provides it.
    let carried = [
        carry::<Services>(),
        carry::<http::request::Parts>(),
        carry::<leptos_axum::ResponseOptions>(),
        carry::<PublicUrl>(),
        carry::<TrustedProxies>(),
        carry::<CallerMemo>(),
    ];
    // A child of the current owner: it shares its arena, and holds its own copy of the context,
    // which stays when the owners above it are dropped.
    let owner = Owner::new();
    owner.with(|| carried.into_iter().for_each(|provide| provide()));
    WithOwner { owner, fut: Box::pin(fut) }
}

fn carry<T: Clone + Send + Sync + 'static>() -> Box<dyn FnOnce()> {
    let value = use_context::<T>();
    Box::new(move || {
        if let Some(value) = value {
            provide_context(value);
        }
    })
}

struct WithOwner<F> {
    owner: Owner,
    fut: Pin<Box<F>>,
}

impl<F: Future> Future for WithOwner<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = &mut *self;
        this.owner.with(|| this.fut.as_mut().poll(cx))
    }
}
