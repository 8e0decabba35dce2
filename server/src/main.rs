//! The `adronx` binary: `adronx` (or `adronx serve`) runs the web app; `adronx simulate` runs the
//! optimiser benchmark.

use adronx::config::Config;
use adronx::startup::Application;

fn main() -> anyhow::Result<()> {
    adronx::memory::limit_arenas();
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    let ended = runtime.block_on(run());
    // Dropping a runtime waits for every worker thread without limit; a task stuck on a lock
    // (say, a page render caught in a framework deadlock) would keep a stopped server alive for
    // ever, so the process gives its tasks a few seconds and then exits regardless.
    runtime.shutdown_timeout(std::time::Duration::from_secs(5));
    ended
}

async fn run() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        None | Some("serve") => serve().await,
        Some("simulate") => simulate(&args[1..]),
        Some("jobs") if args.get(1).map(String::as_str) == Some("failed") => failed_jobs().await,
        Some(other) => {
            anyhow::bail!("unknown command {other:?}; usage: adronx [serve | simulate --help | jobs failed]")
        }
    }
}

/// The dead-letter view: jobs that gave up, newest first, one JSON object per line.
async fn failed_jobs() -> anyhow::Result<()> {
    let config = Config::from_env()?;
    let store = adronx::storage::open(&config).await?;
    for job in store.jobs.dead_jobs(100).await? {
        let line = serde_json::json!({
            "id": job.id, "kind": job.kind, "attempts": job.attempts,
            "last_error": job.last_error, "run_at": job.run_at.unix_timestamp(),
        });
        println!("{line}");
    }
    Ok(())
}

fn simulate(args: &[String]) -> anyhow::Result<()> {
    if args.iter().any(|a| a == "--help" || a == "-h") {
        println!("{}", adronx::simulate::USAGE);
        return Ok(());
    }
    let args = adronx::simulate::parse(args)?;
    let rows = adronx::simulate::run(&args);
    if args.json {
        println!("{}", serde_json::to_string_pretty(&rows)?);
    } else {
        print!("{}", adronx::simulate::render_table(&rows));
    }
    Ok(())
}

async fn serve() -> anyhow::Result<()> {
    let config = Config::from_env()?;
    let _log_guard = adronx::telemetry::init(config.log_json, config.log_dir.as_deref());
    Application::build(config).await?.run_until_stopped().await
}
