//! tsbench v1 §1 and §3: scenario parameters and the simulated environment of one seed.

use crate::optimiser::rng::{TAG_DRIFT, TAG_NOISE, TAG_PARAMS, key, normal, unit};

pub const SCENARIOS: [&str; 6] = ["stationary", "drift", "shock", "delay", "noisy", "k20"];

/// Share of a day's revenue reported after `age+1` days (index min(age, 6)).
pub const F_FAST: [f64; 7] = [0.7, 0.9, 0.96, 0.99, 1.0, 1.0, 1.0];
pub const F_SLOW: [f64; 7] = [0.3, 0.5, 0.65, 0.75, 0.85, 0.92, 1.0];

#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    pub name: &'static str,
    pub k: usize,
    pub t: usize,
    pub budget: f64,
    pub m_med: f64,
    pub m_sd: f64,
    pub b_lo: f64,
    pub b_hi: f64,
    pub cv: f64,
    pub s_noise: f64,
    pub drift_sd: f64,
    pub shock: bool,
    pub shock_mult: f64,
    pub delay: bool,
    pub ramp_rel: f64,
    pub mc_draws: usize,
    pub eps: f64,
    pub gamma_disc: f64,
    /// Days spent at an equal split before day 0, seen by every policy and not scored (0 in
    /// tsbench; the sandbox's ad account starts with 90 of them).
    pub history: usize,
}

impl Scenario {
    pub fn named(name: &str) -> Option<Scenario> {
        let base = Scenario {
            name: "drift",
            k: 5,
            t: 60,
            budget: 1000.0,
            m_med: 2.0,
            m_sd: 0.35,
            b_lo: 0.6,
            b_hi: 0.9,
            cv: 0.3,
            s_noise: 200.0,
            drift_sd: 0.02,
            shock: false,
            shock_mult: 0.5,
            delay: false,
            ramp_rel: 0.3,
            mc_draws: 10_000,
            eps: 0.1,
            gamma_disc: 0.9,
            history: 0,
        };
        let name = SCENARIOS.into_iter().find(|s| *s == name)?;
        Some(match name {
            "stationary" => Scenario { name, drift_sd: 0.0, ..base },
            "shock" => Scenario { name, shock: true, ..base },
            "delay" => Scenario { name, delay: true, ..base },
            "noisy" => Scenario { name, cv: 0.6, ..base },
            "k20" => Scenario { name, k: 20, ..base },
            _ => base,
        })
    }

    /// Every simulated day: the history, then the `t` scored ones.
    pub fn days(&self) -> usize {
        self.history + self.t
    }

    pub fn s_ref(&self) -> f64 {
        self.budget / self.k as f64
    }
    pub fn s_min(&self) -> f64 {
        0.1 * self.s_ref()
    }
    pub fn s_max(&self) -> f64 {
        0.6 * self.budget
    }
    pub fn ramp_abs(&self) -> f64 {
        0.1 * self.s_ref()
    }

    /// Maturity of day τ's revenue for campaign k when deciding day t (1 without delay).
    pub fn maturity(&self, t: usize, tau: usize, k: usize) -> f64 {
        if !self.delay {
            return 1.0;
        }
        share_reported(k, t - 1 - tau)
    }
}

/// The share of campaign k's revenue of a day reported `age` days after it (0: the day after):
/// even campaigns convert fast, odd ones slowly (the `delay` scenario).
pub fn share_reported(k: usize, age: usize) -> f64 {
    let f = if k.is_multiple_of(2) { &F_FAST } else { &F_SLOW };
    f[age.min(6)]
}

/// The true, hidden world of one seed.
pub struct Environment {
    pub b: Vec<f64>,
    /// a_k(t), indexed [t][k].
    pub a: Vec<Vec<f64>>,
    noise_key: u64,
    cv: f64,
    s_noise: f64,
}

impl Environment {
    pub fn new(sc: &Scenario, seed: u64) -> Environment {
        let (kp, kd) = (key(seed, TAG_PARAMS), key(seed, TAG_DRIFT));
        let k = sc.k;
        let m: Vec<f64> = (0..k).map(|i| sc.m_med * (sc.m_sd * normal(kp, i as u64)).exp()).collect();
        let b: Vec<f64> = (0..k).map(|i| sc.b_lo + (sc.b_hi - sc.b_lo) * unit(kp, 1000 + i as u64)).collect();
        let a0: Vec<f64> = (0..k).map(|i| m[i] * sc.s_ref().powf(1.0 - b[i])).collect();
        let star = crate::optimiser::rails::argmax(&m);
        let mut level = vec![0.0; k];
        let mut a = Vec::with_capacity(sc.days());
        for t in 0..sc.days() {
            if t >= 1 {
                for (i, l) in level.iter_mut().enumerate() {
                    *l += sc.drift_sd * normal(kd, (t * k + i) as u64);
                }
            }
            let mut day: Vec<f64> = (0..k).map(|i| a0[i] * level[i].exp()).collect();
            if sc.shock && t >= sc.history + sc.t / 2 {
                day[star] *= sc.shock_mult;
            }
            a.push(day);
        }
        Environment { b, a, noise_key: key(seed, TAG_NOISE), cv: sc.cv, s_noise: sc.s_noise }
    }

    pub fn expected_revenue(&self, t: usize, k: usize, spend: f64) -> f64 {
        self.a[t][k] * spend.powf(self.b[k])
    }

    pub fn observed_revenue(&self, t: usize, k: usize, spend: f64) -> f64 {
        let kk = self.b.len();
        let v = (1.0 + self.cv * self.cv * self.s_noise / spend).ln();
        self.expected_revenue(t, k, spend) * (v.sqrt() * normal(self.noise_key, (t * kk + k) as u64) - v / 2.0).exp()
    }
}
