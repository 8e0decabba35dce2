//! The conversion-maturity curve: the share of a day's final revenue reported by the time the day
//! is `a` days old. Purchases are attributed to the day of the click for days afterwards, so recent
//! days read low; the optimiser divides each day's revenue by the curve at its age (ignoring it
//! makes the campaigns with slow buyers look worse than they are — tsbench's `delay` scenario).
//!
//! The curve is estimated from the account's own history, never assumed: every sync reads the
//! recent days again, so the same day is seen at successive ages, and what was reported at age `a`
//! divided by what was reported at age `a + 1` is F(a)/F(a+1). Chaining those ratios from the
//! oldest age that still grew down to age 0 gives the curve. Each campaign has its own (buyers of
//! different products take different times); ages a campaign has too few sightings of borrow the
//! account's pooled ratio.

/// What was reported of one day's revenue when the day was `age` days old.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Sighting {
    pub age: u32,
    pub revenue: f64,
}

/// A campaign needs this many days seen at both age `a` and `a + 1` before its own ratio at `a`
/// is trusted over the account's.
pub const MIN_PAIRS: u32 = 3;

/// No day is divided by less than this: a day that has reported under 5 % of its revenue says too
/// little to be scaled up twentyfold.
const LOWEST: f64 = 0.05;

/// Days seen at both age `a` and `a + 1`: their revenue at each, summed, and how many.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Pairs {
    pub young: f64,
    pub old: f64,
    pub days: u32,
}

/// The ratios F(a)/F(a+1) behind a curve, with the evidence for each.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Maturity {
    /// `ratio[a]` = F(a)/F(a+1); ages past the end are mature.
    ratio: Vec<f64>,
    pairs: Vec<u32>,
}

impl Maturity {
    /// Every day fully reported (no sightings yet, or no delay).
    pub fn mature() -> Self {
        Self::default()
    }

    /// From the sightings of each day (one list per day, any order); ages with fewer than
    /// [`MIN_PAIRS`] pairs take `fallback`'s ratio.
    pub fn estimate(days: &[Vec<Sighting>], fallback: &Maturity) -> Self {
        Self::from_pairs(&Self::pairs(days), fallback)
    }

    /// Per age `a`: what the days seen at both `a` and `a + 1` showed at each, summed, and how
    /// many days.
    pub fn pairs(days: &[Vec<Sighting>]) -> Vec<Pairs> {
        let mut out: Vec<Pairs> = Vec::new();
        for day in days {
            let mut sorted: Vec<Sighting> = day.iter().copied().filter(|s| s.revenue.is_finite()).collect();
            sorted.sort_by_key(|s| s.age);
            for w in sorted.windows(2) {
                let (young, old) = (w[0], w[1]);
                if old.age != young.age + 1 || old.revenue <= 0.0 || young.revenue < 0.0 {
                    continue;
                }
                let a = young.age as usize;
                if out.len() <= a {
                    out.resize(a + 1, Pairs::default());
                }
                (out[a].young, out[a].old, out[a].days) =
                    (out[a].young + young.revenue, out[a].old + old.revenue, out[a].days + 1);
            }
        }
        out
    }

    /// From [`Maturity::pairs`] (index = age), as [`Maturity::estimate`].
    pub fn from_pairs(by_age: &[Pairs], fallback: &Maturity) -> Self {
        let seen_young: Vec<f64> = by_age.iter().map(|p| p.young).collect();
        let seen_old: Vec<f64> = by_age.iter().map(|p| p.old).collect();
        let pairs: Vec<u32> = by_age.iter().map(|p| p.days).collect();
        let len = pairs.len().max(fallback.ratio.len());
        let (mut ratio, mut evidence) = (Vec::with_capacity(len), Vec::with_capacity(len));
        for a in 0..len {
            let own = pairs.get(a).copied().unwrap_or(0);
            if own >= MIN_PAIRS || (own > 0 && fallback.pairs.get(a).copied().unwrap_or(0) == 0) {
                // Revenue restated downwards (refunds) reads as mature, never as above 1.
                ratio.push((seen_young[a] / seen_old[a]).clamp(LOWEST, 1.0));
                evidence.push(own);
            } else {
                ratio.push(fallback.ratio.get(a).copied().unwrap_or(1.0));
                evidence.push(fallback.pairs.get(a).copied().unwrap_or(0));
            }
        }
        Maturity { ratio, pairs: evidence }
    }

