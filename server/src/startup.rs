//! Builds the application from configuration and runs it until a shutdown signal
//! (`Application::build` / `port()` / `run_until_stopped()`, so tests start the real app on port 0).

use crate::config::Config;
use crate::contact::StoreContactInbox;
use crate::storage::{self, DynStore};
use anyhow::Context;
use app::ports::Services;
use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use std::sync::Arc;
use tokio::net::TcpListener;

#[derive(Clone, FromRef)]
pub struct AppState {
    pub config: Arc<Config>,
    pub store: DynStore,
    pub services: Services,
    pub leptos: LeptosOptions,
}

pub struct Application {
    listener: TcpListener,
    router: axum::Router,
    store: DynStore,
}

impl Application {
    pub async fn build(mut config: Config) -> anyhow::Result<Self> {
        let store = storage::open(&config).await?;
        let listener = TcpListener::bind(config.addr).await.with_context(|| format!("binding {}", config.addr))?;
        if config.public_url.is_empty() {
            config.public_url = format!("http://{}", listener.local_addr()?);
        }
        let leptos = LeptosOptions::builder()
            .output_name("adronx")
            .site_root(config.site_root.to_string_lossy().into_owned())
            .site_pkg_dir("pkg")
            .site_addr(listener.local_addr()?)
            .build();
        let services = Services { contact: Arc::new(StoreContactInbox::new(store.clone())) };
        let state = AppState { config: Arc::new(config), store: store.clone(), services, leptos };
        Ok(Self { listener, router: crate::http::router(state), store })
    }

    pub fn port(&self) -> u16 {
        self.listener.local_addr().map(|a| a.port()).unwrap_or(0)
    }

    /// The store this application uses (tests read what requests wrote).
    pub fn store(&self) -> DynStore {
        self.store.clone()
    }

    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        tracing::info!(addr = %self.listener.local_addr()?, "listening");
        axum::serve(self.listener, self.router.into_make_service_with_connect_info::<std::net::SocketAddr>())
            .with_graceful_shutdown(shutdown_signal())
            .await
            .context("serving HTTP")
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutting down");
}
