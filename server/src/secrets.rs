//! Resolves the secrets the server needs. Configured values win; in development, missing ones are
//! generated once into `<data dir>/secrets.json` (mode 0600) and reused on every start; in
//! production a missing secret stops start-up with the names of what is missing (never values).

use crate::config::{Config, Environment};
use crate::crypto::Keyring;
use anyhow::{Context, bail};
use base64::Engine;
use rand::RngCore;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use std::path::Path;

pub struct Secrets {
    pub signing_key: SecretString,
    pub keyring: std::sync::Arc<Keyring>,
    pub whatsapp_app_secret: SecretString,
    pub whatsapp_verify_token: SecretString,
    pub smtp_url: Option<SecretString>,
    pub anthropic_api_key: Option<SecretString>,
}

/// What a local run keeps on disk. Plain strings only here, never logged.
#[derive(Default, Serialize, Deserialize)]
struct LocalFile {
    signing_key: Option<String>,
    encryption_keys: Option<String>,
    whatsapp_app_secret: Option<String>,
    whatsapp_verify_token: Option<String>,
}

pub fn resolve(config: &Config) -> anyhow::Result<Secrets> {
    let raw = &config.raw_secrets;
    let required = [
        ("ADRONX_SIGNING_KEY", &raw.signing_key),
        ("ADRONX_ENCRYPTION_KEYS", &raw.encryption_keys),
        ("ADRONX_WHATSAPP_APP_SECRET", &raw.whatsapp_app_secret),
        ("ADRONX_WHATSAPP_VERIFY_TOKEN", &raw.whatsapp_verify_token),
    ];
    let missing: Vec<&str> = required.iter().filter(|(_, v)| v.is_none()).map(|(name, _)| *name).collect();
    let mut local = LocalFile::default();
    if !missing.is_empty() {
        if config.environment == Environment::Production {
            bail!("production needs these secrets set: {}", missing.join(", "));
        }
        local = load_or_generate(&config.data_dir.join("secrets.json"))?;
    }
    let pick = |configured: &Option<SecretString>, generated: &Option<String>| -> SecretString {
        configured.clone().unwrap_or_else(|| SecretString::from(generated.clone().expect("generated above")))
    };
    let keyring_spec = pick(&raw.encryption_keys, &local.encryption_keys);
    let signing_key = pick(&raw.signing_key, &local.signing_key);
    if base64::engine::general_purpose::STANDARD.decode(signing_key.expose_secret()).map_or(0, |k| k.len()) < 32 {
        bail!("ADRONX_SIGNING_KEY must be base64 of at least 32 bytes");
    }
    Ok(Secrets {
        signing_key,
        keyring: std::sync::Arc::new(Keyring::parse(&keyring_spec).context("ADRONX_ENCRYPTION_KEYS")?),
        whatsapp_app_secret: pick(&raw.whatsapp_app_secret, &local.whatsapp_app_secret),
        whatsapp_verify_token: pick(&raw.whatsapp_verify_token, &local.whatsapp_verify_token),
        smtp_url: raw.smtp_url.clone(),
        anthropic_api_key: raw.anthropic_api_key.clone(),
    })
}

fn random_b64(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::rng().fill_bytes(&mut buf);
    base64::engine::general_purpose::STANDARD.encode(buf)
}

fn load_or_generate(path: &Path) -> anyhow::Result<LocalFile> {
    let mut file: LocalFile = match std::fs::read(path) {
        Ok(bytes) => serde_json::from_slice(&bytes).with_context(|| format!("reading {}", path.display()))?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => LocalFile::default(),
        Err(e) => return Err(e).with_context(|| format!("reading {}", path.display())),
    };
    let before = serde_json::to_string(&file)?;
    file.signing_key.get_or_insert_with(|| random_b64(32));
    file.encryption_keys.get_or_insert_with(|| Keyring::generate_spec("local-1").expose_secret().to_owned());
    file.whatsapp_app_secret.get_or_insert_with(|| random_b64(24));
    file.whatsapp_verify_token.get_or_insert_with(|| random_b64(18));
    if serde_json::to_string(&file)? != before {
        write_private(path, &serde_json::to_vec_pretty(&file)?)?;
        tracing::info!(path = %path.display(), "generated local secrets");
    }
    Ok(file)
}

/// Writes a file only its owner can read (0600), replacing it atomically.
fn write_private(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    use std::io::Write;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = path.with_extension("tmp");
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut f = options.open(&tmp).with_context(|| format!("writing {}", tmp.display()))?;
    f.write_all(bytes)?;
    f.sync_all()?;
    std::fs::rename(&tmp, path)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    fn config(dir: &Path, vars: &[(&str, &str)]) -> Config {
        let mut all = vec![("ADRONX_DATA_DIR".to_owned(), dir.to_string_lossy().into_owned())];
        all.extend(vars.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        Config::from_lookup(|k| all.iter().find(|(key, _)| key == k).map(|(_, v)| v.clone())).unwrap()
    }

    #[test]
    fn development_generates_once_with_owner_only_permissions_and_reuses() {
        let dir = tempfile::tempdir().unwrap();
        let first = resolve(&config(dir.path(), &[])).unwrap();
        let path = dir.path().join("secrets.json");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        }
        let second = resolve(&config(dir.path(), &[])).unwrap();
        assert_eq!(first.signing_key.expose_secret(), second.signing_key.expose_secret());
        let org = app::ids::OrgId::new("o");
        let sealed = first.keyring.encrypt(&org, &SecretString::from("t".to_owned()));
        assert!(second.keyring.decrypt(&org, &sealed).is_ok(), "the same key after a restart");
    }

    #[test]
    fn configured_values_win() {
        let dir = tempfile::tempdir().unwrap();
        let key = random_b64(32);
        let s = resolve(&config(dir.path(), &[("ADRONX_SIGNING_KEY", &key)])).unwrap();
        assert_eq!(s.signing_key.expose_secret(), key);
    }

    #[test]
    fn production_refuses_to_start_without_keys_and_names_only_what_is_missing() {
        let dir = tempfile::tempdir().unwrap();
        let key = random_b64(32);
        let production = [
            ("ADRONX_ENV", "production"),
            ("ADRONX_PUBLIC_URL", "https://app.example"),
            ("ADRONX_LOG_FORMAT", "json"),
            ("ADRONX_SIGNING_KEY", &key),
        ];
        let err = resolve(&config(dir.path(), &production)).err().unwrap().to_string();
        assert!(err.contains("ADRONX_ENCRYPTION_KEYS") && !err.contains("ADRONX_SIGNING_KEY"), "{err}");
        assert!(!err.contains(&key));
        assert!(!dir.path().join("secrets.json").exists());
    }

    #[test]
    fn rejects_a_short_signing_key() {
        let dir = tempfile::tempdir().unwrap();
        assert!(resolve(&config(dir.path(), &[("ADRONX_SIGNING_KEY", "c2hvcnQ=")])).is_err());
    }
}