    /// F(age): the share of the final revenue reported at that age (1 once mature).
    pub fn at(&self, age: u32) -> f64 {
        let start = (age as usize).min(self.ratio.len());
        self.ratio[start..].iter().product::<f64>().max(LOWEST)
    }

    /// F(0), F(1), … up to the horizon (empty when every day is mature).
    pub fn curve(&self) -> Vec<f64> {
        (0..self.horizon()).map(|a| self.at(a)).collect()
    }

    /// The first age from which days count as fully reported.
    pub fn horizon(&self) -> u32 {
        self.ratio.iter().rposition(|r| *r < 1.0).map_or(0, |a| a as u32 + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Days of `revenue` each, sighted at every age from 0 to `oldest` under curve `f` (mature past
    /// its end).
    fn sighted(f: &[f64], revenue: &[f64], oldest: u32) -> Vec<Vec<Sighting>> {
        revenue
            .iter()
            .map(|r| {
                (0..=oldest)
                    .map(|age| Sighting { age, revenue: r * f.get(age as usize).copied().unwrap_or(1.0) })
                    .collect()
            })
            .collect()
    }

    const SLOW: [f64; 7] = [0.3, 0.5, 0.65, 0.75, 0.85, 0.92, 1.0];

    #[test]
    fn successive_sightings_of_the_same_days_give_back_the_curve() {
        let days = sighted(&SLOW, &[1000.0, 420.0, 1730.0, 800.0], 10);
        let m = Maturity::estimate(&days, &Maturity::mature());
        for (age, f) in SLOW.iter().enumerate() {
            assert!((m.at(age as u32) - f).abs() < 1e-12, "age {age}: {} vs {f}", m.at(age as u32));
        }
        assert_eq!(m.at(30), 1.0);
        assert_eq!(m.horizon(), 6);
    }

    #[test]
    fn without_delay_or_sightings_every_day_is_mature() {
        let flat = sighted(&[], &[500.0, 700.0], 8);
        assert_eq!(Maturity::estimate(&flat, &Maturity::mature()).at(0), 1.0);
        assert_eq!(Maturity::estimate(&[], &Maturity::mature()).at(0), 1.0);
        assert_eq!(Maturity::mature().horizon(), 0);
    }

    #[test]
    fn a_campaign_with_few_sightings_borrows_the_accounts_ratios() {
        let fast = [0.7, 0.9, 0.96, 0.99, 1.0];
        let account = Maturity::estimate(&sighted(&fast, &[100.0; 20], 8), &Maturity::mature());
        // Two days seen: too few to trust on its own, so the account's curve is used.
        let young = Maturity::estimate(&sighted(&SLOW, &[100.0, 90.0], 8), &account);
        assert!((young.at(0) - 0.7).abs() < 1e-12, "{}", young.at(0));
        let grown = Maturity::estimate(&sighted(&SLOW, &[100.0, 90.0, 80.0], 8), &account);
        assert!((grown.at(0) - 0.3).abs() < 1e-12, "{}", grown.at(0));
    }

    #[test]
    fn refunds_gaps_and_nonsense_do_not_bend_the_curve_out_of_shape() {
        // Revenue restated downwards, a day seen with a gap (ages 0 and 2), a zero and a NaN.
        let days = vec![
            vec![Sighting { age: 0, revenue: 120.0 }, Sighting { age: 1, revenue: 100.0 }],
            vec![Sighting { age: 0, revenue: 50.0 }, Sighting { age: 2, revenue: 100.0 }],
            vec![Sighting { age: 3, revenue: 0.0 }, Sighting { age: 4, revenue: 0.0 }],
            vec![Sighting { age: 5, revenue: f64::NAN }, Sighting { age: 6, revenue: 10.0 }],
        ];
        let m = Maturity::estimate(&days, &Maturity::mature());
        assert_eq!(m.at(0), 1.0, "more reported earlier than later reads as mature");
        assert!((0..10).all(|a| (LOWEST..=1.0).contains(&m.at(a))));
    }
}
