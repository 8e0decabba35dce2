//! Configuration from the environment, with the defaults documented in the README.

use anyhow::{Context, bail};
use secrecy::SecretString;
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Environment {
    /// Local runs: missing keys are generated into the data directory.
    Development,
    /// Refuses to start without every key configured.
    Production,
}

#[derive(Clone, Debug)]
pub struct Config {
    /// `ADRONX_ADDR`: where the HTTP server listens.
    pub addr: SocketAddr,
    /// `ADRONX_DATA_DIR`: the embedded store, generated keys and local outbox live here.
    pub data_dir: PathBuf,
    /// `ADRONX_PUBLIC_URL`: the origin users reach us at; https turns on HSTS and the redirect.
    /// Empty until the server binds when unset: it is then `http://` + the bound address.
    pub public_url: String,
    /// `ADRONX_DATABASE_URL`: unset → embedded store in the data directory.
    pub database_url: Option<String>,
    /// `LEPTOS_SITE_ROOT`: the built site (wasm, js, css, assets); set by cargo-leptos.
    pub site_root: PathBuf,
    /// `ADRONX_LOG_FORMAT`: `json` (production) or `pretty`.
    pub log_json: bool,
    /// `ADRONX_LOG_DIR`: also write logs there, rotated daily, kept 30 days.
    pub log_dir: Option<PathBuf>,
    /// `ADRONX_ENV`: `production` or `development` (default).
    pub environment: Environment,
    /// `ADRONX_WORKERS`: background jobs run at once by this instance.
    pub workers: usize,
    /// `ADRONX_HTTP_THREADS`: threads serving HTTP, each with a single-threaded runtime (default:
    /// one per CPU).
    pub http_threads: usize,
    /// `ADRONX_JOB_LEASE_SECS`: how long a claimed job is held without a heartbeat before another
    /// worker (after a crash, another instance) takes it over (2–600; default 30).
    pub job_lease: std::time::Duration,
    /// `ADRONX_SCHEDULE_EVERY_SECS`: how often periodic jobs (the retention purge) are enqueued.
    pub schedule_every: std::time::Duration,
    /// `ADRONX_TRUSTED_PROXIES`: how many proxies in front of us append to `X-Forwarded-For`
    /// (default 0: the client is the socket's peer and the header is ignored).
    pub trusted_proxies: usize,
    /// `ADRONX_REFRESH_GRACE_SECS`: for how long after a refresh token is rotated a second
    /// request with it (another tab) is given the winner's token instead of ending the session
    /// (0–60; default 20).
    pub refresh_grace: time::Duration,
    /// `ADRONX_BCRYPT_COST`: password hashing cost (10–14; default 12).
    pub bcrypt_cost: u32,
    /// `ADRONX_SMTP_FROM`: sender of transactional e-mail.
    pub smtp_from: String,
    /// `ADRONX_GRAPH_API_BASE` and `ADRONX_GRAPH_API_VERSION`: Meta's Graph API.
    pub graph_api_base: String,
    pub graph_api_version: String,
    /// `ADRONX_ANTHROPIC_BASE_URL` and `ADRONX_ANTHROPIC_MODEL`.
    pub anthropic_base_url: String,
    pub anthropic_model: String,
    /// `ADRONX_SANDBOX_PACE`: scales the WhatsApp sandbox's simulated delays (default 1.0; the
    /// sandbox is never served in production).
    pub sandbox_pace: f64,
    /// `ADRONX_WHATSAPP_MPS`: messages a second this instance sends per WhatsApp number (default
    /// 80, Meta's default throughput; divide by the instance count when running several).
    pub whatsapp_mps: u32,
    /// `ADRONX_ADS_THROTTLE_WAIT_SECS`: how long an ads sync Meta throttles waits before it
    /// resumes, when Meta does not say (default 60).
    pub ads_throttle_wait: std::time::Duration,
    /// Secrets as given in the environment; missing ones are resolved by [`crate::secrets`].
    pub raw_secrets: RawSecrets,
}

/// Secret values exactly as configured; `Debug` prints none of them.
#[derive(Clone, Debug, Default)]
pub struct RawSecrets {
    /// `ADRONX_SIGNING_KEY`: base64 key (≥ 32 bytes) that signs access tokens.
    pub signing_key: Option<SecretString>,
    /// `ADRONX_ENCRYPTION_KEYS`: `id:base64key[,older-id:base64key…]`, current first.
    pub encryption_keys: Option<SecretString>,
    /// `ADRONX_SMTP_URL`: e.g. `smtps://user:pass@smtp.example.com` or `smtp://host:2525?tls=required`.
    pub smtp_url: Option<SecretString>,
    /// `ADRONX_WHATSAPP_APP_SECRET` and `ADRONX_WHATSAPP_VERIFY_TOKEN`: webhook signing and verification.
    pub whatsapp_app_secret: Option<SecretString>,
    pub whatsapp_verify_token: Option<SecretString>,
    /// `ADRONX_ANTHROPIC_API_KEY`: campaign explanations.
    pub anthropic_api_key: Option<SecretString>,
}

