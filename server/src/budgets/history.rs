//! The optimiser's history: every proposal and applied plan, and — as later days sync — what the
//! applied plans' moved campaigns realised against their forecast, with a chart of cumulative
//! revenue against the equal split.
//!
//! A plan is in force from the day after it was applied (the first whole day on its budgets)
//! until the day the next applied plan took over, and is judged on the campaigns it moved (held
//! campaigns earn the same under any split). The equal-split line is the realised revenue scaled
//! by the plan's own forecast ratio (equal split ÷ plan): what the same days would have brought
//! under an equal split, as the model sees it — a counterfactual no account can observe.

use crate::ads::charts::{self, Drawn};
use crate::ads::dashboard::{account_today, day_at, day_text, parse_day};
use crate::storage::Stores;
use crate::storage::ads::{AdAccountRecord, Level};
use crate::storage::budgets::DecisionRecord;
use app::budgets::model::{History, HistoryEntry, Proposal, Realised};
use app::budgets::port::BudgetError;
use app::i18n::Lang;
use std::collections::{HashMap, HashSet};
use time::{Date, Duration};

/// Decisions the history shows (two months of daily proposals).
pub const SHOWN: i64 = 60;

/// An applied plan and the days it was in force.
struct InForce {
    index: usize,
    from: Date,
    to: Date,
    moved: HashSet<String>,
}

/// The history and the chart's words (none before an applied plan has a whole day), with the
/// drawing `drawn` names plotted (see [`charts::cumulative`]).
pub async fn read(
    stores: &Stores,
    account: &AdAccountRecord,
    decisions: &[(DecisionRecord, Proposal)],
    lang: Lang,
    drawn: Option<&str>,
) -> Result<(History, Vec<Drawn>), BudgetError> {
    let yesterday = account_today(account) - Duration::days(1);
    // Oldest applied first: each is in force until the next one starts.
    let mut applied: Vec<(usize, Date)> = decisions
        .iter()
        .enumerate()
        .filter_map(|(i, (r, _))| {
            r.applied_at.map(|at| (i, day_at(&account.timezone, at).next_day().unwrap_or(Date::MAX)))
        })
        .collect();
    applied.sort_by_key(|&(i, from)| (from, std::cmp::Reverse(i)));
    let mut spans: Vec<InForce> = Vec::new();
    for (n, &(index, from)) in applied.iter().enumerate() {
        let until = applied.get(n + 1).map_or(yesterday, |&(_, next)| next - Duration::days(1)).min(yesterday);
        if until < from {
            continue;
        }
        let moved = decisions[index].1.rows.iter().filter(|r| !r.curve.is_empty()).map(|r| r.id.clone()).collect();
        spans.push(InForce { index, from, to: until, moved });
    }
    let mut daily: HashMap<(String, Date), (i64, i64)> = HashMap::new();
    if let Some(first) = spans.iter().map(|s| s.from).min() {
        let (from, to) = (day_text(first), day_text(yesterday));
        let mut rows = Vec::new();
        // A plan's rows are campaigns, or ad sets of campaigns without a budget of their own.
        for level in [Level::Campaign, Level::Adset] {
            let read = stores.ads.daily_results(&account.org_id, level, &from, &to).await;
            rows.extend(read.map_err(BudgetError::internal)?);
        }
        for r in rows {
            if let Some(day) = parse_day(&r.day) {
                daily.insert((r.campaign_id, day), (r.spend, r.revenue));
            }
        }
    }
    let mut realised: HashMap<usize, Realised> = HashMap::new();
    // (day, realised, forecast, equal split), cumulative.
    let mut points: Vec<(String, f64, f64, f64)> = Vec::new();
    let (mut total, mut forecast, mut equal) = (0.0, 0.0, 0.0);
    for span in &spans {
        let p = &decisions[span.index].1;
        let horizon = p.maturity.len() as i64;
        let ratio =
            if p.expected_revenue > 0 { p.expected_equal_split as f64 / p.expected_revenue as f64 } else { 1.0 };
        let planned_spend: i64 = p.rows.iter().filter(|r| span.moved.contains(&r.id)).map(|r| r.budget_after).sum();
        let entry = realised.entry(span.index).or_default();
        let mut day = span.from;
        while day <= span.to {
            let (spend, revenue) = span
                .moved
                .iter()
                .filter_map(|c| daily.get(&(c.clone(), day)))
                .fold((0, 0), |(s, r), &(ds, dr)| (s + ds, r + dr));
            entry.days += 1;
            entry.spend += spend;
            entry.revenue += revenue;
            entry.forecast_spend += planned_spend;
            entry.forecast_revenue += p.expected_revenue;
            entry.maturing += i64::from((yesterday - day).whole_days() < horizon);
            total += revenue as f64;
            forecast += p.expected_revenue as f64;
            equal += revenue as f64 * ratio;
            points.push((day_text(day), total, forecast, equal));
            day = day.next_day().unwrap_or(Date::MAX);
        }
    }
    let entries = decisions
        .iter()
        .enumerate()
        .map(|(i, (r, p))| HistoryEntry {
            id: p.id.clone(),
            day: p.day.clone(),
            status: r.status.clone(),
            created_at: p.created_at,
            budget: p.budget,
            expected_revenue: p.expected_revenue,
            expected_equal_split: p.expected_equal_split,
            changed: p.rows.iter().filter(|row| row.budget_after != row.budget_before).count() as i64,
            applied_by: p.applied_by.clone(),
            applied_at: r.applied_at.map(crate::storage::to_millis),
            from_draft: p.from_draft.is_some(),
            realised: realised.remove(&i),
        })
        .collect();
    let drawn =
        if points.is_empty() { Vec::new() } else { charts::cumulative(&points, &account.currency, lang, drawn) };
    let history = History { currency: account.currency.clone(), entries, chart: None };
    Ok((history, drawn))
}
