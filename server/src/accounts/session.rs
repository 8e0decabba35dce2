//! Session tokens. Access: a JWT (HS256 only) valid 30 minutes carrying the user and the active
//! organisation; `exp`, `iss` and `aud` are always checked. Refresh: 32 random bytes, sent only in
//! an HttpOnly cookie and stored only as a SHA-256 hash; the family ends 7 days after sign-in.

use app::ids::{OrgId, UserId};
use base64::Engine;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, decode, encode};
use rand::RngCore;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use time::{Duration, OffsetDateTime};

pub const ACCESS_TTL: Duration = Duration::minutes(30);
pub const REFRESH_TTL: Duration = Duration::days(7);
/// How long a rotated refresh token still yields its successor (see `AccountService::refresh`).
pub const REFRESH_GRACE: Duration = Duration::seconds(20);
const ISSUER: &str = "adronx";
const AUDIENCE: &str = "adronx-app";

#[derive(Debug, Serialize, Deserialize, PartialEq)]
pub struct Claims {
    pub sub: String,
    pub org: String,
    pub iat: i64,
    pub exp: i64,
    pub iss: String,
    pub aud: String,
    /// The user's session epoch when issued; a password reset or change moves it on.
    #[serde(default)]
    pub ep: i64,
}

pub struct AccessToken {
    pub token: String,
    pub expires_at: OffsetDateTime,
}

pub struct Signer {
    encoding: EncodingKey,
    decoding: DecodingKey,
}

impl Signer {
    pub fn new(key: &SecretString) -> Signer {
        let bytes = base64::engine::general_purpose::STANDARD.decode(key.expose_secret()).expect("checked at start-up");
        Signer { encoding: EncodingKey::from_secret(&bytes), decoding: DecodingKey::from_secret(&bytes) }
    }

    pub fn issue(&self, user: &UserId, org: &OrgId, epoch: i64, now: OffsetDateTime) -> AccessToken {
        let expires_at = now + ACCESS_TTL;
        let claims = Claims {
            sub: user.to_string(),
            org: org.to_string(),
            iat: now.unix_timestamp(),
            exp: expires_at.unix_timestamp(),
            iss: ISSUER.into(),
            aud: AUDIENCE.into(),
            ep: epoch,
        };
        let token = encode(&Header::new(Algorithm::HS256), &claims, &self.encoding).expect("HS256 signs any claims");
        AccessToken { token, expires_at }
    }

    /// The claims of a valid token: right algorithm and signature, not expired, ours.
    pub fn verify(&self, token: &str) -> Option<Claims> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[AUDIENCE]);
        validation.leeway = 0;
        validation.required_spec_claims = ["exp", "iss", "aud", "sub"].iter().map(|s| s.to_string()).collect();
        decode::<Claims>(token, &self.decoding, &validation).ok().map(|d| d.claims)
    }
}

/// A fresh 256-bit secret (refresh, reset, confirmation and invitation tokens) and the hash that
/// is stored for it.
pub fn new_secret_token() -> (SecretString, String) {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    let hash = token_hash(&token);
    (SecretString::from(token), hash)
}

pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signer() -> Signer {
        Signer::new(&SecretString::from(base64::engine::general_purpose::STANDARD.encode([7u8; 32])))
    }

    #[test]
    fn issues_tokens_that_verify_for_thirty_minutes() {
        let s = signer();
        let now = OffsetDateTime::now_utc();
        let t = s.issue(&UserId::new("u1"), &OrgId::new("o1"), 0, now);
        assert_eq!(t.expires_at, now + Duration::minutes(30));
        let c = s.verify(&t.token).unwrap();
        assert_eq!((c.sub.as_str(), c.org.as_str()), ("u1", "o1"));
        let stale = s.issue(&UserId::new("u1"), &OrgId::new("o1"), 0, now - Duration::minutes(31));
        assert!(s.verify(&stale.token).is_none(), "expired");
    }

    #[test]
    fn rejects_forged_edited_and_unsigned_tokens() {
        let s = signer();
        let t = s.issue(&UserId::new("u1"), &OrgId::new("o1"), 0, OffsetDateTime::now_utc()).token;
        let other = Signer::new(&SecretString::from(base64::engine::general_purpose::STANDARD.encode([8u8; 32])));
        assert!(other.verify(&t).is_none(), "another key");
        let parts: Vec<&str> = t.split('.').collect();
        let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let mut claims: serde_json::Value = serde_json::from_slice(&b64.decode(parts[1]).unwrap()).unwrap();
        claims["org"] = "someone-elses-org".into();
        let edited = format!("{}.{}.{}", parts[0], b64.encode(claims.to_string()), parts[2]);
        assert!(s.verify(&edited).is_none(), "edited payload");
        let none_header = b64.encode(r#"{"alg":"none","typ":"JWT"}"#);
        assert!(s.verify(&format!("{none_header}.{}.", parts[1])).is_none(), "alg none");
        let hs512 = encode(&Header::new(Algorithm::HS512), &claims, &EncodingKey::from_secret(&[7u8; 32])).unwrap();
        assert!(s.verify(&hs512).is_none(), "one fixed algorithm");
    }

    #[test]
    fn refresh_tokens_are_random_and_stored_hashed() {
        let (a, ha) = new_secret_token();
        let (b, _) = new_secret_token();
        assert_ne!(a.expose_secret(), b.expose_secret());
        assert_eq!(ha, token_hash(a.expose_secret()));
        assert_eq!(ha.len(), 64);
    }
}
