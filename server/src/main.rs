//! The `adronx` binary: `adronx` (or `adronx serve`) runs the web app.

use adronx::config::Config;
use adronx::startup::Application;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    match args.next().as_deref() {
        None | Some("serve") => serve().await,
        Some(other) => anyhow::bail!("unknown command {other:?}; usage: adronx [serve]"),
    }
}

async fn serve() -> anyhow::Result<()> {
    let config = Config::from_env()?;
    adronx::telemetry::init(config.log_json);
    Application::build(config).await?.run_until_stopped().await
}
