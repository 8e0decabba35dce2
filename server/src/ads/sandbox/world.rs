//! What the sandbox's ad account earns, and what it remembers. Its five active campaigns live in
//! one seed of the optimiser benchmark's `delay` world (tsbench §3: diminishing returns, drift,
//! day-to-day noise, purchases reported over the following week), one benchmark unit being one
//! peso. The account opened 90 days before it was first read, spending an equal split (the
//! benchmark's `--history 90`); from then on each day spends the budget in force at its end, as
//! set through the Marketing API. So the product, run day after day on the sandbox, can be
//! compared with `adronx simulate --scenario delay --history 90 --seed <account number % 200>`.
//!
//! The ledger (when each account opened, its clock, the budgets set) is the simulated Meta's own
//! memory, kept as one JSON file per account under the data directory — not in the app's store.

use crate::optimiser::tsbench::scenario::{Environment, Scenario, share_reported};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use time::{Date, Duration};

/// Days the account spent before it was first read (what the first sync finds).
pub const HISTORY: i64 = 90;
/// Days of world computed ahead; later days keep the last one's returns.
const HORIZON: usize = 2 * 365;
/// The benchmark's daily budget split evenly over its five campaigns, in centavos.
pub const EQUAL_SPLIT: i64 = 20_000;

/// The benchmark world's scenario: `delay`, after 90 days of history.
pub fn scenario() -> Scenario {
    let delay = Scenario::named("delay").expect("a tsbench scenario");
    Scenario { history: HISTORY as usize, t: HORIZON, ..delay }
}

