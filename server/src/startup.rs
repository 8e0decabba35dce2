//! Builds the application from configuration and runs it until a shutdown signal
//! (`Application::build` / `port()` / `run_until_stopped()`, so tests start the real app on port 0).

use crate::config::Config;
use crate::email::{Mailer, SEND_EMAIL, SendEmail};
use crate::enquiries::EnquiryService;
use crate::http::AppState;
use crate::jobs::{Periodic, RETENTION, Retention, Scheduler, WorkerPool};
use crate::storage::{self, Stores};
use anyhow::Context;
use app::server::Services;
use leptos::config::LeptosOptions;
use std::sync::Arc;
use tokio::net::TcpListener;
use tokio::sync::watch;

pub struct Application {
    listener: TcpListener,
    http_threads: usize,
    router: axum::Router,
    store: Stores,
    shutdown: watch::Sender<bool>,
    background: Vec<tokio::task::JoinHandle<()>>,
}

impl Application {
    pub async fn build(mut config: Config) -> anyhow::Result<Self> {
        // One TLS stack: every client (SMTP, MongoDB, HTTP APIs) uses rustls with ring.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let secrets = Arc::new(crate::secrets::resolve(&config)?);
        let store = storage::open(&config).await?;
        let listener = shared_listener(config.addr).with_context(|| format!("binding {}", config.addr))?;
        let http_threads = config.http_threads;
        if config.public_url.is_empty() {
            config.public_url = format!("http://{}", listener.local_addr()?);
        }
        let leptos = LeptosOptions::builder()
            .output_name("adronx")
            .site_root(config.site_root.to_string_lossy().into_owned())
            .site_pkg_dir("pkg")
            .site_addr(listener.local_addr()?)
            .build();
        let accounts = Arc::new(
            crate::accounts::AccountService::new(
                (&store).into(),
                crate::accounts::session::Signer::new(&secrets.signing_key),
                config.bcrypt_cost,
                secrets.keyring.clone(),
                config.public_url.clone(),
            )
            .with_refresh_grace(config.refresh_grace),
        );
        let members = crate::accounts::MemberService::new(
            (&store).into(),
            accounts.clone(),
            config.public_url.clone(),
            config.bcrypt_cost,
        );
        let contacts = Arc::new(crate::contacts::ContactService::new(store.contacts.clone()));
        let imports = Arc::new(crate::contacts::import::ImportService::new(
            &store,
            contacts.clone(),
            &config.data_dir,
            config.public_url.clone(),
        ));
        let integrations = Arc::new(crate::integrations::Integrations::from_config(&config, &secrets));
        let clients = crate::whatsapp::Clients::new(
            integrations.whatsapp.clone(),
            &config.public_url,
            &config.graph_api_version,
            config.environment != crate::config::Environment::Production,
        );
        let send = crate::whatsapp::SendMessage {
            stores: store.clone(),
            pacer: crate::whatsapp::pace::Pacer::new(config.whatsapp_mps),
            keyring: secrets.keyring.clone(),
            clients: clients.clone(),
        };
        let media = crate::whatsapp::FetchMedia {
            stores: store.clone(),
            keyring: secrets.keyring.clone(),
            clients: clients.clone(),
        };
        let template_sync = crate::whatsapp::SyncTemplates {
            stores: store.clone(),
            keyring: secrets.keyring.clone(),
            clients: clients.clone(),
        };
        let ad_clients = crate::ads::Clients::new(
            integrations.marketing.clone(),
            &config.public_url,
            &config.graph_api_version,
            config.environment != crate::config::Environment::Production,
        );
        let ads_sync = Arc::new(crate::ads::SyncAds {
            stores: store.clone(),
            keyring: secrets.keyring.clone(),
            clients: ad_clients.clone(),
            throttle_wait: config.ads_throttle_wait,
        });
        let apply_budgets = crate::budgets::ApplyBudgets {
            stores: store.clone(),
            keyring: secrets.keyring.clone(),
            clients: ad_clients.clone(),
        };
        let budgets = Arc::new(crate::budgets::BudgetService::new(store.clone(), integrations.anthropic.clone()));
        let daily_budgets = Arc::new(crate::budgets::DailyBudgets {
            stores: store.clone(),
            service: budgets.clone(),
            public_url: config.public_url.clone(),
        });
        let simulate_days = crate::ads::SimulateDays {
            stores: store.clone(),
            keyring: secrets.keyring.clone(),
            clients: ad_clients.clone(),
            sync: ads_sync.clone(),
            daily: daily_budgets.clone(),
        };
        let mailer = Arc::new(Mailer::new(secrets.smtp_url.as_ref(), &config.smtp_from, &config.data_dir)?);
        let (shutdown, stopping) = watch::channel(false);
        let workers = WorkerPool::new(store.jobs.clone())
            .lease(config.job_lease)
            .handle(SEND_EMAIL, Arc::new(SendEmail(mailer, secrets.keyring.clone())))
            .handle(RETENTION, Arc::new(Retention(store.clone())))
            .handle(crate::accounts::RESET_REQUEST, Arc::new(crate::accounts::SendResetLink(accounts.clone())))
            .handle(crate::contacts::import::IMPORT_JOB, Arc::new(crate::contacts::import::ImportJob(imports.clone())))
            .handle(crate::whatsapp::DELIVERY_JOB, Arc::new(crate::whatsapp::Intake::new(store.clone())))
            .handle(crate::whatsapp::SEND_JOB, Arc::new(send))
            .handle(crate::whatsapp::MEDIA_JOB, Arc::new(media))
            .handle(crate::whatsapp::TEMPLATE_SYNC_JOB, Arc::new(template_sync))
            .handle(crate::ads::ADS_SYNC_JOB, ads_sync)
            .handle(crate::ads::SIMULATE_JOB, Arc::new(simulate_days))
            .handle(crate::budgets::APPLY_JOB, Arc::new(apply_budgets))
            .handle(crate::budgets::DAILY_JOB, daily_budgets)
            .spawn(config.workers, stopping.clone());
        let scheduler = Scheduler {
            store: store.jobs.clone(),
            every: config.schedule_every,
            jobs: vec![Periodic { kind: RETENTION }],
        }
        .spawn(stopping);
        let enquiries = Arc::new(EnquiryService::new(&store));
        let whatsapp =
            Arc::new(crate::whatsapp::ConnectionService::new(&store, secrets.keyring.clone(), clients.clone()));
        let services = Services {
            enquiries,
            accounts,
            members: Arc::new(members),
            contacts,
            imports: imports.clone(),
            whatsapp,
            inbox: Arc::new(crate::whatsapp::InboxService::new(store.clone())),
            ads: Arc::new(crate::ads::AdsService::new(store.clone(), secrets.keyring.clone(), ad_clients)),
            budgets,
        };
        let split_bundles = [app::Bundle::Public, app::Bundle::Account]
            .iter()
            .all(|b| config.site_root.join("pkg").join(format!("{}.wasm", b.output_name())).is_file());
        let state = AppState {
            config: Arc::new(config),
            store: store.clone(),
            services,
            leptos,
            secrets,
            integrations,
            imports,
            deliveries: crate::whatsapp::Acceptor::spawn(store.clone()),
            stopping: shutdown.subscribe(),
            split_bundles,
        };
        Ok(Self {
            listener,
            http_threads,
            router: crate::http::router(state),
            store,
            shutdown,
            background: vec![workers, scheduler],
        })
    }

