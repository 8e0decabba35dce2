//! Posteriors over a campaign's returns, from daily (spend, revenue) observations.
//!
//! - [`Nig`]: tsbench §6, a weighted Normal-Inverse-Gamma posterior on daily ROAS (revenue/spend),
//!   each day weighted by its spend and, optionally, discounted by age.
//! - [`Curve`]: a Bayesian regression of log revenue on log spend, i.e. a response curve
//!   revenue = a·spend^b with diminishing returns (b < 1); tsbench §7 `ts_curve` and the product.

/// One day of one campaign as the optimiser sees it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Observation {
    pub spend: f64,
    pub revenue: f64,
    /// Days between this observation and the decision (yesterday = 0).
    pub age: u32,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct NigPrior {
    pub mu0: f64,
    pub kappa0: f64,
    pub alpha0: f64,
    pub beta0: f64,
}

impl NigPrior {
    pub const TSBENCH: NigPrior = NigPrior { mu0: 2.0, kappa0: 1.0, alpha0: 2.0, beta0: 2.0 };
}

/// Posterior mean and scale of a campaign's ROAS.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Nig {
    pub mu: f64,
    pub sd: f64,
}

impl Nig {
    pub fn fit(obs: &[Observation], prior: NigPrior, gamma: f64, s_ref: f64) -> Nig {
        let (mut w_sum, mut n, mut wx) = (0.0, 0.0, 0.0);
        for o in obs {
            let g = gamma.powi(o.age as i32);
            let w = g * o.spend / s_ref;
            w_sum += w;
            n += g;
            wx += w * (o.revenue / o.spend);
        }
        let x_bar = if w_sum > 0.0 { wx / w_sum } else { 0.0 };
        let s: f64 = obs
            .iter()
            .map(|o| gamma.powi(o.age as i32) * o.spend / s_ref * (o.revenue / o.spend - x_bar).powi(2))
            .sum();
        let kappa = prior.kappa0 + w_sum;
        let mu = (prior.kappa0 * prior.mu0 + w_sum * x_bar) / kappa;
        let alpha = prior.alpha0 + n / 2.0;
        let beta = prior.beta0 + s / 2.0 + prior.kappa0 * w_sum * (x_bar - prior.mu0).powi(2) / (2.0 * kappa);
        Nig { mu, sd: (beta / (alpha * kappa)).sqrt() }
    }
}

/// Gaussian posterior of (α, β) in ln(revenue/s_ref) = α + β·ln(spend/s_ref).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Curve {
    pub mean: [f64; 2],
    /// Lower Cholesky factor of the covariance: [l11, l21, l22].
    pub chol: [f64; 3],
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CurvePrior {
    pub mean: [f64; 2],
    /// Diagonal prior precision.
    pub precision: [f64; 2],
    /// Observation noise variance on the log scale.
    pub sigma2: f64,
}

impl CurvePrior {
    pub const TSBENCH: CurvePrior =
        CurvePrior { mean: [std::f64::consts::LN_2, 0.7], precision: [4.0, 1.0 / 0.0225], sigma2: 0.1 };
}

impl Curve {
    /// Fits from observations weighted by `weight(obs)` (tsbench: spend/s_ref).
    pub fn fit(obs: &[Observation], prior: CurvePrior, s_ref: f64, weight: impl Fn(&Observation) -> f64) -> Curve {
        let [p0, p1] = prior.precision;
        // Precision matrix [[a, b], [b, d]] and right-hand side.
        let (mut a, mut b, mut d) = (p0, 0.0, p1);
        let (mut r0, mut r1) = (p0 * prior.mean[0], p1 * prior.mean[1]);
        for o in obs {
            let w = weight(o) / prior.sigma2;
            let u = (o.spend / s_ref).ln();
            let v = (o.revenue / s_ref).ln();
            a += w;
            b += w * u;
            d += w * u * u;
            r0 += w * v;
            r1 += w * u * v;
        }
        let det = a * d - b * b;
        let (c00, c01, c11) = (d / det, -b / det, a / det);
        let mean = [c00 * r0 + c01 * r1, c01 * r0 + c11 * r1];
        let l11 = c00.sqrt();
        let l21 = c01 / l11;
        let l22 = (c11 - l21 * l21).max(0.0).sqrt();
        Curve { mean, chol: [l11, l21, l22] }
    }

