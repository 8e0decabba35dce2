//! Rate limits on calls anyone can make that cost us a bcrypt or send an e-mail to an address the
//! caller typed: sign-up, "forgot password", the contact form — the sign-in throttles, and the
//! messages an organisation sends through WhatsApp.
//!
//! An attempt is counted *before* the work it guards, in the store (so every instance sees it and
//! concurrent calls see each other), then compared with the limit over a sliding window.

use crate::storage::StoreResult;
use crate::storage::accounts::AccountStore;
use std::sync::Arc;
use time::{Duration, OffsetDateTime};

/// At most `max` calls per `window` for one key (a client address, an e-mail address…).
#[derive(Clone, Copy, Debug)]
pub struct Limit {
    /// Namespaces the key, so one counter never feeds another.
    pub name: &'static str,
    pub max: u32,
    pub window: Duration,
}

impl Limit {
    /// Seconds a client told "too many" should wait: the whole window, the most it can take for
    /// the oldest counted call to leave it.
    pub fn retry_after(&self) -> u64 {
        self.window.whole_seconds().max(1) as u64
    }
}

/// Failed sign-ins per (account, client): the owner elsewhere is not affected.
pub const SIGN_IN_PAIR: Limit = Limit { name: "pair", max: 5, window: Duration::minutes(15) };
/// Failed sign-ins per client address, across accounts.
pub const SIGN_IN_CLIENT: Limit = Limit { name: "ip", max: 50, window: Duration::minutes(15) };
/// Failed sign-ins per account from anywhere: beyond it, a client the account has never signed in
/// from gets only an e-mailed link (see `AccountService::login`) — guessing stops paying, and the
/// owner is never locked out.
pub const SIGN_IN_ACCOUNT: Limit = Limit { name: "acct", max: 20, window: Duration::minutes(15) };
pub const SIGN_UP_CLIENT: Limit = Limit { name: "register", max: 10, window: Duration::hours(1) };
pub const RESET_CLIENT: Limit = Limit { name: "forgot-ip", max: 10, window: Duration::hours(1) };
/// Reset e-mails to one address: enough for a lost e-mail, too few to flood an inbox.
pub const RESET_ADDRESS: Limit = Limit { name: "forgot", max: 5, window: Duration::hours(1) };
pub const CONTACT_CLIENT: Limit = Limit { name: "contact", max: 5, window: Duration::hours(1) };
/// Messages an organisation may ask us to send, per minute, across every agent and instance.
pub const MESSAGING_ORG: Limit = Limit { name: "messages", max: 60, window: Duration::minutes(1) };

/// Counts calls against limits in the store's attempt counters.
#[derive(Clone)]
pub struct Limiter {
    counters: Arc<dyn AccountStore>,
}

impl Limiter {
    pub fn new(counters: Arc<dyn AccountStore>) -> Self {
        Self { counters }
    }

    /// Counts one call under `key` and says whether it went over `limit` (this call included).
    pub async fn over(&self, limit: Limit, key: &str, now: OffsetDateTime) -> StoreResult<bool> {
        let key = Self::key(limit, key);
        self.counters.record_attempt(&key, now).await?;
        Ok(self.counters.attempts_since(&key, now - limit.window).await? > limit.max)
    }

    /// The calls counted under `key` in the current window, without counting one.
    pub async fn count(&self, limit: Limit, key: &str, now: OffsetDateTime) -> StoreResult<u32> {
        self.counters.attempts_since(&Self::key(limit, key), now - limit.window).await
    }

    /// Forgets every call counted under `key` (a sign-in that succeeded starts its pair afresh).
    pub async fn clear(&self, limit: Limit, key: &str) -> StoreResult<()> {
        self.counters.clear_attempts(&Self::key(limit, key)).await
    }

    /// Takes back the call counted under `key` at `at` (it turned out to be legitimate).
    pub async fn release(&self, limit: Limit, key: &str, at: OffsetDateTime) -> StoreResult<()> {
        self.counters.release_attempt(&Self::key(limit, key), at).await
    }

    fn key(limit: Limit, key: &str) -> String {
        format!("{}:{key}", limit.name)
    }
}

/// The address limits count by: IPv4 as is, IPv6 by its /64 (one subscriber's whole block, which
/// costs nothing to rotate through).
pub fn client_key(ip: &str) -> String {
    match ip.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
        Ok(v4) => v4.to_string(),
        Err(_) => ip.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv6_clients_are_counted_by_their_64_block() {
        assert_eq!(client_key("2001:db8:1:2:aaaa::1"), client_key("2001:db8:1:2:ffff:1:2:3"));
        assert_eq!(client_key("2001:db8:1:2::9"), "2001:db8:1:2::/64");
        assert_ne!(client_key("2001:db8:1:3::1"), client_key("2001:db8:1:2::1"));
        assert_eq!(client_key("::ffff:198.51.100.7"), "198.51.100.7");
        assert_eq!(client_key("198.51.100.7"), "198.51.100.7");
    }

    #[tokio::test]
    async fn a_limit_counts_within_its_window_and_per_key() {
        let dir = tempfile::tempdir().unwrap();
        let stores = crate::storage::Stores::sqlite(&dir.path().join("t.db")).await.unwrap();
        let limiter = Limiter::new(stores.accounts.clone());
        let limit = Limit { name: "t", max: 2, window: Duration::minutes(1) };
        let now = OffsetDateTime::now_utc();
        assert!(!limiter.over(limit, "a", now).await.unwrap());
        assert!(!limiter.over(limit, "a", now).await.unwrap());
        assert!(limiter.over(limit, "a", now).await.unwrap(), "the third call in the window");
        assert!(!limiter.over(limit, "b", now).await.unwrap(), "another key");
        assert!(!limiter.over(limit, "a", now + Duration::minutes(2)).await.unwrap(), "a new window");
    }
}
