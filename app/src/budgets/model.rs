//! Wire types of the budget optimiser. Money is in minor units of the ad account's currency.

use serde::{Deserialize, Serialize};

/// What the optimiser may do, and what today's rails allow.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct BudgetSettings {
    pub currency: String,
    /// The account's daily budget shared among its campaigns; `None` until an admin sets it.
    pub daily_budget: Option<i64>,
    /// Every campaign gets at least `floor` and at most `cap` a day.
    pub floor: i64,
    pub cap: i64,
    /// The largest day-over-day change of a campaign's budget, in percent.
    pub max_change_pct: i64,
    /// A campaign with fewer matured days, or less spend over them, keeps its budget.
    pub min_days: i64,
    pub min_spend: i64,
    pub auto: bool,
    /// Why the automatic mode paused itself.
    pub auto_paused: Option<String>,
    /// The campaigns the optimiser moves (active, with a daily budget) and their budgets today.
    pub campaigns: i64,
    pub current_total: i64,
    /// The daily budgets today's rails allow in total (floors, caps and the day's change limit
    /// applied to today's budgets); `None` without campaigns.
    pub allowed: Option<(i64, i64)>,
}

/// A proposed split of the daily budget (and, once applied, what was done).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Proposal {
    pub id: String,
    /// The account's day it was computed on.
    pub day: String,
    /// Unix milliseconds.
    pub created_at: i64,
    /// `proposed`, `applying`, `applied`, `partial`, `superseded`.
    pub status: String,
    pub currency: String,
    pub budget: i64,
    pub max_change_pct: i64,
    pub rows: Vec<ProposalRow>,
    /// Expected revenue a day under the posterior mean curves: this split, an equal split (which
    /// today's change limit may not reach), and today's budgets kept.
    pub expected_revenue: i64,
    pub expected_equal_split: i64,
    pub expected_unchanged: i64,
    /// The account's maturity curve: the share of a day's final revenue reported at ages 0, 1, …
    /// until mature (empty when the history shows no delay).
    pub maturity: Vec<f64>,
    /// The rails it was computed under (what-if warns outside them).
    #[serde(default)]
    pub floor: i64,
    #[serde(default)]
    pub cap: i64,
    /// The spend the rows' curves are expressed around (minor units).
    #[serde(default)]
    pub s_ref: f64,
    /// Set when an admin applied a what-if plan instead: the draft it came from.
    #[serde(default)]
    pub from_draft: Option<String>,
    /// Once applied: who asked (a member's name), when (Unix ms), and each change's state.
    #[serde(default)]
    pub applied_by: Option<String>,
    #[serde(default)]
    pub applied_at: Option<i64>,
    #[serde(default)]
    pub changes: Vec<AppliedChange>,
}

/// One campaign's budget change once a proposal is applied.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AppliedChange {
    pub campaign_id: String,
    pub budget_after: i64,
    /// What Meta took (its unit may be coarser than the currency's).
    pub applied_budget: Option<i64>,
    /// `pending`, `applied` or `failed`.
    pub status: String,
    /// Why it failed: an error code.
    pub error: Option<String>,
    pub attempts: i64,
}

impl Proposal {
    /// Expected revenue over an equal split's, as a share (0.05 = 5 % more).
    pub fn uplift(&self) -> Option<f64> {
        share(self.expected_revenue, self.expected_equal_split)
    }

    /// Expected revenue over keeping today's budgets, as a share.
    pub fn gain(&self) -> Option<f64> {
        share(self.expected_revenue, self.expected_unchanged)
    }
}

fn share(now: i64, base: i64) -> Option<f64> {
    (base > 0).then(|| (now - base) as f64 / base as f64)
}

/// One campaign in a proposal.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ProposalRow {
    /// The campaign's id, or the ad set's when the budget is set on it (`level`).
    pub id: String,
    pub name: String,
    /// `campaign`, or `adset` for an ad set of a campaign without a budget of its own.
    #[serde(default = "campaign_level")]
    pub level: String,
    pub budget_before: i64,
    pub budget_after: i64,
    /// Posterior mean ROAS at its proposed budget, and a 90 % interval.
    pub roas: f64,
    pub roas_low: f64,
    pub roas_high: f64,
    /// Probability it is the best campaign to give the next unit of money to.
    pub p_best: f64,
    pub days_observed: i64,
    pub spend_observed: i64,
    /// What bound it: `none`, `floor`, `cap`, `max_increase`, `max_decrease`; or `thin`: too
    /// little data, so it keeps its budget.
    pub bound_by: String,
    /// The posterior of its response curve, (α, β, l11, l21, l22): ln(revenue/s_ref) =
    /// α + β·ln(spend/s_ref), with the Cholesky factor of the covariance; empty when held.
    #[serde(default)]
    pub curve: Vec<f64>,
}

/// A proposal in words, in one language: Claude's, or built from the record when Claude is not
/// configured or not available.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Explanation {
    pub text: String,
    /// `claude` or `rules`.
    pub source: String,
    pub lang: String,
}

/// A plan changed by hand (what-if) and what it is expected to earn, beside the proposal's.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct WhatIf {
    pub proposal_id: String,
    /// Once saved: `/app/campaigns/optimiser?draft=<id>` opens it for the organisation's members.
    pub draft_id: Option<String>,
    pub currency: String,
    /// The daily budget the proposal shares, and what this plan adds up to.
    pub budget: i64,
    pub total: i64,
    pub rows: Vec<WhatIfRow>,
    /// Expected revenue a day and its 90 % interval; the proposal's own, valued the same way.
    pub expected: i64,
    pub low: i64,
    pub high: i64,
    pub proposal_expected: i64,
    /// Warnings about the whole plan (message keys): its total differs from the daily budget.
    pub warnings: Vec<String>,
}

impl WhatIf {
    /// Expected revenue as a share of the proposal's (1.0 = the same).
    pub fn share(&self) -> Option<f64> {
        (self.proposal_expected > 0).then(|| self.expected as f64 / self.proposal_expected as f64)
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct WhatIfRow {
    pub id: String,
    pub name: String,
    pub budget_before: i64,
    pub proposed: i64,
    pub budget: i64,
    /// Message keys: below the floor, above the cap, beyond the day's change limit, or held for
    /// thin data (valued at its observed ROAS).
    pub warnings: Vec<String>,
}

/// Every proposal and applied plan, newest first, and how the applied ones did.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct History {
    pub currency: String,
    pub entries: Vec<HistoryEntry>,
    /// Cumulative revenue since the first applied plan against the equal split's; `None` before
    /// any applied plan has a complete day.
    pub chart: Option<crate::campaigns::model::Chart>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct HistoryEntry {
    pub id: String,
    pub day: String,
    pub status: String,
    pub created_at: i64,
    pub budget: i64,
    /// A day, under the posterior: this plan, and an equal split.
    pub expected_revenue: i64,
    pub expected_equal_split: i64,
    pub changed: i64,
    pub applied_by: Option<String>,
    pub applied_at: Option<i64>,
    pub from_draft: bool,
    pub realised: Option<Realised>,
}

/// What an applied plan's moved campaigns spent and earned over the complete days it was in force
/// (from the day after it was applied until the next plan), against its forecast for those days.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Realised {
    pub days: i64,
    pub spend: i64,
    pub revenue: i64,
    pub forecast_spend: i64,
    pub forecast_revenue: i64,
    /// Of `days`, those still collecting conversions (their revenue will grow).
    pub maturing: i64,
}

fn campaign_level() -> String {
    "campaign".into()
}