    /// (α, β) at standard-normal coordinates (z1, z2).
    pub fn draw(&self, z1: f64, z2: f64) -> (f64, f64) {
        let [l11, l21, l22] = self.chol;
        (self.mean[0] + l11 * z1, self.mean[1] + l21 * z1 + l22 * z2)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nig_moves_from_the_prior_to_the_data() {
        let obs: Vec<_> = (0..30).map(|i| Observation { spend: 200.0, revenue: 600.0, age: i }).collect();
        let post = Nig::fit(&obs, NigPrior::TSBENCH, 1.0, 200.0);
        assert!((post.mu - 3.0).abs() < 0.05, "{post:?}");
        let prior_only = Nig::fit(&[], NigPrior::TSBENCH, 1.0, 200.0);
        assert_eq!(prior_only.mu, 2.0);
        assert!(post.sd < prior_only.sd);
    }

    #[test]
    fn curve_recovers_a_noiseless_response() {
        // revenue = 5·s^0.8 observed at several spends.
        let obs: Vec<_> = [50.0, 100.0, 200.0, 400.0]
            .iter()
            .cycle()
            .take(400)
            .map(|&s: &f64| Observation { spend: s, revenue: 5.0 * s.powf(0.8), age: 0 })
            .collect();
        let c = Curve::fit(&obs, CurvePrior::TSBENCH, 200.0, |o| o.spend / 200.0);
        assert!((c.mean[1] - 0.8).abs() < 0.02, "{c:?}");
        let a = c.mean[0].exp() * 200f64.powf(1.0 - c.mean[1]);
        assert!((a - 5.0).abs() / 5.0 < 0.05, "a = {a}");
    }
}

/// Settings of the [`Curve::track`] filter.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TrackPrior {
    pub mean: [f64; 2],
    /// Prior standard deviations of (α, β).
    pub sd: [f64; 2],
    /// Log-scale noise variance of a day spent at s_ref (scales as s_ref/s).
    pub sigma2: f64,
    /// Daily random-walk variance of α (the level drifts; the elasticity β does not).
    pub drift_var: f64,
    /// A standardised surprise beyond this many σ counts as a possible change.
    pub surprise: f64,
}

impl Curve {
    /// Tracks (α, β) through the days oldest first with a Kalman filter whose level α drifts
    /// (random walk) while the elasticity β stays put. Two surprising days in a row (a shock)
    /// re-open the level's uncertainty, so the curve re-learns in days instead of weeks.
    pub fn track(obs: &[Observation], prior: TrackPrior, s_ref: f64) -> Curve {
        Self::track_calibrated(obs, prior, s_ref).0
    }

    /// [`Curve::track`], also returning Σ innovation²/predicted variance and the number of days:
    /// their ratio near 1 means the assumed noise level fits; above 1, the data are noisier.
    pub fn track_calibrated(obs: &[Observation], prior: TrackPrior, s_ref: f64) -> (Curve, f64, usize) {
        let mut calibration = 0.0;
        let mut order: Vec<&Observation> = obs.iter().collect();
        order.sort_by_key(|o| std::cmp::Reverse(o.age));
        let mut m = prior.mean;
        let mut p = [[prior.sd[0].powi(2), 0.0], [0.0, prior.sd[1].powi(2)]];
        let mut last_age = order.first().map(|o| o.age + 1).unwrap_or(0);
        let mut surprises = 0;
        for o in order {
            // Predict: the level wanders for each day that passed.
            p[0][0] += prior.drift_var * last_age.saturating_sub(o.age) as f64;
            last_age = o.age;
            let u = (o.spend / s_ref).ln();
            let y = (o.revenue / s_ref).ln();
            let r = prior.sigma2 * s_ref / o.spend;
            let ph = [p[0][0] + p[0][1] * u, p[1][0] + p[1][1] * u];
            let s = ph[0] + u * ph[1] + r;
            let innovation = y - (m[0] + m[1] * u);
            calibration += innovation * innovation / s;
            surprises = if innovation.abs() > prior.surprise * s.sqrt() { surprises + 1 } else { 0 };
            if surprises >= 2 {
                // Same-direction surprises two days running: the level likely jumped.
                p[0][0] += prior.sd[0].powi(2);
                surprises = 0;
            }
            let s = p[0][0] + 2.0 * u * p[0][1] + u * u * p[1][1] + r;
            let ph = [p[0][0] + p[0][1] * u, p[1][0] + p[1][1] * u];
            let gain = [ph[0] / s, ph[1] / s];
            let innovation = y - (m[0] + m[1] * u);
            m = [m[0] + gain[0] * innovation, m[1] + gain[1] * innovation];
            p = [
                [p[0][0] - gain[0] * ph[0], p[0][1] - gain[0] * ph[1]],
                [p[1][0] - gain[1] * ph[0], p[1][1] - gain[1] * ph[1]],
            ];
        }
        let l11 = p[0][0].max(1e-12).sqrt();
        let l21 = p[0][1] / l11;
        let l22 = (p[1][1] - l21 * l21).max(0.0).sqrt();
        (Curve { mean: m, chol: [l11, l21, l22] }, calibration, obs.len())
    }
}
