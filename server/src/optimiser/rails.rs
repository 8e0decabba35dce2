//! Safety rails: per-campaign floor and cap, a maximum day-over-day change, and a total that
//! equals the budget. `project` and `concave_opt` are tsbench v1 §4–5 exactly.

/// Per-campaign bounds for one day.
#[derive(Clone, Debug, PartialEq)]
pub struct Bounds {
    pub lo: Vec<f64>,
    pub hi: Vec<f64>,
}

/// Bounds for a day after `prev`: within [floor, cap] and at most
/// max(rel·prev, abs) away from yesterday (tsbench §4).
pub fn ramp_bounds(prev: &[f64], floor: &[f64], cap: &[f64], ramp_rel: f64, ramp_abs: f64) -> Bounds {
    let step = |p: f64| (ramp_rel * p).max(ramp_abs);
    Bounds {
        lo: prev.iter().zip(floor).map(|(&p, &f)| f.max(p - step(p))).collect(),
        hi: prev.iter().zip(cap).map(|(&p, &c)| c.min(p + step(p))).collect(),
    }
}

/// Shifts `w` by a common amount and clips to the bounds so the total is `budget` (bisection,
/// 100 steps).
pub fn project(w: &[f64], b: &Bounds, budget: f64) -> Vec<f64> {
    let clip = |x: f64, k: usize| x.max(b.lo[k]).min(b.hi[k]);
    let (mut a, mut z) = (f64::INFINITY, f64::NEG_INFINITY);
    for ((lo, hi), w) in b.lo.iter().zip(&b.hi).zip(w) {
        a = a.min(lo - w);
        z = z.max(hi - w);
    }
    for _ in 0..100 {
        let mid = (a + z) / 2.0;
        let total: f64 = (0..w.len()).map(|k| clip(w[k] + mid, k)).sum();
        if total > budget { z = mid } else { a = mid }
    }
    let shift = (a + z) / 2.0;
    (0..w.len()).map(|k| clip(w[k] + shift, k)).collect()
}

/// The allocation maximising Σ a_k s^b_k with Σ s = budget inside the bounds: equal marginal
/// returns a_k b_k s^(b_k-1) = e^x, found by bisection on x (200 steps, as tsbench specifies).
pub fn concave_opt(a: &[f64], b: &[f64], bounds: &Bounds, budget: f64) -> Vec<f64> {
    concave_opt_steps(a, b, bounds, budget, 200)
}

/// [`concave_opt`] with a chosen number of bisection steps (50 already pin x to ~1e-14 of its
/// bracket; the product uses fewer steps to decide in well under a millisecond).
pub fn concave_opt_steps(a: &[f64], b: &[f64], bounds: &Bounds, budget: f64, steps: usize) -> Vec<f64> {
    let g: Vec<f64> = a.iter().zip(b).map(|(a, b)| (a * b).ln()).collect();
    let s = |x: f64| -> Vec<f64> {
        (0..g.len()).map(|k| ((g[k] - x) / (1.0 - b[k])).exp().max(bounds.lo[k]).min(bounds.hi[k])).collect()
    };
    let mut lo_x = f64::INFINITY;
    let mut hi_x = f64::NEG_INFINITY;
    for k in 0..g.len() {
        lo_x = lo_x.min(g[k] + (b[k] - 1.0) * bounds.hi[k].ln());
        hi_x = hi_x.max(g[k] + (b[k] - 1.0) * bounds.lo[k].ln());
    }
    let (mut l, mut u) = (lo_x - 1.0, hi_x + 1.0);
    for _ in 0..steps {
        let mid = (l + u) / 2.0;
        if s(mid).iter().sum::<f64>() > budget { l = mid } else { u = mid }
    }
    s((l + u) / 2.0)
}

pub fn argmax(xs: &[f64]) -> usize {
    // Ties go to the lowest index.
    let mut best = 0;
    for (k, &x) in xs.iter().enumerate() {
        if x > xs[best] {
            best = k;
        }
    }
    best
}

/// Rounds a real allocation to whole minor currency units that add up to `budget` exactly and stay
/// within integer bounds (largest remainder, never crossing a bound).
pub fn round_to_units(s: &[f64], lo: &[i64], hi: &[i64], budget: i64) -> Vec<i64> {
    let mut units: Vec<i64> =
        s.iter().zip(lo.iter().zip(hi)).map(|(&x, (&l, &h))| (x.floor() as i64).clamp(l, h)).collect();
    let mut gap = budget - units.iter().sum::<i64>();
    let mut order: Vec<usize> = (0..s.len()).collect();
    // Units go first to the largest fractional parts (and come back from the smallest).
    order.sort_by(|&i, &j| (s[j] - s[j].floor()).total_cmp(&(s[i] - s[i].floor())).then(i.cmp(&j)));
    while gap != 0 {
        let before = gap;
        for &k in &order {
            if gap > 0 && units[k] < hi[k] {
                units[k] += 1;
                gap -= 1;
            } else if gap < 0 && units[k] > lo[k] {
                units[k] -= 1;
                gap += 1;
            }
            if gap == 0 {
                break;
            }
        }
        if gap == before {
            break; // infeasible bounds: callers check feasibility first
        }
    }
    units
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn project_hits_the_budget_inside_the_bounds() {
        let b = Bounds { lo: vec![20.0, 20.0, 20.0], hi: vec![600.0, 300.0, 600.0] };
        let s = project(&[1000.0, 0.0, 0.0], &b, 1000.0);
        assert!((s.iter().sum::<f64>() - 1000.0).abs() < 1e-6);
        assert!((s[0] - 600.0).abs() < 1e-6 && (s[1] - 200.0).abs() < 1e-6);
    }

    #[test]
    fn concave_opt_equalises_marginal_returns() {
        let b = Bounds { lo: vec![1.0; 2], hi: vec![1000.0; 2] };
        let s = concave_opt(&[10.0, 10.0], &[0.5, 0.5], &b, 100.0);
        assert!((s[0] - 50.0).abs() < 1e-6);
        let s = concave_opt(&[20.0, 10.0], &[0.5, 0.5], &b, 100.0);
        // 20/√s0 = 10/√s1 → s0 = 4 s1.
        assert!((s[0] - 80.0).abs() < 1e-6, "{s:?}");
    }

    #[test]
    fn rounding_keeps_the_total_exact_and_the_bounds() {
        let u = round_to_units(&[333.4, 333.3, 333.3], &[0; 3], &[1000; 3], 1000);
        assert_eq!(u.iter().sum::<i64>(), 1000);
        assert_eq!(u, vec![334, 333, 333]);
        let u = round_to_units(&[10.9, 10.9, 978.2], &[0, 0, 0], &[10, 11, 2000], 1000);
        assert_eq!(u.iter().sum::<i64>(), 1000);
        assert!(u[0] <= 10);
    }
}