/// The world's seed of an account (`7` + 14 digits): its number modulo 200, one of the seeds
/// `adronx simulate` runs by default.
pub fn seed_of(account: &str) -> u64 {
    account.parse::<u64>().unwrap_or(0) % 200
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
struct Ledger {
    /// The account's first day read, in its time zone.
    opened: String,
    /// Days its clock was moved forward.
    clock: i64,
    /// Budgets set through the API, per campaign: (from day, centavos), oldest first.
    budgets: BTreeMap<String, Vec<(String, i64)>>,
}

/// One day of one world campaign, as reported on a given day.
pub struct Reported {
    pub spend: i64,
    pub revenue: i64,
}

/// The sandbox's memory and its worlds, shared by every request.
#[derive(Clone)]
pub struct World {
    dir: Option<PathBuf>,
    ledgers: Arc<Mutex<HashMap<String, Ledger>>>,
    envs: Arc<Mutex<HashMap<u64, Arc<Environment>>>>,
}

impl World {
    /// Remembers in `dir` (created when needed); `None` keeps everything in memory.
    pub fn new(dir: Option<PathBuf>) -> Self {
        Self { dir, ledgers: Arc::default(), envs: Arc::default() }
    }

    fn path(&self, account: &str) -> Option<PathBuf> {
        self.dir.as_ref().map(|d| d.join(format!("act_{account}.json")))
    }

    /// The account's ledger, read from disk or opened today (`real_today`) on first sight.
    fn with<T>(&self, account: &str, real_today: Date, change: impl FnOnce(&mut Ledger) -> (T, bool)) -> T {
        let mut ledgers = self.ledgers.lock().unwrap_or_else(|e| e.into_inner());
        let mut fresh = false;
        let ledger = ledgers.entry(account.to_owned()).or_insert_with(|| {
            let stored = self.path(account).and_then(|p| std::fs::read(p).ok());
            stored.and_then(|b| serde_json::from_slice(&b).ok()).unwrap_or_else(|| {
                fresh = true;
                Ledger { opened: super::super::dashboard::day_text(real_today), ..Ledger::default() }
            })
        });
        let (out, changed) = change(ledger);
        if changed || fresh {
            self.save(account, ledger);
        }
        out
    }

    fn save(&self, account: &str, ledger: &Ledger) {
        let Some(path) = self.path(account) else { return };
        let write = || -> std::io::Result<()> {
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir)?;
            }
            let tmp = path.with_extension("json.tmp");
            std::fs::write(&tmp, serde_json::to_vec(ledger).unwrap_or_default())?;
            std::fs::rename(tmp, &path)
        };
        if let Err(e) = write() {
            tracing::warn!(error = %e, "the sandbox could not keep its ad account's ledger");
        }
    }

    /// The account's today: the real day in its time zone, moved on by its clock.
    pub fn today(&self, account: &str, real_today: Date) -> Date {
        self.with(account, real_today, |l| (real_today + Duration::days(l.clock), false))
    }

    /// Moves the clock forward to `to` days ahead of the calendar (never back: asking again for
    /// where it stands changes nothing, so a retried request moves it once); the new today and clock.
    pub fn advance_to(&self, account: &str, real_today: Date, to: i64) -> (Date, i64) {
        self.with(account, real_today, |l| {
            let moved = to > l.clock;
            l.clock = l.clock.max(to);
            ((real_today + Duration::days(l.clock), l.clock), moved)
        })
    }

    /// Records `campaign`'s budget from the account's today on.
    pub fn set_budget(&self, account: &str, campaign: &str, real_today: Date, units: i64) {
        self.with(account, real_today, |l| {
            let from = super::super::dashboard::day_text(real_today + Duration::days(l.clock));
            let set = l.budgets.entry(campaign.to_owned()).or_default();
            set.retain(|(day, _)| *day != from); // the last change of a day is the day's budget
            set.push((from, units));
            ((), true)
        })
    }

    /// `campaign`'s budget in force at the end of `day` (`default` before any was set).
    pub fn budget_on(&self, account: &str, campaign: &str, real_today: Date, day: Date, default: i64) -> i64 {
        let day = super::super::dashboard::day_text(day);
        self.with(account, real_today, |l| {
            let set = l.budgets.get(campaign).map(Vec::as_slice).unwrap_or_default();
            let units = set.iter().rev().find(|(from, _)| *from <= day).map_or(default, |(_, u)| *u);
            (units, false)
        })
    }

    /// The world's day of `day` (0 = the first of the 90 before the account opened); negative
    /// before the account existed.
    pub fn world_day(&self, account: &str, real_today: Date, day: Date) -> i64 {
        self.with(account, real_today, |l| {
            let opened = super::super::dashboard::parse_day(&l.opened).unwrap_or(real_today);
            ((day - opened).whole_days() + HISTORY, false)
        })
    }

    fn env(&self, seed: u64) -> Arc<Environment> {
        let mut envs = self.envs.lock().unwrap_or_else(|e| e.into_inner());
        envs.entry(seed).or_insert_with(|| Arc::new(Environment::new(&scenario(), seed))).clone()
    }

    /// World campaign `k`'s day `w` at `spend` centavos, as reported `age` days later (0: the day
    /// after): its revenue so far, in centavos.
    pub fn revenue(&self, account: &str, k: usize, w: i64, spend: i64, age: i64) -> i64 {
        let env = self.env(seed_of(account));
        let w = (w.max(0) as usize).min(env.a.len() - 1);
        let pesos = env.observed_revenue(w, k, spend as f64 / 100.0);
        (pesos * share_reported(k, age.max(0) as usize) * 100.0).round() as i64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optimiser::tsbench::scenario::Environment;

    #[test]
    fn the_world_is_the_benchmark_seed_and_reports_purchases_over_a_week() {
        let world = World::new(None);
        let account = "712345678901234";
        let today = Date::from_calendar_date(2026, time::Month::March, 1).unwrap();
        let env = Environment::new(&scenario(), seed_of(account));
        // Fully reported, a day earns what the benchmark's environment says for that seed.
        let want = (env.observed_revenue(95, 1, 200.0) * 100.0).round() as i64;
        assert_eq!(world.revenue(account, 1, 95, 20_000, 6), want);
        // The day after, a slow campaign has reported 30 % of it, a fast one 70 %.
        assert_eq!(
            world.revenue(account, 1, 95, 20_000, 0),
            (env.observed_revenue(95, 1, 200.0) * 30.0).round() as i64
        );
        assert_eq!(
            world.revenue(account, 0, 95, 20_000, 0),
            (env.observed_revenue(95, 0, 200.0) * 70.0).round() as i64
        );
        // Opened today: yesterday is the world's day 89, the last of its history.
        assert_eq!(world.world_day(account, today, today - Duration::days(1)), HISTORY - 1);
    }

    #[test]
    fn a_budget_holds_from_the_day_it_was_set_and_the_clock_moves_the_days() {
        let world = World::new(None);
        let (account, c) = ("700000000000042", "2380000000000420");
        let today = Date::from_calendar_date(2026, time::Month::March, 1).unwrap();
        assert_eq!(world.budget_on(account, c, today, today, EQUAL_SPLIT), EQUAL_SPLIT);
        world.set_budget(account, c, today, 24_000);
        world.set_budget(account, c, today, 23_000); // the day's last change counts
        assert_eq!(world.budget_on(account, c, today, today - Duration::days(1), EQUAL_SPLIT), EQUAL_SPLIT);
        assert_eq!(world.budget_on(account, c, today, today, EQUAL_SPLIT), 23_000);
        let (moved, clock) = world.advance_to(account, today, 3);
        assert_eq!((moved, clock), (today + Duration::days(3), 3));
        // Asked again (a retried request) or asked back, the clock stays where it is.
        assert_eq!(world.advance_to(account, today, 3), (moved, 3));
        assert_eq!(world.advance_to(account, today, 1), (moved, 3));
        assert_eq!(world.today(account, today), moved);
        world.set_budget(account, c, today, 18_000);
        assert_eq!(world.budget_on(account, c, today, moved - Duration::days(1), EQUAL_SPLIT), 23_000);
        assert_eq!(world.budget_on(account, c, today, moved, EQUAL_SPLIT), 18_000);
        assert_eq!(world.world_day(account, today, moved), HISTORY + 3);
    }

    #[test]
    fn the_ledger_outlives_a_restart() {
        let dir = tempfile::tempdir().unwrap();
        let today = Date::from_calendar_date(2026, time::Month::March, 1).unwrap();
        let account = "700000000000007";
        World::new(Some(dir.path().into())).advance_to(account, today, 2);
        World::new(Some(dir.path().into())).set_budget(account, "c", today, 21_000);
        let again = World::new(Some(dir.path().into()));
        assert_eq!(again.today(account, today + Duration::days(5)), today + Duration::days(7));
        assert_eq!(again.budget_on(account, "c", today, today + Duration::days(2), 1), 21_000);
        assert_eq!(again.world_day(account, today + Duration::days(5), today), HISTORY, "opened on the first day");
    }
}
