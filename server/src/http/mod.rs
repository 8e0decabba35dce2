//! The HTTP surface: the Leptos site and server functions, health probes, static files, and the
//! middleware every response passes through.

mod ads;
mod budgets;
mod contacts;
mod extract;
mod health;
mod inbox;
mod locales;
mod me;
mod middleware;
mod preload;
mod state;
mod whatsapp;

pub use extract::Authenticated;
pub use whatsapp::WEBHOOK_PATH;

use app::{App, shell};
use axum::Router;
use leptos::prelude::*;
use leptos_axum::{AxumRouteListing, LeptosRoutes, generate_route_list};
pub use state::AppState;
use tower::ServiceBuilder;
use tower_http::CompressionLevel;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::services::ServeDir;

/// The app's routes, generated once per process. Generating them renders the app once with
/// resource loading switched off by a process-wide flag (leptos_server's `SuppressResourceLoad`);
/// a resource whose first poll falls in that window waits forever, and so does its page
/// (leptos-rs/leptos#4773). Tests start many servers in one process: a second generation while
/// another server rendered a signed-in page left that page hanging now and then. Generated once,
/// before any server of the process serves, no render can meet the flag.
fn app_routes() -> Vec<AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<AxumRouteListing>> = std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

pub fn router(state: AppState) -> Router {
    let routes = app_routes();
    let options = state.leptos.clone();
    let context = {
        let state = state.clone();
        move || {
            provide_context(state.services.clone());
            provide_context(app::PublicUrl(state.config.public_url.clone()));
            provide_context(app::SplitBundles(state.split_bundles));
            provide_context(app::server::request::TrustedProxies(state.config.trusted_proxies));
            provide_context(app::server::auth::CallerMemo::default());
            leptos::nonce::provide_nonce();
        }
    };
    // The wasm bundle and friends, served from their precompressed .br/.gz when the browser
    // accepts it (see scripts/precompress.sh).
    let pkg = ServeDir::new(state.config.site_root.join("pkg")).precompressed_br().precompressed_gzip();
    // The upload alone takes large bodies; everything else keeps the form-sized limit.
    // (axum's own 2 MB default for extractors is lifted there: the layer below is the limit.)
    let uploads = contacts::router()
        .layer(axum::extract::DefaultBodyLimit::disable())
        .layer(RequestBodyLimitLayer::new(crate::contacts::import::MAX_FILE as usize + 64 * 1024))
        .with_state(state.clone());
    let site = Router::new()
        .nest_service("/pkg", pkg)
        .merge(health::router())
        .merge(locales::router())
        .merge(me::router())
        .merge(inbox::router())
        .merge(ads::router())
        .merge(budgets::router())
        .leptos_routes_with_context(&state, routes, context.clone(), {
            let options = options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context::<AppState, _>(context, shell))
        .layer(axum::middleware::from_fn_with_state(state.clone(), preload::preload))
        .with_state(state.clone())
        // Backstop for bodies without a Content-Length (chunked): cut off at the same size.
        .layer(RequestBodyLimitLayer::new(middleware::API_BODY_LIMIT));
    // Meta's deliveries: JSON up to 3 MB, on their own route and limit.
    let webhooks = whatsapp::router()
        .layer(axum::extract::DefaultBodyLimit::disable())
        .layer(RequestBodyLimitLayer::new(crate::whatsapp::MAX_DELIVERY))
        .with_state(state.clone());
    let mut site = uploads.merge(webhooks).merge(site);
    // Outside production, the WhatsApp sandbox answers under the app's own address.
    if state.config.environment != crate::config::Environment::Production {
        let secret = state.secrets.whatsapp_app_secret.clone();
        let sandbox =
            crate::whatsapp::sandbox::Sandbox::new(&state.config.public_url, secret, state.store.whatsapp.clone())
                .with_pace(state.config.sandbox_pace)
                .with_ledger(state.config.data_dir.join("sandbox"));
        site = site.nest_service(crate::whatsapp::connect::SANDBOX_PREFIX, sandbox.router());
    }

    let request_id = axum::http::HeaderName::from_static("x-request-id");
    site.layer(
        ServiceBuilder::new()
            .layer(axum::middleware::from_fn(middleware::sanitize_request_id))
            .layer(SetRequestIdLayer::new(request_id.clone(), MakeRequestUuid))
            .layer(axum::middleware::from_fn(middleware::trace_request))
            .layer(PropagateRequestIdLayer::new(request_id))
            // Pages are small and dynamic: compress them fast. Precompressed files pass through.
            .layer(CompressionLayer::new().quality(CompressionLevel::Fastest))
            .layer(axum::middleware::from_fn_with_state(state.clone(), middleware::https_only))
            .layer(axum::middleware::from_fn_with_state(state, middleware::security_headers))
            .layer(axum::middleware::from_fn(middleware::api_input))
            .layer(axum::middleware::from_fn(middleware::api_status))
            // The session cookie is read and written through tower-cookies only.
            .layer(tower_cookies::CookieManagerLayer::new()),
    )
}

/// A file name safe inside `Content-Disposition: …; filename="…"` (ASCII letters, digits, `.-_`).
pub(crate) fn safe_filename(name: &str) -> String {
    name.chars().map(|c| if c.is_ascii_alphanumeric() || ".-_".contains(c) { c } else { '_' }).collect()
}
