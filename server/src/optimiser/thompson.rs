//! The product policy: Gaussian Thompson sampling over diminishing-returns response curves.
//!
//! Each campaign's revenue is modelled as a·spend^b (b < 1: each extra unit earns less), with a
//! Gaussian posterior on (ln a, b) tracked by a Kalman filter in which the level ln a drifts and
//! two surprising days in a row (a shock) re-open its uncertainty; immature recent days are
//! corrected for conversion delay by the caller. Each posterior draw implies an optimal split
//! (equal *marginal* ROAS, solved exactly inside the rails); the decision is the average split over
//! many tempered draws — probability matching over allocations — which leans toward what is
//! uncertain and settles as the posterior sharpens. Draws are keyed to (account, day), so a
//! decision is reproducible.

use crate::optimiser::posterior::{Curve, Nig, Observation, TrackPrior};
use crate::optimiser::rails::{Bounds, argmax, concave_opt_steps};
use crate::optimiser::rng::normal;

#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    pub prior: TrackPrior,
    /// Posterior draws averaged per decision.
    pub draws: usize,
    /// Draws are taken at this fraction of the posterior's spread ("tempered" Thompson sampling):
    /// the daily-change rail already makes spends vary, so full-width exploration only costs.
    pub temperature: f64,
    /// Elasticities outside this range are not plausible for ad spend.
    pub beta_range: (f64, f64),
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            prior: TrackPrior {
                // ROAS 2 at the reference spend, elasticity 0.75 (typical of paid social).
                mean: [std::f64::consts::LN_2, 0.75],
                sd: [0.35, 0.1],
                sigma2: 0.1,
                drift_var: 0.001,
                surprise: 2.5,
            },
            draws: 48,
            temperature: 0.5,
            beta_range: (0.05, 0.95),
        }
    }
}

/// What the optimiser concluded about one campaign.
#[derive(Clone, Debug, PartialEq)]
pub struct CampaignBelief {
    pub curve: Curve,
    /// Probability that this campaign has the highest marginal ROAS at its current spend.
    pub p_best: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Allocation {
    pub budgets: Vec<f64>,
    pub beliefs: Vec<CampaignBelief>,
}

/// Splits `budget` across campaigns. `history[k]` holds campaign k's (delay-corrected) days;
/// `bounds` are today's rails; `key`/`day` seed the reproducible draws.
pub fn allocate(
    history: &[Vec<Observation>],
    settings: &Settings,
    s_ref: f64,
    bounds: &Bounds,
    budget: f64,
    key: u64,
    day: u64,
) -> Allocation {
    let k = history.len();
    let prior = calibrated_prior(history, settings, s_ref);
    let curves: Vec<Curve> =
        history.iter().map(|obs| Curve::track(&unbias(obs, prior.sigma2, s_ref), prior, s_ref)).collect();
    let current: Vec<f64> = (0..k).map(|i| (bounds.lo[i] + bounds.hi[i]) / 2.0).collect();
    let (mut sum, mut wins) = (vec![0.0; k], vec![0usize; k]);
    let (mut a, mut b, mut marginal) = (vec![0.0; k], vec![0.0; k], vec![0.0; k]);
    for d in 0..settings.draws {
        for i in 0..k {
            let idx = 2 * ((day as usize * settings.draws + d) * k + i) as u64;
            let temp = settings.temperature;
            let (alpha, beta) = curves[i].draw(temp * normal(key, idx), temp * normal(key, idx + 1));
            b[i] = beta.clamp(settings.beta_range.0, settings.beta_range.1);
            a[i] = alpha.exp() * s_ref.powf(1.0 - b[i]);
            marginal[i] = a[i] * b[i] * current[i].powf(b[i] - 1.0);
        }
        wins[argmax(&marginal)] += 1;
        for (acc, s) in sum.iter_mut().zip(concave_opt_steps(&a, &b, bounds, budget, 50)) {
            *acc += s;
        }
    }
    let n = settings.draws as f64;
    Allocation {
        budgets: sum.iter().map(|s| s / n).collect(),
        beliefs: curves
            .into_iter()
            .zip(wins)
            .map(|(curve, w)| CampaignBelief { curve, p_best: w as f64 / n })
            .collect(),
    }
}

/// Accounts differ in how noisy their daily revenue is. A first pass measures how far the days
/// stray from the filter's one-step predictions, pooled over campaigns and shrunk toward the
/// default (worth 20 days), and rescales the assumed noise level before the real pass.
fn calibrated_prior(history: &[Vec<Observation>], settings: &Settings, s_ref: f64) -> TrackPrior {
    const PRIOR_DAYS: f64 = 20.0;
    let (mut sum, mut n) = (0.0, 0usize);
    for obs in history {
        let (_, z2, days) = Curve::track_calibrated(&unbias(obs, settings.prior.sigma2, s_ref), settings.prior, s_ref);
        sum += z2;
        n += days;
    }
    let ratio = ((PRIOR_DAYS + sum) / (PRIOR_DAYS + n as f64)).clamp(0.25, 8.0);
    TrackPrior { sigma2: settings.prior.sigma2 * ratio, ..settings.prior }
}

/// Revenue is noisy around its mean, so log revenue sits v/2 below the log of the mean, where v is
/// the log-noise variance — larger at small spends. Lifting each day by its own v/2 (from the
/// model's noise level) keeps low-spend days from making the curve look steeper than it is.
fn unbias(obs: &[Observation], sigma2: f64, s_ref: f64) -> Vec<Observation> {
    obs.iter()
        .map(|o| {
            let v = (1.0 + sigma2 * s_ref / o.spend).ln();
            Observation { revenue: o.revenue * (v / 2.0).exp(), ..*o }
        })
        .collect()
}

/// P(best) by Monte Carlo: the share of `draws` joint draws in which each campaign's ROAS is the
/// highest; `z(m, k)` supplies the standard normals (tsbench `ts_pbest`).
pub fn p_best(post: &[Nig], draws: usize, z: impl Fn(usize, usize) -> f64) -> Vec<f64> {
    let mut wins = vec![0usize; post.len()];
    let mut theta = vec![0.0; post.len()];
    for m in 0..draws {
        for (k, p) in post.iter().enumerate() {
            theta[k] = p.mu + p.sd * z(m, k);
        }
        wins[argmax(&theta)] += 1;
    }
    wins.iter().map(|&w| w as f64 / draws as f64).collect()
}
