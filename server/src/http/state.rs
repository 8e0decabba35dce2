//! What every handler can reach: configuration, the stores, the services server functions call,
//! Leptos' options and the secrets. Built by `startup`, owned here so `startup` depends on `http`
//! and never the other way round.

use crate::config::Config;
use crate::secrets::Secrets;
use crate::storage::Stores;
use app::server::Services;
use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use std::sync::Arc;

#[derive(Clone, FromRef)]
pub struct AppState {
    pub config: Arc<Config>,
    pub store: Stores,
    pub services: Services,
    pub leptos: LeptosOptions,
    pub secrets: Arc<Secrets>,
    pub integrations: Arc<crate::integrations::Integrations>,
    /// CSV imports: the upload and the rejected-rows download are plain routes.
    pub imports: Arc<crate::contacts::import::ImportService>,
    /// Stores webhook deliveries in batches (one commit for all that arrive together).
    pub deliveries: crate::whatsapp::Acceptor,
    /// Turns true at shutdown: long-lived responses (live updates) end so the drain can finish.
    pub stopping: tokio::sync::watch::Receiver<bool>,
    /// The site holds the public site's and the account pages' own bundles (`pkg/public.wasm`,
    /// `pkg/account.wasm`, see scripts/build-public.sh); without them every page loads the app's.
    pub split_bundles: bool,
}
