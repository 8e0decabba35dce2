//! What a proposal is computed from, read from the store: what the optimiser moves — active
//! campaigns with a daily budget of their own, and in active campaigns without one, their active
//! ad sets with a daily budget (Meta's ad set budgets) —, a year of their daily insights, the
//! maturity curve estimated from what successive syncs saw (an ad set reads its campaign's), the
//! rails, and which of them have too little data to be moved.

use crate::ads::dashboard::{account_today, day_text, parse_day};
use crate::optimiser::decide::DayResult;
use crate::optimiser::maturity::{Maturity, Pairs};
use crate::optimiser::{CampaignInput, DecisionInput};
use crate::storage::Stores;
use crate::storage::ads::{AdAccountRecord, CampaignRecord, DayResultRow, Level, SightingPairs};
use crate::storage::budgets::BudgetSettingsRecord;
use app::budgets::port::BudgetError;
use app::ids::OrgId;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};
use time::{Date, Duration};

/// Days of insights a proposal reads (the optimiser tracks drift, so older days weigh little).
const HISTORY_DAYS: i64 = 365;
/// Days of sightings the maturity curve is estimated from: each sync re-reads 28 days, so two
/// months give every age of the curve about sixty days of evidence per campaign.
const SIGHTING_DAYS: i64 = 60;

/// What a daily budget is set on: a campaign, or an ad set of a campaign without a budget.
#[derive(Clone, Debug)]
pub struct Holder {
    pub id: String,
    pub campaign_id: String,
    /// The campaign's name, or "campaign › ad set".
    pub name: String,
    pub daily_budget: Option<i64>,
    pub level: Level,
}

/// A budget the optimiser may move, with its history (index 0: yesterday).
pub struct Candidate {
    pub holder: Holder,
    pub history: Vec<DayResult>,
    /// Fully reported days with spend, and the spend over them (minor units).
    pub matured_days: i64,
    pub matured_spend: i64,
}

/// Everything a proposal is computed from.
pub struct Inputs {
    pub today: Date,
    pub candidates: Vec<Candidate>,
    /// The account's pooled curve (what the page shows).
    pub maturity: Maturity,
}

impl Inputs {
    /// Whether `c` has too little data to be moved under `settings`.
    pub fn thin(c: &Candidate, settings: &BudgetSettingsRecord) -> bool {
        c.matured_days < settings.min_days || c.matured_spend < settings.min_spend
    }

    /// Today's rails for a campaign at `current` under `settings`: (lowest, highest).
    pub fn rails(current: i64, settings: &BudgetSettingsRecord) -> (i64, i64) {
        let step = (settings.max_change_pct as f64 / 100.0 * current as f64).floor() as i64;
        let lo = settings.floor.max(current - step).min(settings.cap);
        let hi = settings.cap.min(current + step).max(settings.floor);
        (lo, hi)
    }

    /// The total daily budget today's rails allow: moved campaigns within their rails, the others
    /// at their budget; `None` without candidates.
    pub fn allowed(&self, settings: &BudgetSettingsRecord) -> Option<(i64, i64)> {
        (!self.candidates.is_empty()).then(|| {
            self.candidates.iter().fold((0, 0), |(lo, hi), c| {
                let current = c.holder.daily_budget.unwrap_or(0);
                let (l, h) = if Self::thin(c, settings) { (current, current) } else { Self::rails(current, settings) };
                (lo + l, hi + h)
            })
        })
    }

    /// The engine's input for the campaigns with enough data, sharing what the others leave of
    /// the daily budget; `None` when fewer than two can be moved.
    pub fn decision_input(&self, org: &OrgId, settings: &BudgetSettingsRecord) -> Option<DecisionInput> {
        let moved: Vec<&Candidate> = self.candidates.iter().filter(|c| !Self::thin(c, settings)).collect();
        if moved.len() < 2 {
            return None;
        }
        let held: i64 =
            self.candidates.iter().filter(|c| Self::thin(c, settings)).filter_map(|c| c.holder.daily_budget).sum();
        Some(DecisionInput {
            budget: settings.daily_budget - held,
            max_change: settings.max_change_pct as f64 / 100.0,
            campaigns: moved
                .iter()
                .map(|c| CampaignInput {
                    id: c.holder.id.clone(),
                    current_budget: c.holder.daily_budget.unwrap_or(0),
                    floor: settings.floor,
                    cap: settings.cap,
                    history: c.history.clone(),
                })
                .collect(),
            account_key: account_key(org),
            day: (self.today - Date::from_calendar_date(1970, time::Month::January, 1).unwrap_or(Date::MIN))
                .whole_days()
                .max(0) as u64,
        })
    }

    /// A digest of everything the decision reads: the same digest, the same decision.
    pub fn digest(&self, settings: &BudgetSettingsRecord) -> String {
        let mut h = Sha256::new();
        h.update(format!(
            "{}|{}|{}|{}|{}|{}|{}|{}\n",
            day_text(self.today),
            settings.currency,
            settings.daily_budget,
            settings.floor,
            settings.cap,
            settings.max_change_pct,
            settings.min_days,
            settings.min_spend
        ));
        for c in &self.candidates {
            h.update(format!("{}|{:?}\n", c.holder.id, c.holder.daily_budget));
            // The numbers' bytes: formatting a year of days per campaign would cost more than the
            // decision itself.
            for d in &c.history {
                h.update(d.age_days.to_le_bytes());
                for v in [d.spend, d.revenue, d.maturity] {
                    h.update(v.to_bits().to_le_bytes());
                }
            }
        }
        hex::encode(h.finalize())
    }
}

