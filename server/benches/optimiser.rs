//! Decision time of the budget optimiser for 5, 20 and 50 campaigns with 60 days of history
//! (goal: ≤ 1 ms for 50). `cargo bench -p server --bench optimiser`.

use adronx::optimiser::{CampaignInput, DecisionInput, decide, decide::DayResult};
use std::hint::black_box;
use std::time::{Duration, Instant};

fn input(k: usize) -> DecisionInput {
    let campaigns = (0..k)
        .map(|i| {
            let roas = 1.5 + (i % 7) as f64 * 0.3;
            let history = (0..60)
                .map(|age| {
                    let spend = 1000.0 + ((i * 31 + age as usize * 17) % 400) as f64;
                    DayResult {
                        age_days: age,
                        spend,
                        revenue: roas * spend * (1.0 + ((age % 5) as f64 - 2.0) * 0.05),
                        maturity: 1.0,
                    }
                })
                .collect();
            CampaignInput { id: format!("c{i}"), current_budget: 1200, floor: 200, cap: 20_000, history }
        })
        .collect();
    DecisionInput { budget: 1200 * k as i64, max_change: 0.2, campaigns, account_key: 7, day: 100 }
}

fn main() {
    for k in [5, 20, 50] {
        let input = input(k);
        let mut samples = vec![];
        let deadline = Instant::now() + Duration::from_secs(3);
        while Instant::now() < deadline || samples.len() < 20 {
            let start = Instant::now();
            black_box(decide(black_box(&input)).expect("feasible"));
            samples.push(start.elapsed());
        }
        samples.sort();
        let median = samples[samples.len() / 2];
        let p95 = samples[samples.len() * 95 / 100];
        println!("decide, {k:>2} campaigns: median {median:?}, p95 {p95:?} ({} runs)", samples.len());
    }
}
