use super::*;

fn campaign(id: &str, budget: i64, roas: f64) -> CampaignInput {
    let history = (0..20)
        .map(|age| DayResult { age_days: age, spend: budget as f64, revenue: roas * budget as f64, maturity: 1.0 })
        .collect();
    CampaignInput { id: id.into(), current_budget: budget, floor: 100, cap: 10_000, history }
}

fn input(campaigns: Vec<CampaignInput>) -> DecisionInput {
    let budget = campaigns.iter().map(|c| c.current_budget).sum();
    DecisionInput { budget, max_change: 0.2, campaigns, account_key: 42, day: 7 }
}

#[test]
fn moves_budget_to_the_better_campaign_within_the_rails_and_to_the_unit() {
    let d = decide(&input(vec![campaign("a", 2000, 4.0), campaign("b", 2000, 1.0), campaign("c", 1001, 2.0)])).unwrap();
    let after: Vec<i64> = d.campaigns.iter().map(|c| c.budget_after).collect();
    assert_eq!(after.iter().sum::<i64>(), 5001);
    assert!((2350..=2400).contains(&after[0]), "the best campaign rises by up to 20 %: {after:?}");
    assert!(after[1] < 2000 && after[1] >= 1600);
    assert!(d.campaigns[0].p_best > 0.9);
    assert!(d.expected_revenue > d.expected_revenue_equal_split);
    let a = &d.campaigns[0];
    assert!(a.roas_interval.0 < a.roas && a.roas < a.roas_interval.1);
    assert_eq!(a.days_observed, 20);
}

#[test]
fn is_reproducible_for_an_account_and_day() {
    let make = || input(vec![campaign("a", 2000, 2.1), campaign("b", 2000, 2.0)]);
    let (x, y) = (decide(&make()).unwrap(), decide(&make()).unwrap());
    assert_eq!(
        x.campaigns.iter().map(|c| c.budget_after).collect::<Vec<_>>(),
        y.campaigns.iter().map(|c| c.budget_after).collect::<Vec<_>>()
    );
}

#[test]
fn refuses_infeasible_rails_with_a_clear_error() {
    let mut i = input(vec![campaign("a", 2000, 2.0), campaign("b", 2000, 2.0)]);
    i.budget = 10_000;
    assert_eq!(decide(&i).unwrap_err(), OptimiserError::Infeasible { budget: 10_000, min: 3200, max: 4800 });
    let mut i = input(vec![campaign("a", 2000, 2.0)]);
    i.campaigns[0].floor = 20_000;
    assert!(matches!(decide(&i), Err(OptimiserError::FloorAboveCap(_))));
    assert_eq!(decide(&input(vec![])).unwrap_err(), OptimiserError::NoCampaigns);
}

#[test]
fn a_campaign_without_history_still_gets_a_budget_inside_its_rails() {
    let mut fresh = campaign("new", 1000, 2.0);
    fresh.history.clear();
    let d = decide(&input(vec![campaign("a", 2000, 2.0), fresh])).unwrap();
    assert!((800..=1200).contains(&d.campaigns[1].budget_after));
    assert_eq!(d.campaigns[1].days_observed, 0);
}
