//! Encryption of secrets at rest (Meta access tokens): AES-256-GCM with a random 96-bit nonce and
//! the organisation id as associated data, so a ciphertext copied into another organisation's
//! record fails to decrypt. The envelope names its key, so keys rotate: encrypt with the current
//! key, decrypt with whichever key the envelope names.
//!
//! Envelope: `v1.<key id>.<base64url(nonce ‖ ciphertext ‖ tag)>`.

use aes_gcm::Aes256Gcm;
use aes_gcm::aead::{Aead, KeyInit, Payload};
use app::ids::OrgId;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use rand::RngCore;
use secrecy::{ExposeSecret, SecretBox, SecretString};
use std::collections::HashMap;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CryptoError {
    #[error("the envelope is malformed")]
    Malformed,
    #[error("no key with id {0:?}")]
    UnknownKey(String),
    #[error("decryption failed (wrong key, organisation or tampered data)")]
    Failed,
    #[error("an encryption key must be 32 bytes of base64")]
    BadKey,
}

pub struct Keyring {
    current: String,
    keys: HashMap<String, SecretBox<[u8; 32]>>,
}

impl std::fmt::Debug for Keyring {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Key ids are not secret; keys are never printed.
        f.debug_struct("Keyring").field("current", &self.current).field("key_ids", &self.keys.keys()).finish()
    }
}

impl Keyring {
    /// Parses `id:base64key,id2:base64key…`; the first key is the one new envelopes use.
    pub fn parse(spec: &SecretString) -> Result<Keyring, CryptoError> {
        let mut current = None;
        let mut keys = HashMap::new();
        for entry in spec.expose_secret().split(',').map(str::trim).filter(|e| !e.is_empty()) {
            let (id, key) = entry.split_once(':').ok_or(CryptoError::BadKey)?;
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(key.trim())
                .or_else(|_| B64.decode(key.trim()))
                .map_err(|_| CryptoError::BadKey)?;
            let key: [u8; 32] = bytes.try_into().map_err(|_| CryptoError::BadKey)?;
            if id.is_empty() || id.contains('.') {
                return Err(CryptoError::BadKey);
            }
            current.get_or_insert_with(|| id.to_owned());
            keys.insert(id.to_owned(), SecretBox::new(Box::new(key)));
        }
        Ok(Keyring { current: current.ok_or(CryptoError::BadKey)?, keys })
    }

    /// A fresh key in the `id:base64` form [`Keyring::parse`] reads.
    pub fn generate_spec(id: &str) -> SecretString {
        let mut key = [0u8; 32];
        rand::rng().fill_bytes(&mut key);
        SecretString::from(format!("{id}:{}", base64::engine::general_purpose::STANDARD.encode(key)))
    }

    fn cipher(&self, id: &str) -> Result<Aes256Gcm, CryptoError> {
        let key = self.keys.get(id).ok_or_else(|| CryptoError::UnknownKey(id.to_owned()))?;
        Aes256Gcm::new_from_slice(key.expose_secret()).map_err(|_| CryptoError::BadKey)
    }

    /// Seals a secret of organisation `org`: its ciphertext opens only for that organisation.
    pub fn encrypt(&self, org: &OrgId, plaintext: &SecretString) -> String {
        self.seal(org.as_str(), plaintext)
    }

    pub fn decrypt(&self, org: &OrgId, envelope: &str) -> Result<SecretString, CryptoError> {
        self.open(org.as_str(), envelope)
    }

    /// Seals `plaintext` bound to `context` (the associated data): organisation ids for tenants'
    /// secrets, `job:<kind>` for secrets a background job carries.
    pub fn seal(&self, context: &str, plaintext: &SecretString) -> String {
        let cipher = self.cipher(&self.current).expect("the current key is in the ring");
        let mut nonce = [0u8; 12];
        rand::rng().fill_bytes(&mut nonce);
        let payload = Payload { msg: plaintext.expose_secret().as_bytes(), aad: context.as_bytes() };
        let sealed = cipher.encrypt(&nonce.into(), payload).expect("AES-GCM encrypts any short message");
        let mut body = nonce.to_vec();
        body.extend_from_slice(&sealed);
        format!("v1.{}.{}", self.current, B64.encode(body))
    }