/// A stable number per organisation that seeds the engine's draws.
fn account_key(org: &OrgId) -> u64 {
    let digest = Sha256::digest(org.as_str().as_bytes());
    u64::from_le_bytes(digest[..8].try_into().unwrap_or_default())
}

/// The account's maturity curves from the sightings' pairs: the pooled one, and one per campaign
/// that borrows the pooled ratios where it has seen too little.
fn curves(pairs: &[SightingPairs]) -> (Maturity, HashMap<String, Maturity>) {
    let mut by_campaign: BTreeMap<&str, Vec<Pairs>> = BTreeMap::new();
    let mut pooled: Vec<Pairs> = Vec::new();
    for p in pairs.iter().filter(|p| p.age >= 0) {
        let a = p.age as usize;
        for ages in [by_campaign.entry(&p.campaign_id).or_default(), &mut pooled] {
            if ages.len() <= a {
                ages.resize(a + 1, Pairs::default());
            }
            let at = &mut ages[a];
            (at.young, at.old, at.days) = (at.young + p.young as f64, at.old + p.old as f64, at.days + p.days as u32);
        }
    }
    let pooled = Maturity::from_pairs(&pooled, &Maturity::mature());
    let each = by_campaign.iter().map(|(id, ages)| (id.to_string(), Maturity::from_pairs(ages, &pooled))).collect();
    (pooled, each)
}

/// What budgets are set on among `campaigns` (the organisation's, as synced): each active campaign
/// with a daily budget of its own, and in an active campaign without one (nor a lifetime budget),
/// each active ad set with a daily budget.
pub async fn holders(stores: &Stores, org: &OrgId, campaigns: Vec<CampaignRecord>) -> Result<Vec<Holder>, BudgetError> {
    let mut holders: Vec<Holder> = Vec::new();
    for c in campaigns.into_iter().filter(|c| c.status == "ACTIVE") {
        if c.daily_budget.is_some_and(|b| b > 0) {
            let (id, name, level) = (c.id.clone(), c.name, Level::Campaign);
            holders.push(Holder { id, campaign_id: c.id, name, daily_budget: c.daily_budget, level });
            continue;
        }
        if c.lifetime_budget.is_some() {
            continue; // a lifetime budget is not a daily one: left alone
        }
        let sets = stores.ads.ad_sets(org, &c.id).await.map_err(BudgetError::internal)?;
        for s in sets.into_iter().filter(|s| s.status == "ACTIVE" && s.daily_budget.is_some_and(|b| b > 0)) {
            let (name, level) = (format!("{} › {}", c.name, s.name), Level::Adset);
            holders.push(Holder { id: s.id, campaign_id: c.id.clone(), name, daily_budget: s.daily_budget, level });
        }
    }
    Ok(holders)
}

pub async fn read(stores: &Stores, org: &OrgId, account: &AdAccountRecord) -> Result<Inputs, BudgetError> {
    let e = BudgetError::internal;
    let today = account_today(account);
    let yesterday = today - Duration::days(1);
    let (from, to) = (day_text(today - Duration::days(HISTORY_DAYS)), day_text(yesterday));
    let seen_from = day_text(today - Duration::days(SIGHTING_DAYS));
    let (campaigns, insights, set_insights, pairs) = tokio::join!(
        stores.ads.campaigns(org),
        stores.ads.daily_results(org, Level::Campaign, &from, &to),
        stores.ads.daily_results(org, Level::Adset, &from, &to),
        stores.ads.sighting_pairs(org, &seen_from),
    );
    let (campaigns, pairs) = (campaigns.map_err(e)?, pairs.map_err(e)?);
    let holders = holders(stores, org, campaigns).await?;
    let (maturity, per_campaign) = curves(&pairs);
    let mut by_object: HashMap<String, Vec<DayResult>> = holders.iter().map(|h| (h.id.clone(), Vec::new())).collect();
    let rows: Vec<DayResultRow> = insights.map_err(e)?.into_iter().chain(set_insights.map_err(e)?).collect();
    let campaign_of: HashMap<&str, &str> = holders.iter().map(|h| (h.id.as_str(), h.campaign_id.as_str())).collect();
    for i in &rows {
        let (Some(days), Some(campaign)) = (by_object.get_mut(&i.campaign_id), campaign_of.get(i.campaign_id.as_str()))
        else {
            continue;
        };
        let Some(day) = parse_day(&i.day) else { continue };
        let age = (yesterday - day).whole_days();
        if age < 0 || i.spend <= 0 {
            continue;
        }
        let curve = per_campaign.get(*campaign).unwrap_or(&maturity);
        days.push(DayResult {
            age_days: age as u32,
            spend: i.spend as f64,
            revenue: i.revenue as f64,
            maturity: curve.at(age as u32),
        });
    }
    let mut candidates: Vec<Candidate> = holders
        .into_iter()
        .map(|holder| {
            let mut history = by_object.remove(&holder.id).unwrap_or_default();
            history.sort_by_key(|d| d.age_days);
            let horizon = per_campaign.get(&holder.campaign_id).unwrap_or(&maturity).horizon();
            let matured = history.iter().filter(|d| d.age_days >= horizon);
            let (matured_days, matured_spend) = matured.fold((0, 0), |(n, s), d| (n + 1, s + d.spend as i64));
            Candidate { holder, history, matured_days, matured_spend }
        })
        .collect();
    candidates.sort_by(|a, b| a.holder.id.cmp(&b.holder.id));
    Ok(Inputs { today, candidates, maturity })
}
