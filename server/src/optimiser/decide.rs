//! The product's daily decision: whole minor currency units in, a budget per campaign out, with
//! the evidence behind each number (what the UI shows and, anonymised, what Claude explains).

use super::posterior::{Curve, Observation};
use super::rails::{Bounds, round_to_units};
use super::thompson::{self, Settings};
use serde::Serialize;

#[derive(Clone, Debug)]
pub struct DecisionInput {
    /// Account budget for the day, in minor units (2000 = 20.00).
    pub budget: i64,
    /// Largest day-over-day change as a share of yesterday's budget (Meta: keep ≤ 0.2).
    pub max_change: f64,
    pub campaigns: Vec<CampaignInput>,
    /// Seeds the reproducible draws: the same (account, day) gives the same decision.
    pub account_key: u64,
    pub day: u64,
}

#[derive(Clone, Debug)]
pub struct CampaignInput {
    pub id: String,
    /// Yesterday's budget, minor units.
    pub current_budget: i64,
    pub floor: i64,
    pub cap: i64,
    pub history: Vec<DayResult>,
}

#[derive(Clone, Copy, Debug)]
pub struct DayResult {
    /// 0 = yesterday.
    pub age_days: u32,
    pub spend: f64,
    pub revenue: f64,
    /// Share of the day's final revenue reported so far (1.0 once mature).
    pub maturity: f64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rail {
    None,
    Floor,
    Cap,
    MaxIncrease,
    MaxDecrease,
}

#[derive(Clone, Debug, Serialize)]
pub struct CampaignDecision {
    pub id: String,
    /// Posterior mean ROAS at today's budget, and a 90 % interval.
    pub roas: f64,
    pub roas_interval: (f64, f64),
    /// ROAS of the next unit of spend (what the split equalises).
    pub marginal_roas: f64,
    pub p_best: f64,
    pub days_observed: usize,
    pub spend_observed: f64,
    pub bound_by: Rail,
    pub budget_before: i64,
    pub budget_after: i64,
    /// The posterior behind the figures (what-if plans are valued on it).
    #[serde(skip)]
    pub curve: Curve,
}

#[derive(Clone, Debug, Serialize)]
pub struct Decision {
    pub campaigns: Vec<CampaignDecision>,
    /// Expected revenue of this split, of an equal split, and of keeping today's budgets, under
    /// the posterior mean curves.
    pub expected_revenue: f64,
    pub expected_revenue_equal_split: f64,
    pub expected_revenue_unchanged: f64,
    /// The reference spend the curves are expressed around, and the plausible elasticities.
    pub s_ref: f64,
    pub beta_range: (f64, f64),
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum OptimiserError {
    #[error("no campaigns to allocate")]
    NoCampaigns,
    #[error("campaign {0}: the floor is above the cap")]
    FloorAboveCap(String),
    #[error("the budget {budget} is outside what the rails allow today ({min}..={max})")]
    Infeasible { budget: i64, min: i64, max: i64 },
}

pub fn decide(input: &DecisionInput) -> Result<Decision, OptimiserError> {
    let k = input.campaigns.len();
    if k == 0 {
        return Err(OptimiserError::NoCampaigns);
    }
    let (mut lo, mut hi) = (Vec::with_capacity(k), Vec::with_capacity(k));
    for c in &input.campaigns {
        if c.floor > c.cap {
            return Err(OptimiserError::FloorAboveCap(c.id.clone()));
        }
        let step = (input.max_change * c.current_budget as f64).floor() as i64;
        lo.push(c.floor.max(c.current_budget - step).min(c.cap));
        hi.push(c.cap.min(c.current_budget + step).max(c.floor));
    }
    let (min, max) = (lo.iter().sum::<i64>(), hi.iter().sum::<i64>());
    if input.budget < min || input.budget > max {
        return Err(OptimiserError::Infeasible { budget: input.budget, min, max });
    }
    let s_ref = input.budget as f64 / k as f64;
    let history: Vec<Vec<Observation>> = input
        .campaigns
        .iter()
        .map(|c| {
            c.history
                .iter()
                .filter(|d| d.spend > 0.0 && d.revenue > 0.0 && d.maturity > 0.0)
                .map(|d| Observation { spend: d.spend, revenue: d.revenue / d.maturity, age: d.age_days })
                .collect()
        })
        .collect();
    let bounds = Bounds { lo: lo.iter().map(|&x| x as f64).collect(), hi: hi.iter().map(|&x| x as f64).collect() };
    let settings = Settings::default();
    let alloc =
        thompson::allocate(&history, &settings, s_ref, &bounds, input.budget as f64, input.account_key, input.day);
    let units = round_to_units(&alloc.budgets, &lo, &hi, input.budget);

    let mean_revenue = |curve: &Curve, s: f64| revenue_at(curve, s_ref, s, settings.beta_range);
    let equal = input.budget as f64 / k as f64;
    let mut decision = Decision {
        campaigns: Vec::with_capacity(k),
        expected_revenue: 0.0,
        expected_revenue_equal_split: 0.0,
        expected_revenue_unchanged: 0.0,
        s_ref,
        beta_range: settings.beta_range,
    };
    for (i, c) in input.campaigns.iter().enumerate() {
        let belief = &alloc.beliefs[i];
        let s = units[i].max(1) as f64;
        decision.expected_revenue += mean_revenue(&belief.curve, s);
        decision.expected_revenue_equal_split += mean_revenue(&belief.curve, equal);
        decision.expected_revenue_unchanged += mean_revenue(&belief.curve, c.current_budget.max(1) as f64);
        let (roas, interval) = roas_at(&belief.curve, s_ref, s);
        let beta = belief.curve.mean[1].clamp(settings.beta_range.0, settings.beta_range.1);
        decision.campaigns.push(CampaignDecision {
            id: c.id.clone(),
            roas,
            roas_interval: interval,
            marginal_roas: roas * beta,
            p_best: belief.p_best,
            days_observed: history[i].len(),
            spend_observed: history[i].iter().map(|o| o.spend).sum(),
            bound_by: binding_rail(units[i], c, lo[i], hi[i]),
            budget_before: c.current_budget,
            budget_after: units[i],
            curve: belief.curve,
        });
    }
    Ok(decision)
}

fn revenue_at(curve: &Curve, s_ref: f64, s: f64, range: (f64, f64)) -> f64 {
    super::plan::revenue(curve.mean[0], curve.mean[1], s_ref, s, range)
}

/// ROAS = exp(α + (β−1)·u) at u = ln(s/s_ref); its 90 % interval from the posterior covariance.
fn roas_at(curve: &Curve, s_ref: f64, s: f64) -> (f64, (f64, f64)) {
    let u = (s / s_ref).ln();
    let [l11, l21, l22] = curve.chol;
    let (c00, c01, c11) = (l11 * l11, l11 * l21, l21 * l21 + l22 * l22);
    let m = curve.mean[0] + (curve.mean[1] - 1.0) * u;
    let sd = (c00 + 2.0 * u * c01 + u * u * c11).max(0.0).sqrt();
    (m.exp(), ((m - 1.645 * sd).exp(), (m + 1.645 * sd).exp()))
}

fn binding_rail(after: i64, c: &CampaignInput, lo: i64, hi: i64) -> Rail {
    match () {
        _ if after <= lo && lo == c.floor => Rail::Floor,
        _ if after <= lo => Rail::MaxDecrease,
        _ if after >= hi && hi == c.cap => Rail::Cap,
        _ if after >= hi => Rail::MaxIncrease,
        _ => Rail::None,
    }
}

#[cfg(test)]
mod tests;