    pub fn open(&self, context: &str, envelope: &str) -> Result<SecretString, CryptoError> {
        let mut parts = envelope.splitn(3, '.');
        let (Some("v1"), Some(id), Some(body)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(CryptoError::Malformed);
        };
        let body = B64.decode(body).map_err(|_| CryptoError::Malformed)?;
        if body.len() < 12 + 16 {
            return Err(CryptoError::Malformed);
        }
        let (nonce, sealed) = body.split_at(12);
        let nonce: [u8; 12] = nonce.try_into().map_err(|_| CryptoError::Malformed)?;
        let plain = self
            .cipher(id)?
            .decrypt(&nonce.into(), Payload { msg: sealed, aad: context.as_bytes() })
            .map_err(|_| CryptoError::Failed)?;
        String::from_utf8(plain).map(SecretString::from).map_err(|_| CryptoError::Failed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ring(spec: &str) -> Keyring {
        Keyring::parse(&SecretString::from(spec.to_owned())).unwrap()
    }

    fn secret(s: &str) -> SecretString {
        SecretString::from(s.to_owned())
    }

    #[test]
    fn round_trips_and_two_encryptions_differ() {
        let k = Keyring::parse(&Keyring::generate_spec("k1")).unwrap();
        let org = OrgId::new("org-1");
        let (a, b) = (k.encrypt(&org, &secret("EAAG-token")), k.encrypt(&org, &secret("EAAG-token")));
        assert_ne!(a, b, "a fresh nonce each time");
        assert!(a.starts_with("v1.k1.") && !a.contains("EAAG"));
        assert_eq!(k.decrypt(&org, &a).unwrap().expose_secret(), "EAAG-token");
    }

    #[test]
    fn a_flipped_byte_fails_cleanly() {
        let k = Keyring::parse(&Keyring::generate_spec("k1")).unwrap();
        let org = OrgId::new("org-1");
        let env = k.encrypt(&org, &secret("token"));
        let (head, body) = env.rsplit_once('.').unwrap();
        let mut bytes = B64.decode(body).unwrap();
        for i in [0, 12, bytes.len() - 1] {
            bytes[i] ^= 1;
            let tampered = format!("{head}.{}", B64.encode(&bytes));
            assert_eq!(k.decrypt(&org, &tampered).unwrap_err(), CryptoError::Failed);
            bytes[i] ^= 1;
        }
        assert_eq!(k.decrypt(&org, "v1.k1.!!").unwrap_err(), CryptoError::Malformed);
        assert_eq!(k.decrypt(&org, "garbage").unwrap_err(), CryptoError::Malformed);
    }

    #[test]
    fn another_organisations_id_fails() {
        let k = Keyring::parse(&Keyring::generate_spec("k1")).unwrap();
        let env = k.encrypt(&OrgId::new("org-1"), &secret("token"));
        assert_eq!(k.decrypt(&OrgId::new("org-2"), &env).unwrap_err(), CryptoError::Failed);
    }

    #[test]
    fn keys_rotate_decrypting_with_old_and_encrypting_with_current() {
        let old = Keyring::generate_spec("2025");
        let new = Keyring::generate_spec("2026");
        let org = OrgId::new("o");
        let before = Keyring::parse(&old).unwrap().encrypt(&org, &secret("t"));
        let rotated = ring(&format!("{},{}", new.expose_secret(), old.expose_secret()));
        assert_eq!(rotated.decrypt(&org, &before).unwrap().expose_secret(), "t");
        assert!(rotated.encrypt(&org, &secret("t")).starts_with("v1.2026."));
        let without_old = Keyring::parse(&new).unwrap();
        assert_eq!(without_old.decrypt(&org, &before).unwrap_err(), CryptoError::UnknownKey("2025".into()));
    }

    #[test]
    fn rejects_bad_key_specs_and_never_prints_keys() {
        for bad in ["", "k1", "k1:short", "k.1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="] {
            assert!(Keyring::parse(&secret(bad)).is_err(), "{bad}");
        }
        let spec = Keyring::generate_spec("k1");
        let printed = format!("{:?}", Keyring::parse(&spec).unwrap());
        let key = spec.expose_secret().split_once(':').unwrap().1.to_owned();
        assert!(!printed.contains(&key) && printed.contains("k1"));
    }
}