    pub fn port(&self) -> u16 {
        self.listener.local_addr().map(|a| a.port()).unwrap_or(0)
    }

    /// The store this application uses (tests read what requests wrote).
    pub fn store(&self) -> Stores {
        self.store.clone()
    }

    /// Serves until SIGINT/SIGTERM: stops accepting, finishes in-flight requests, then stops the
    /// workers (they finish or release their jobs within their grace period).
    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        self.run_until(shutdown_signal()).await
    }

    /// Serves until `signal` resolves. Then, at once, the workers stop claiming jobs (in-flight
    /// ones finish or are released within their grace period) while HTTP stops accepting and
    /// finishes in-flight requests — for at most `DRAIN`, so a long-lived connection cannot hold
    /// the shutdown up.
    ///
    /// HTTP is served by `http_threads` threads, each a single-threaded runtime with its own
    /// socket on the same port (SO_REUSEPORT: the kernel spreads connections over them). A page
    /// render spawns tasks for its resources and suspense boundaries; leptos' reactive graph takes
    /// locks that deadlock when one render's tasks run on two threads at once
    /// (leptos-rs/leptos#4673 — seen here as a server that stopped answering). On one thread per
    /// runtime a render's tasks never overlap, and the threads still use every core.
    pub async fn run_until(self, signal: impl std::future::Future<Output = ()> + Send + 'static) -> anyhow::Result<()> {
        const DRAIN: std::time::Duration = std::time::Duration::from_secs(10);
        let addr = self.listener.local_addr()?;
        tracing::info!(%addr, threads = self.http_threads, "listening");
        let stop = self.shutdown;
        // Every socket is bound here, so a port that cannot be shared fails the start at once.
        let mut sockets = vec![self.listener.into_std()?];
        for _ in 1..self.http_threads {
            sockets.push(shared_listener(addr)?.into_std()?);
        }
        let mut ended = Vec::new();
        for (n, socket) in sockets.into_iter().enumerate() {
            let (router, stopping) = (self.router.clone(), stop.subscribe());
            let (done, end) = tokio::sync::oneshot::channel();
            std::thread::Builder::new().name(format!("adronx-http-{n}")).spawn(move || {
                let _ = done.send(serve_on_this_thread(socket, router, stopping));
            })?;
            ended.push(end);
        }
        signal.await;
        let _ = stop.send(true);
        let mut served = Ok(());
        let drained = tokio::time::timeout(DRAIN, async {
            for end in ended {
                if let Ok(Err(e)) = end.await {
                    served = Err(e);
                }
            }
        });
        if drained.await.is_err() {
            tracing::warn!("in-flight requests did not finish within the drain deadline");
        }
        let background = futures_join_all(self.background);
        if tokio::time::timeout(std::time::Duration::from_secs(15), background).await.is_err() {
            tracing::warn!("background work did not stop in time");
        }
        served
    }
}

