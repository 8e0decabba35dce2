//! How views call server functions for their resources.

use std::future::Future;

/// Wrap every `Resource` fetcher's server-function call in this: on the server it keeps the
/// request's context for the whole call (see `server::scope`); in the browser it is the call.
pub fn in_request<F>(fut: F) -> impl Future<Output = F::Output> + Send + 'static
where
    F: Future + Send + 'static,
{
    #[cfg(feature = "ssr")]
    {
        crate::server::scope::keep_context(fut)
    }
    #[cfg(not(feature = "ssr"))]
    {
        fut
    }
}
