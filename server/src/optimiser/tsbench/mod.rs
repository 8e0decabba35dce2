//! tsbench v1: the simulator every budget policy is scored on (`docs` in
//! shared/guides/optimiser-benchmark.md). Deterministic: results depend only on (scenario,
//! policy, seed).

pub mod policies;
pub mod scenario;

use crate::optimiser::rails::{Bounds, concave_opt, ramp_bounds};
use policies::Day;
use scenario::{Environment, Scenario};

/// One policy on one seed.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SeedResult {
    pub pct_oracle: f64,
    pub regret: f64,
    pub last7: f64,
    /// Revenue earned over the scored days as observed (noisy, fully matured): what an account's
    /// books would show, the figure the sandbox's realised revenue is compared with.
    pub revenue: f64,
}

pub fn run_seed(sc: &Scenario, policy: &str, seed: u64) -> SeedResult {
    let env = Environment::new(sc, seed);
    let (k, budget) = (sc.k, sc.budget);
    let floor = vec![sc.s_min(); k];
    let cap = vec![sc.s_max(); k];
    let boxed = Bounds { lo: floor.clone(), hi: cap.clone() };
    let days = sc.days();
    let mut spends: Vec<Vec<f64>> = Vec::with_capacity(days);
    let mut revenues: Vec<Vec<f64>> = Vec::with_capacity(days);
    let (mut got, mut best) = (vec![0.0; days], vec![0.0; days]);
    for t in 0..days {
        let s = if t == 0 || t < sc.history {
            vec![budget / k as f64; k]
        } else {
            let bounds = ramp_bounds(&spends[t - 1], &floor, &cap, sc.ramp_rel, sc.ramp_abs());
            let day = Day { sc, t, seed, bounds: &bounds, spends: &spends, revenues: &revenues };
            policies::allocate(policy, &day)
        };
        got[t] = (0..k).map(|i| env.expected_revenue(t, i, s[i])).sum();
        let oracle = concave_opt(&env.a[t], &env.b, &boxed, budget);
        best[t] = (0..k).map(|i| env.expected_revenue(t, i, oracle[i])).sum();
        revenues.push((0..k).map(|i| env.observed_revenue(t, i, s[i])).collect::<Vec<_>>());
        spends.push(s);
    }
    let (got, best) = (&got[sc.history..], &best[sc.history..]);
    let last = sc.t.saturating_sub(7);
    SeedResult {
        pct_oracle: 100.0 * got.iter().sum::<f64>() / best.iter().sum::<f64>(),
        regret: best.iter().zip(got).map(|(o, r)| o - r).sum(),
        last7: 100.0 * got[last..].iter().sum::<f64>() / best[last..].iter().sum::<f64>(),
        revenue: revenues[sc.history..].iter().flatten().sum(),
    }
}

/// Runs `seeds` on all cores (results are in seed order).
pub fn run_seeds(sc: &Scenario, policy: &str, seeds: std::ops::Range<u64>) -> Vec<SeedResult> {
    let threads = std::thread::available_parallelism().map(|p| p.get()).unwrap_or(1) as u64;
    let first = seeds.start;
    let mut results = vec![None; (seeds.end - first) as usize];
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|w| {
                let mine = (first + w..seeds.end).step_by(threads as usize);
                scope.spawn(move || mine.map(|s| (s, run_seed(sc, policy, s))).collect::<Vec<_>>())
            })
            .collect();
        for h in handles {
            for (s, r) in h.join().expect("simulation thread") {
                results[(s - first) as usize] = Some(r);
            }
        }
    });
    results.into_iter().map(|r| r.expect("every seed ran")).collect()
}

/// Mean and 95 % half-width (1.96·sd/√N, sample sd) of `xs`.
pub fn mean_ci(xs: &[f64]) -> (f64, f64) {
    let n = xs.len() as f64;
    let mean = xs.iter().sum::<f64>() / n;
    if xs.len() < 2 {
        return (mean, 0.0);
    }
    let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
    (mean, 1.96 * var.sqrt() / n.sqrt())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// tsbench §10: per-seed pct_oracle in scenario drift.
    const GOLDEN: [(&str, [f64; 3]); 5] = [
        ("equal_split", [97.842289336679, 90.403189459445, 93.418109205179]),
        ("greedy_mean", [97.163639283935, 92.948656995099, 96.408156122484]),
        ("ucb1_gauss", [97.566758554366, 92.534715716737, 96.093119264848]),
        ("ts_pbest", [97.043761315454, 97.011497712529, 97.871181511975]),
        ("ts_curve", [97.533273882260, 96.956326152037, 97.537917121850]),
    ];

    #[test]
    fn reproduces_the_golden_values() {
        let sc = Scenario::named("drift").unwrap();
        for (policy, expected) in GOLDEN {
            for (seed, want) in expected.iter().enumerate() {
                let got = run_seed(&sc, policy, seed as u64).pct_oracle;
                assert!(((got - want) / want).abs() <= 1e-6, "{policy} seed {seed}: {got} vs {want}");
            }
        }
    }
}
