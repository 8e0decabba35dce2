//! The dashboard's figures per organisation, period and language, kept until the account's next
//! sync ends: they are sums over insights that only a sync changes, and summing a period's rows
//! again for every page view is what kept the dashboard under its goal. The key holds the time
//! the last sync finished, so a finished sync is seen at once on every instance (each has its
//! own cache); what changes between syncs — the conversations ads started — is read fresh.

use super::dashboard::Figures;
use crate::storage::ads::AdAccountRecord;
use app::campaigns::model::Period;
use app::i18n::Lang;
use app::ids::OrgId;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Entries kept; past it the cache starts again empty (a cheap bound: a figure costs a few
/// milliseconds to rebuild).
const CAPACITY: usize = 1024;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Key {
    org: String,
    /// When the last sync finished (−1 before the first one) and the account's currency.
    synced: i64,
    currency: String,
    from: String,
    to: String,
    lang: Lang,
}

impl Key {
    pub fn new(org: &OrgId, account: &AdAccountRecord, period: &Period, lang: Lang) -> Self {
        Key {
            org: org.as_str().to_owned(),
            synced: super::dashboard::synced(account),
            currency: account.currency.clone(),
            from: period.from.clone(),
            to: period.to.clone(),
            lang,
        }
    }
}

#[derive(Default)]
pub struct FiguresCache(Mutex<HashMap<Key, Arc<Figures>>>);

impl FiguresCache {
    pub fn get(&self, key: &Key) -> Option<Arc<Figures>> {
        self.0.lock().ok()?.get(key).cloned()
    }

    pub fn put(&self, key: Key, figures: Figures) -> Arc<Figures> {
        let figures = Arc::new(figures);
        if let Ok(mut map) = self.0.lock() {
            if map.len() >= CAPACITY {
                map.clear();
            }
            map.insert(key, figures.clone());
        }
        figures
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::ads::contract::account;

    fn figures(spend: i64) -> Figures {
        let current = app::campaigns::model::Totals { spend, ..Default::default() };
        Figures { rows: vec![], current, previous: Default::default(), charts: vec![], owners: HashMap::new() }
    }

    #[test]
    fn a_finished_sync_or_another_period_or_language_reads_afresh() {
        let cache = FiguresCache::default();
        let org = OrgId::new("org-a");
        let mut a = account("org-a");
        let period = Period { from: "2026-11-01".into(), to: "2026-11-28".into(), ..Default::default() };
        let key = Key::new(&org, &a, &period, Lang::En);
        assert!(cache.get(&key).is_none());
        cache.put(key.clone(), figures(100));
        assert_eq!(cache.get(&key).unwrap().current.spend, 100);
        assert!(cache.get(&Key::new(&org, &a, &period, Lang::Ar)).is_none(), "charts are labelled per language");
        let week = Period { from: "2026-11-22".into(), ..period.clone() };
        assert!(cache.get(&Key::new(&org, &a, &week, Lang::En)).is_none());
        assert!(cache.get(&Key::new(&OrgId::new("org-b"), &a, &period, Lang::En)).is_none());
        a.sync.last_sync_at = Some(time::OffsetDateTime::now_utc());
        assert!(cache.get(&Key::new(&org, &a, &period, Lang::En)).is_none(), "a sync ended since");
    }
}
