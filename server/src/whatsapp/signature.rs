//! `X-Hub-Signature-256`: Meta signs each webhook delivery with the app secret, HMAC-SHA256 over
//! the raw body, sent as `sha256=<hex>`. Checked before anything is parsed.

use hmac::{Hmac, Mac};
use secrecy::{ExposeSecret, SecretString};
use sha2::Sha256;

pub const HEADER: &str = "x-hub-signature-256";

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    /// No `X-Hub-Signature-256` (a legacy `X-Hub-Signature` sha1 alone does not count).
    #[error("the delivery is not signed")]
    Missing,
    #[error("the signature does not match")]
    Wrong,
}

fn mac(secret: &SecretString) -> Hmac<Sha256> {
    Hmac::<Sha256>::new_from_slice(secret.expose_secret().as_bytes()).expect("HMAC takes any key length")
}

/// The header value for `body` (the sandbox signs its deliveries like Meta does).
pub fn sign(secret: &SecretString, body: &[u8]) -> String {
    let mut mac = mac(secret);
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

/// Compares in constant time.
pub fn verify(secret: &SecretString, header: Option<&str>, body: &[u8]) -> Result<(), SignatureError> {
    let header = header.ok_or(SignatureError::Missing)?;
    let hex_digest = header.trim().strip_prefix("sha256=").ok_or(SignatureError::Wrong)?;
    let digest = hex::decode(hex_digest).map_err(|_| SignatureError::Wrong)?;
    let mut mac = mac(secret);
    mac.update(body);
    mac.verify_slice(&digest).map_err(|_| SignatureError::Wrong)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_right_sha256_signature_passes() {
        let secret = SecretString::from("app-secret");
        let body = br#"{"object":"whatsapp_business_account"}"#;
        let good = sign(&secret, body);
        assert!(good.starts_with("sha256=") && good.len() == 7 + 64);
        assert_eq!(verify(&secret, Some(&good), body), Ok(()));
        assert_eq!(verify(&secret, None, body), Err(SignatureError::Missing));
        assert_eq!(verify(&SecretString::from("other"), Some(&good), body), Err(SignatureError::Wrong));
        assert_eq!(verify(&secret, Some(&good), b"{}"), Err(SignatureError::Wrong), "another body");
        let sha1 = format!("sha1={}", &good[7..47]);
        assert_eq!(verify(&secret, Some(&sha1), body), Err(SignatureError::Wrong), "legacy sha1");
        assert_eq!(verify(&secret, Some("sha256=zz"), body), Err(SignatureError::Wrong));
        assert_eq!(verify(&secret, Some(&good[..40]), body), Err(SignatureError::Wrong), "cut short");
    }
}
