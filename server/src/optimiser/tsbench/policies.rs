//! tsbench v1 §7: the anchor policies, and the product policy run through the same interface.

use super::scenario::Scenario;
use crate::optimiser::maturity::{Maturity, Sighting};
use crate::optimiser::posterior::{Curve, CurvePrior, Nig, NigPrior, Observation};
use crate::optimiser::rails::{Bounds, argmax, concave_opt, project};
use crate::optimiser::rng::{TAG_POLICY, key, normal, unit};
use crate::optimiser::thompson;

pub const ANCHORS: [&str; 8] = [
    "equal_split",
    "greedy_mean",
    "eps_greedy_0.1",
    "ucb1_gauss",
    "ts_pbest",
    "ts_pbest_disc0.9",
    "ts_curve",
    "ts_pbest_delaycorr",
];
pub const PRODUCT: &str = "adronx";
/// The product policy given the benchmark's true maturity curves instead of estimating them: the
/// reference its `delay` figure is reported beside.
pub const PRODUCT_KNOWN_CURVE: &str = "adronx_known_curve";

/// What a policy knows when deciding day `t` (≥ 1).
pub struct Day<'a> {
    pub sc: &'a Scenario,
    pub t: usize,
    pub seed: u64,
    pub bounds: &'a Bounds,
    /// Spend of each past day, [τ][k].
    pub spends: &'a [Vec<f64>],
    /// Final (fully matured) noisy revenue of each past day, [τ][k]; policies see it through
    /// [`Day::observations`], which applies the conversion delay.
    pub revenues: &'a [Vec<f64>],
}

impl Day<'_> {
    /// Campaign k's history as reported at decision time; `undo_delay` divides by the known
    /// maturity curve (the `delaycorr` idea).
    pub fn observations(&self, k: usize, undo_delay: bool) -> Vec<Observation> {
        (0..self.t)
            .map(|tau| {
                let f = self.sc.maturity(self.t, tau, k);
                let seen = self.revenues[tau][k] * f;
                Observation {
                    spend: self.spends[tau][k],
                    revenue: if undo_delay { seen / f } else { seen },
                    age: (self.t - 1 - tau) as u32,
                }
            })
            .collect()
    }

    /// Each campaign's maturity curve as the policy can estimate it from what it was shown: every
    /// past day as reported at each decision since (a sync reads recent days again), the
    /// campaign's own ratios where it has enough sightings, the account's pooled ones elsewhere.
    pub fn estimated_maturity(&self) -> Vec<Maturity> {
        let sightings = |k: usize| -> Vec<Vec<Sighting>> {
            (0..self.t)
                .map(|tau| {
                    (0..(self.t - tau) as u32)
                        .map(|age| Sighting {
                            age,
                            revenue: self.revenues[tau][k] * self.sc.maturity(tau + 1 + age as usize, tau, k),
                        })
                        .collect()
                })
                .collect()
        };
        let per_campaign: Vec<Vec<Vec<Sighting>>> = (0..self.sc.k).map(sightings).collect();
        let all: Vec<Vec<Sighting>> = per_campaign.iter().flatten().cloned().collect();
        let pooled = Maturity::estimate(&all, &Maturity::mature());
        per_campaign.iter().map(|days| Maturity::estimate(days, &pooled)).collect()
    }

    fn nig(&self, gamma: f64, undo_delay: bool) -> Vec<Nig> {
        (0..self.sc.k)
            .map(|k| Nig::fit(&self.observations(k, undo_delay), NigPrior::TSBENCH, gamma, self.sc.s_ref()))
            .collect()
    }

    fn all_on(&self, j: usize) -> Vec<f64> {
        let mut w = vec![0.0; self.sc.k];
        w[j] = self.sc.budget;
        project(&w, self.bounds, self.sc.budget)
    }
}

pub fn allocate(policy: &str, day: &Day) -> Vec<f64> {
    let sc = day.sc;
    let (k, t, budget) = (sc.k, day.t, sc.budget);
    let pk = key(day.seed, TAG_POLICY);
    match policy {
        "equal_split" => project(&vec![budget / k as f64; k], day.bounds, budget),
        "greedy_mean" => {
            let mu: Vec<f64> = day.nig(1.0, false).iter().map(|p| p.mu).collect();
            day.all_on(argmax(&mu))
        }
        "eps_greedy_0.1" => {
            let mu: Vec<f64> = day.nig(1.0, false).iter().map(|p| p.mu).collect();
            let mut j = argmax(&mu);
            if unit(pk, 2 * t as u64) < sc.eps {
                j = ((k as f64 * unit(pk, 2 * t as u64 + 1)).floor() as usize).min(k - 1);
            }
            day.all_on(j)
        }
        "ucb1_gauss" => {
            let bonus = (2.0 * ((k * t) as f64).ln()).sqrt();
            let ucb: Vec<f64> = day.nig(1.0, false).iter().map(|p| p.mu + bonus * p.sd).collect();
            day.all_on(argmax(&ucb))
        }
        "ts_pbest" | "ts_pbest_disc0.9" | "ts_pbest_delaycorr" => {
            let gamma = if policy == "ts_pbest_disc0.9" { sc.gamma_disc } else { 1.0 };
            let post = day.nig(gamma, policy == "ts_pbest_delaycorr");
            let p = thompson::p_best(&post, sc.mc_draws, |m, kk| normal(pk, ((t * sc.mc_draws + m) * k + kk) as u64));
            project(&p.iter().map(|p| p * budget).collect::<Vec<_>>(), day.bounds, budget)
        }
        "ts_curve" => {
            let s_ref = sc.s_ref();
            let (mut a, mut b) = (vec![0.0; k], vec![0.0; k]);
            for kk in 0..k {
                let curve = Curve::fit(&day.observations(kk, false), CurvePrior::TSBENCH, s_ref, |o| o.spend / s_ref);
                let i = 2 * (t * k + kk) as u64;
                let (alpha, beta) = curve.draw(normal(pk, i), normal(pk, i + 1));
                b[kk] = beta.clamp(0.05, 0.95);
                a[kk] = alpha.exp() * s_ref.powf(1.0 - b[kk]);
            }
            concave_opt(&a, &b, day.bounds, budget)
        }
        PRODUCT | PRODUCT_KNOWN_CURVE => {
            let history: Vec<Vec<Observation>> = if policy == PRODUCT {
                let curves = day.estimated_maturity();
                (0..k)
                    .map(|kk| {
                        let seen = day.observations(kk, false);
                        seen.into_iter()
                            .map(|o| Observation { revenue: o.revenue / curves[kk].at(o.age), ..o })
                            .collect()
                    })
                    .collect()
            } else {
                (0..k).map(|kk| day.observations(kk, true)).collect()
            };
            thompson::allocate(&history, &thompson::Settings::default(), s_ref_of(sc), day.bounds, budget, pk, t as u64)
                .budgets
        }
        other => panic!("unknown policy {other}"),
    }
}

fn s_ref_of(sc: &Scenario) -> f64 {
    sc.s_ref()
}