impl Config {
    pub fn from_env() -> anyhow::Result<Self> {
        Self::from_lookup(|key| std::env::var(key).ok())
    }

    /// Reads configuration through `lookup`, so tests can supply variables without touching the
    /// process environment.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> anyhow::Result<Self> {
        let get = |key: &str| lookup(key).filter(|v| !v.trim().is_empty());
        let addr = get("ADRONX_ADDR").unwrap_or_else(|| "127.0.0.1:3000".into());
        let addr: SocketAddr = addr.parse().with_context(|| format!("ADRONX_ADDR is not host:port: {addr}"))?;
        let public_url = get("ADRONX_PUBLIC_URL").unwrap_or_default().trim_end_matches('/').to_owned();
        if !(public_url.is_empty() || public_url.starts_with("http://") || public_url.starts_with("https://")) {
            bail!("ADRONX_PUBLIC_URL must start with http:// or https://");
        }
        let config = Self {
            addr,
            data_dir: get("ADRONX_DATA_DIR").unwrap_or_else(|| "data".into()).into(),
            public_url,
            database_url: get("ADRONX_DATABASE_URL"),
            site_root: get("LEPTOS_SITE_ROOT").unwrap_or_else(|| "target/site".into()).into(),
            log_json: get("ADRONX_LOG_FORMAT").map(|f| f == "json").unwrap_or(false),
            log_dir: get("ADRONX_LOG_DIR").map(PathBuf::from),
            environment: match get("ADRONX_ENV").as_deref() {
                None | Some("development") => Environment::Development,
                Some("production") => Environment::Production,
                Some(other) => bail!("ADRONX_ENV must be production or development, not {other}"),
            },
            workers: get("ADRONX_WORKERS").map(|w| w.parse()).transpose().context("ADRONX_WORKERS")?.unwrap_or(4),
            http_threads: match get("ADRONX_HTTP_THREADS").map(|n| n.parse::<usize>()) {
                None => std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2),
                Some(Ok(n)) if (1..=256).contains(&n) => n,
                Some(_) => bail!("ADRONX_HTTP_THREADS must be a whole number from 1 to 256"),
            },
            job_lease: match get("ADRONX_JOB_LEASE_SECS").map(|n| n.parse::<u64>()) {
                None => std::time::Duration::from_secs(30),
                Some(Ok(n)) if (2..=600).contains(&n) => std::time::Duration::from_secs(n),
                Some(_) => bail!("ADRONX_JOB_LEASE_SECS must be a whole number from 2 to 600"),
            },
            schedule_every: std::time::Duration::from_secs(
                get("ADRONX_SCHEDULE_EVERY_SECS")
                    .map(|s| s.parse())
                    .transpose()
                    .context("ADRONX_SCHEDULE_EVERY_SECS")?
                    .unwrap_or(60),
            ),
            trusted_proxies: match get("ADRONX_TRUSTED_PROXIES").map(|n| n.parse::<usize>()) {
                None => 0,
                Some(Ok(n)) if n <= 10 => n,
                Some(_) => bail!("ADRONX_TRUSTED_PROXIES must be a whole number from 0 to 10"),
            },
            refresh_grace: match get("ADRONX_REFRESH_GRACE_SECS").map(|n| n.parse::<i64>()) {
                None => crate::accounts::session::REFRESH_GRACE,
                Some(Ok(n)) if (0..=60).contains(&n) => time::Duration::seconds(n),
                Some(_) => bail!("ADRONX_REFRESH_GRACE_SECS must be a whole number from 0 to 60"),
            },
            bcrypt_cost: match get("ADRONX_BCRYPT_COST").map(|c| c.parse::<u32>()) {
                None => crate::accounts::password::COST,
                Some(Ok(c)) if (10..=14).contains(&c) => c,
                Some(_) => bail!("ADRONX_BCRYPT_COST must be a whole number from 10 to 14"),
            },
            smtp_from: get("ADRONX_SMTP_FROM").unwrap_or_else(|| "Adronx <no-reply@adronx.localhost>".into()),
            graph_api_base: get("ADRONX_GRAPH_API_BASE").unwrap_or_else(|| "https://graph.facebook.com".into()),
            graph_api_version: get("ADRONX_GRAPH_API_VERSION").unwrap_or_else(|| "v27.0".into()),
            anthropic_base_url: get("ADRONX_ANTHROPIC_BASE_URL").unwrap_or_else(|| "https://api.anthropic.com".into()),
            anthropic_model: get("ADRONX_ANTHROPIC_MODEL").unwrap_or_else(|| "claude-sonnet-4-5".into()),
            sandbox_pace: match get("ADRONX_SANDBOX_PACE").map(|p| p.parse::<f64>()) {
                None => 1.0,
                Some(Ok(p)) if (0.0..=10.0).contains(&p) => p,
                Some(_) => bail!("ADRONX_SANDBOX_PACE must be a number from 0 to 10"),
            },
            whatsapp_mps: match get("ADRONX_WHATSAPP_MPS").map(|p| p.parse::<u32>()) {
                None => 80,
                Some(Ok(n)) if (1..=1000).contains(&n) => n,
                Some(_) => bail!("ADRONX_WHATSAPP_MPS must be a whole number from 1 to 1000"),
            },
            ads_throttle_wait: match get("ADRONX_ADS_THROTTLE_WAIT_SECS").map(|p| p.parse::<u64>()) {
                None => std::time::Duration::from_secs(60),
                Some(Ok(n)) if (1..=3600).contains(&n) => std::time::Duration::from_secs(n),
                Some(_) => bail!("ADRONX_ADS_THROTTLE_WAIT_SECS must be a whole number from 1 to 3600"),
            },
            raw_secrets: RawSecrets {
                signing_key: get("ADRONX_SIGNING_KEY").map(SecretString::from),
                encryption_keys: get("ADRONX_ENCRYPTION_KEYS").map(SecretString::from),
                smtp_url: get("ADRONX_SMTP_URL").map(SecretString::from),
                whatsapp_app_secret: get("ADRONX_WHATSAPP_APP_SECRET").map(SecretString::from),
                whatsapp_verify_token: get("ADRONX_WHATSAPP_VERIFY_TOKEN").map(SecretString::from),
                anthropic_api_key: get("ADRONX_ANTHROPIC_API_KEY").map(SecretString::from),
            },
        };
        if config.environment == Environment::Production {
            // Cookies are `Secure` only behind an https public URL, and log collectors read JSON.
            if !config.is_https() {
                bail!("ADRONX_ENV=production needs an https:// ADRONX_PUBLIC_URL (session cookies must be Secure)");
            }
            if !config.log_json {
                bail!("ADRONX_ENV=production needs ADRONX_LOG_FORMAT=json");
            }
        }
        Ok(config)
    }

    pub fn is_https(&self) -> bool {
        self.public_url.starts_with("https://")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(vars: &[(&str, &str)]) -> anyhow::Result<Config> {
        let vars: Vec<(String, String)> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Config::from_lookup(move |k| vars.iter().find(|(key, _)| key == k).map(|(_, v)| v.clone()))
    }

    #[test]
    fn defaults_run_locally_on_the_embedded_store() {
        let c = with(&[]).unwrap();
        assert_eq!(c.addr.to_string(), "127.0.0.1:3000");
        assert_eq!(c.public_url, "");
        assert!(c.database_url.is_none() && !c.is_https());
    }

    #[test]
    fn secrets_never_print() {
        let c =
            with(&[("ADRONX_SIGNING_KEY", "very-secret-signing-key"), ("ADRONX_SMTP_URL", "smtp://u:pw@h")]).unwrap();
        let printed = format!("{c:?}");
        assert!(!printed.contains("very-secret") && !printed.contains("pw@h"), "{printed}");
    }

    #[test]
    fn rejects_malformed_values() {
        assert!(with(&[("ADRONX_ENV", "staging")]).is_err());
        assert!(with(&[("ADRONX_WORKERS", "many")]).is_err());
        assert!(with(&[("ADRONX_ADDR", "nope")]).is_err());
        assert!(with(&[("ADRONX_PUBLIC_URL", "ftp://x")]).is_err());
        let c = with(&[("ADRONX_PUBLIC_URL", "https://app.adronx.com/")]).unwrap();
        assert_eq!(c.public_url, "https://app.adronx.com");
        assert!(c.is_https());
    }

    #[test]
    fn production_refuses_plain_http_and_unstructured_logs() {
        let err = with(&[("ADRONX_ENV", "production")]).unwrap_err().to_string();
        assert!(err.contains("https"), "{err}");
        let err = with(&[("ADRONX_ENV", "production"), ("ADRONX_PUBLIC_URL", "http://app.example")]).unwrap_err();
        assert!(err.to_string().contains("https"));
        let err = with(&[("ADRONX_ENV", "production"), ("ADRONX_PUBLIC_URL", "https://app.example")]).unwrap_err();
        assert!(err.to_string().contains("ADRONX_LOG_FORMAT=json"));
        let ok =
            [("ADRONX_ENV", "production"), ("ADRONX_PUBLIC_URL", "https://app.example"), ("ADRONX_LOG_FORMAT", "json")];
        assert!(with(&ok).is_ok());
    }
}
