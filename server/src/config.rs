//! Configuration from the environment, with the defaults documented in the README.

use anyhow::{Context, bail};
use std::net::SocketAddr;
use std::path::PathBuf;

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
        Ok(Self {
            addr,
            data_dir: get("ADRONX_DATA_DIR").unwrap_or_else(|| "data".into()).into(),
            public_url,
            database_url: get("ADRONX_DATABASE_URL"),
            site_root: get("LEPTOS_SITE_ROOT").unwrap_or_else(|| "target/site".into()).into(),
            log_json: get("ADRONX_LOG_FORMAT").map(|f| f == "json").unwrap_or(false),
        })
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
    fn rejects_malformed_values() {
        assert!(with(&[("ADRONX_ADDR", "nope")]).is_err());
        assert!(with(&[("ADRONX_PUBLIC_URL", "ftp://x")]).is_err());
        let c = with(&[("ADRONX_PUBLIC_URL", "https://app.adronx.com/")]).unwrap();
        assert_eq!(c.public_url, "https://app.adronx.com");
        assert!(c.is_https());
    }
}
