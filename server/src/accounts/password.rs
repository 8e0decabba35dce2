//! Passwords: at least 12 characters, any length and any Unicode accepted, never silently
//! truncated. bcrypt reads only 72 bytes, so the password is first reduced to a fixed-size digest
//! (SHA-256, base64: 44 bytes) and that is what bcrypt hashes. Hashing runs on the blocking pool.

use app::accounts::port::AccountsError;
use base64::Engine;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

pub const MIN_CHARS: usize = 12;
/// Longer inputs are refused rather than hashed: a cheap guard against hashing megabytes.
pub const MAX_BYTES: usize = 4096;
/// Cost 12: about a quarter of a second per hash on this project's machines (see the closing
/// note of the accounts issue for the measurement).
pub const COST: u32 = 12;

/// A password that meets the policy. Deliberately not `Debug`/`Serialize`.
pub struct Password(String);

impl Password {
    pub fn parse(raw: String) -> Result<Password, AccountsError> {
        if raw.chars().count() < MIN_CHARS {
            return Err(AccountsError::Invalid("error-password-short"));
        }
        if raw.len() > MAX_BYTES {
            return Err(AccountsError::Invalid("error-password-long"));
        }
        Ok(Password(raw))
    }

    fn prehash(&self) -> String {
        base64::engine::general_purpose::STANDARD.encode(Sha256::digest(self.0.as_bytes()))
    }
}

pub async fn hash(password: &Password, cost: u32) -> anyhow::Result<String> {
    let pre = password.prehash();
    Ok(tokio::task::spawn_blocking(move || bcrypt::hash(pre, cost)).await??)
}

/// Checks `password` against `hash`; with `None` (no such user) it checks against a dummy hash of
/// the configured `cost`, so the answer takes as long as for a real account.
pub async fn verify(password: &Password, hash: Option<&str>, cost: u32) -> bool {
    let pre = password.prehash();
    let (hash, real) = match hash {
        Some(h) => (h.to_owned(), true),
        None => (dummy_hash(cost).await, false),
    };
    let ok = tokio::task::spawn_blocking(move || bcrypt::verify(pre, &hash).unwrap_or(false)).await.unwrap_or(false);
    ok && real
}

/// One dummy hash per cost, made once (off the async threads) and kept.
async fn dummy_hash(cost: u32) -> String {
    static DUMMIES: OnceLock<Mutex<HashMap<u32, String>>> = OnceLock::new();
    let dummies = DUMMIES.get_or_init(Default::default);
    if let Some(h) = dummies.lock().expect("dummy hashes").get(&cost) {
        return h.clone();
    }
    let made = tokio::task::spawn_blocking(move || bcrypt::hash("adronx-dummy-password-for-timing", cost))
        .await
        .ok()
        .and_then(Result::ok)
        .unwrap_or_default();
    dummies.lock().expect("dummy hashes").entry(cost).or_insert(made).clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pw(s: &str) -> Password {
        Password::parse(s.to_owned()).unwrap()
    }

    #[test]
    fn enforces_the_length_policy_in_characters() {
        assert!(matches!(Password::parse("short-pass1".into()), Err(AccountsError::Invalid("error-password-short"))));
        assert!(Password::parse("contraseña12".into()).is_ok(), "12 characters, 13 bytes");
        assert!(Password::parse("ab".repeat(2049)).is_err());
    }

    #[tokio::test]
    async fn long_and_unicode_passwords_are_never_truncated() {
        // Two passwords that share their first 72 bytes must not be interchangeable.
        let base = "x".repeat(80);
        let h = hash(&pw(&format!("{base}-one")), 4).await.unwrap();
        assert!(verify(&pw(&format!("{base}-one")), Some(&h), 4).await);
        assert!(!verify(&pw(&format!("{base}-two")), Some(&h), 4).await);
        let arabic = "كلمة مرور طويلة جدا";
        let h = hash(&pw(arabic), 4).await.unwrap();
        assert!(verify(&pw(arabic), Some(&h), 4).await);
        assert!(h.starts_with("$2b$04$"));
    }

    #[tokio::test]
    async fn an_unknown_user_never_verifies() {
        assert!(!verify(&pw("adronx-dummy-password-for-timing"), None, 4).await);
    }

    /// A dummy of another cost than real accounts' would tell a guesser which addresses exist.
    #[tokio::test]
    async fn the_unknown_address_path_takes_as_long_as_a_real_check() {
        let cost = 10;
        let real = hash(&pw("a-real-password-123"), cost).await.unwrap();
        let guess = pw("a-wrong-guess-4567");
        verify(&guess, None, cost).await;
        let (mut known, mut unknown) = (vec![], vec![]);
        for _ in 0..9 {
            let t = std::time::Instant::now();
            verify(&guess, Some(&real), cost).await;
            known.push(t.elapsed());
            let t = std::time::Instant::now();
            verify(&guess, None, cost).await;
            unknown.push(t.elapsed());
        }
        known.sort();
        unknown.sort();
        let (k, u) = (known[4].as_secs_f64(), unknown[4].as_secs_f64());
        assert!((u / k - 1.0).abs() < 0.35, "median known {k:.4}s, unknown {u:.4}s");
    }
}