/// A listening socket that other sockets of this process may bind to the same address
/// (SO_REUSEPORT; Linux lets only the same user's sockets share it).
fn shared_listener(addr: std::net::SocketAddr) -> std::io::Result<TcpListener> {
    let socket = if addr.is_ipv4() { tokio::net::TcpSocket::new_v4()? } else { tokio::net::TcpSocket::new_v6()? };
    socket.set_reuseaddr(true)?;
    #[cfg(unix)]
    socket.set_reuseport(true)?;
    socket.bind(addr)?;
    socket.listen(1024)
}

/// Runs one HTTP thread: a single-threaded runtime serving `router` on `socket` until `stopping`
/// turns true. (The `LocalSet` is there for leptos' `spawn_local`, which needs one.)
fn serve_on_this_thread(
    socket: std::net::TcpListener,
    router: axum::Router,
    mut stopping: watch::Receiver<bool>,
) -> anyhow::Result<()> {
    use axum::serve::ListenerExt;
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    tokio::task::LocalSet::new().block_on(&runtime, async move {
        // Without TCP_NODELAY a response written in two parts (headers, then a file's body) waits
        // for the client's delayed ACK, ~40 ms: static files crawled at ~850 requests/s.
        let listener = TcpListener::from_std(socket)?.tap_io(|tcp| {
            if let Err(e) = tcp.set_nodelay(true) {
                tracing::debug!(error = %e, "could not set TCP_NODELAY");
            }
        });
        axum::serve(listener, router.into_make_service_with_connect_info::<std::net::SocketAddr>())
            .with_graceful_shutdown(async move {
                let _ = stopping.wait_for(|s| *s).await;
            })
            .await
            .context("serving HTTP")
    })
}

async fn futures_join_all(handles: Vec<tokio::task::JoinHandle<()>>) {
    for h in handles {
        let _ = h.await;
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
