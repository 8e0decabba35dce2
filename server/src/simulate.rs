//! `adronx simulate`: runs tsbench and prints, per policy, % of oracle (95 % CI), regret per
//! budget, last-7-days % and uplift over equal split (paired over seeds).

use crate::optimiser::tsbench::policies::{ANCHORS, PRODUCT, PRODUCT_KNOWN_CURVE};
use crate::optimiser::tsbench::scenario::{SCENARIOS, Scenario};
use crate::optimiser::tsbench::{SeedResult, mean_ci, run_seeds};
use anyhow::{Context, bail};
use serde::Serialize;

pub const USAGE: &str = "usage: adronx simulate [--scenario NAME|all] [--seeds N | --seed S] [--history DAYS] [--policy NAME|all] [--json]\n\
     scenarios: stationary drift shock delay noisy k20 (default drift); policies: adronx (maturity curve estimated), adronx_known_curve (given the true curve), and the tsbench anchors;\n\
     --history DAYS: every policy first sees DAYS unscored days at an equal split (the sandbox ad account has 90);\n\
     --seed S: that seed alone (the sandbox ad account's seed is its number modulo 200)";

#[derive(Debug, PartialEq)]
pub struct Args {
    pub scenarios: Vec<&'static str>,
    pub policies: Vec<&'static str>,
    pub seeds: std::ops::Range<u64>,
    pub history: usize,
    pub json: bool,
}

pub fn parse(args: &[String]) -> anyhow::Result<Args> {
    let (mut scenario, mut policy, mut seeds, mut json) = ("drift".to_owned(), "all".to_owned(), 0..200, false);
    let mut history = 0;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value = || it.next().cloned().with_context(|| format!("{arg} needs a value\n{USAGE}"));
        match arg.as_str() {
            "--scenario" => scenario = value()?,
            "--policy" => policy = value()?,
            "--seeds" => seeds = 0..value()?.parse().context("--seeds must be a whole number")?,
            "--seed" => {
                let seed: u64 = value()?.parse().context("--seed must be a whole number")?;
                seeds = seed..seed + 1;
            }
            "--history" => history = value()?.parse().context("--history must be a whole number of days")?,
            "--json" => json = true,
            _ => bail!("unknown argument {arg}\n{USAGE}"),
        }
    }
    let scenarios: Vec<_> = SCENARIOS.into_iter().filter(|s| scenario == "all" || *s == scenario).collect();
    let all: Vec<&'static str> = [PRODUCT, PRODUCT_KNOWN_CURVE].into_iter().chain(ANCHORS).collect();
    let policies: Vec<_> = all.into_iter().filter(|p| policy == "all" || *p == policy).collect();
    if scenarios.is_empty() || policies.is_empty() || seeds.is_empty() || history > 3650 {
        bail!("unknown scenario or policy, no seeds, or a history over ten years\n{USAGE}");
    }
    Ok(Args { scenarios, policies, seeds, history, json })
}

#[derive(Debug, Serialize)]
pub struct Row {
    pub scenario: &'static str,
    pub policy: &'static str,
    pub seeds: u64,
    pub pct_oracle: f64,
    pub ci95: f64,
    pub regret_per_budget: f64,
    pub last7: f64,
    pub uplift_vs_equal: f64,
    pub uplift_ci95: f64,
    /// Mean revenue over the scored days, as observed (the sandbox's realised figure's match).
    pub revenue: f64,
}

pub fn run(args: &Args) -> Vec<Row> {
    let mut rows = vec![];
    for &name in &args.scenarios {
        let sc = Scenario { history: args.history, ..Scenario::named(name).expect("parsed scenario") };
        let equal = run_seeds(&sc, "equal_split", args.seeds.clone());
        for &policy in &args.policies {
            // The delay-corrected anchor only means something where there is delay.
            if policy == "ts_pbest_delaycorr" && !sc.delay {
                continue;
            }
            let results =
                if policy == "equal_split" { equal.clone() } else { run_seeds(&sc, policy, args.seeds.clone()) };
            rows.push(row(&sc, policy, &results, &equal));
        }
    }
    rows
}

fn row(sc: &Scenario, policy: &'static str, results: &[SeedResult], equal: &[SeedResult]) -> Row {
    let pct: Vec<f64> = results.iter().map(|r| r.pct_oracle).collect();
    let (pct_oracle, ci95) = mean_ci(&pct);
    let uplift: Vec<f64> = results.iter().zip(equal).map(|(r, e)| r.pct_oracle - e.pct_oracle).collect();
    let (uplift_vs_equal, uplift_ci95) = mean_ci(&uplift);
    let regret: Vec<f64> = results.iter().map(|r| r.regret / (sc.budget * sc.t as f64)).collect();
    let last7: Vec<f64> = results.iter().map(|r| r.last7).collect();
    Row {
        scenario: sc.name,
        policy,
        seeds: results.len() as u64,
        pct_oracle,
        ci95,
        regret_per_budget: mean_ci(&regret).0,
        last7: mean_ci(&last7).0,
        uplift_vs_equal,
        uplift_ci95,
        revenue: mean_ci(&results.iter().map(|r| r.revenue).collect::<Vec<_>>()).0,
    }
}

pub fn render_table(rows: &[Row]) -> String {
    let mut out = format!(
        "{:<11} {:<19} {:>16} {:>10} {:>8} {:>16} {:>10}\n",
        "scenario", "policy", "% of oracle", "regret/B·T", "last 7", "uplift vs equal", "revenue"
    );
    for r in rows {
        out.push_str(&format!(
            "{:<11} {:<19} {:>8.2} ±{:<6.2} {:>10.4} {:>8.2} {:>+8.2} ±{:<6.2} {:>10.0}\n",
            r.scenario,
            r.policy,
            r.pct_oracle,
            r.ci95,
            r.regret_per_budget,
            r.last7,
            r.uplift_vs_equal,
            r.uplift_ci95,
            r.revenue
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn parses_defaults_and_flags() {
        let a = parse(&[]).unwrap();
        assert_eq!((a.scenarios, a.seeds, a.history, a.json), (vec!["drift"], 0..200, 0, false));
        assert_eq!(a.policies.len(), 10);
        let a = parse(&args("--scenario k20 --policy ts_curve --seeds 3 --json")).unwrap();
        assert_eq!((a.scenarios, a.policies, a.seeds, a.json), (vec!["k20"], vec!["ts_curve"], 0..3, true));
        let a = parse(&args("--scenario delay --seed 17 --history 90")).unwrap();
        assert_eq!((a.seeds, a.history), (17..18, 90));
        assert!(parse(&args("--scenario nope")).is_err());
        assert!(parse(&args("--seeds")).is_err());
        assert!(parse(&args("--frobnicate")).is_err());
    }

    #[test]
    fn equal_split_has_no_uplift_over_itself() {
        let rows = run(&parse(&args("--policy equal_split --seeds 2")).unwrap());
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].uplift_vs_equal, 0.0);
        assert!(render_table(&rows).contains("equal_split"));
    }
}
