//! What-if: a proposal with budgets changed by hand, valued on the proposal's own posteriors (so
//! its unchanged plan scores exactly the proposal's figure), with warnings where the plan leaves
//! the rails. Held campaigns (too little data for a curve) are valued at their observed ROAS.

use crate::optimiser::plan::{Planned, value};
use crate::optimiser::posterior::Curve;
use app::budgets::model::{Proposal, WhatIf, WhatIfRow};
use app::budgets::port::BudgetError;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// The budgets an admin typed (`c<campaign id>` or the id → a decimal in `currency`) over the
/// proposal's: every row's budget in minor units. An empty field keeps the proposal's.
pub fn typed(p: &Proposal, budgets: &BTreeMap<String, String>) -> Result<BTreeMap<String, i64>, BudgetError> {
    let mut plan: BTreeMap<String, i64> = p.rows.iter().map(|r| (r.id.clone(), r.budget_after)).collect();
    for (key, text) in budgets.iter().filter(|(_, t)| !t.trim().is_empty()) {
        // Forms name a field `budgets[c<id>]`: a key of digits alone would be read as a list
        // index in the browser, where it overflows (wasm32's usize). Bare ids are taken too.
        let id = key.strip_prefix('c').filter(|id| plan.contains_key(*id)).unwrap_or(key);
        let slot = plan.get_mut(id).ok_or(BudgetError::UnknownCampaign)?;
        *slot =
            crate::ads::parse::typed_amount(text, &p.currency).ok_or(BudgetError::Invalid("error-budget-amount"))?;
    }
    Ok(plan)
}

fn curve(row: &[f64]) -> Option<Curve> {
    match *row {
        [a, b, l11, l21, l22] => Some(Curve { mean: [a, b], chol: [l11, l21, l22] }),
        _ => None,
    }
}

/// The row's curve as the proposal keeps it.
pub fn kept(c: &Curve) -> Vec<f64> {
    vec![c.mean[0], c.mean[1], c.chol[0], c.chol[1], c.chol[2]]
}

/// (expected, low, high) of `plan` over `p`'s campaigns.
fn valued(p: &Proposal, plan: &BTreeMap<String, i64>) -> (f64, f64, f64) {
    let budget = |id: &str| plan.get(id).copied().unwrap_or(0) as f64;
    let mut planned = Vec::with_capacity(p.rows.len());
    let mut held = 0.0;
    for r in &p.rows {
        match curve(&r.curve) {
            Some(curve) => planned.push(Planned { curve, budget: budget(&r.id) }),
            None => held += r.roas * budget(&r.id),
        }
    }
    let seed = u64::from_le_bytes(Sha256::digest(p.id.as_bytes())[..8].try_into().unwrap_or_default());
    // The elasticities the engine allows, as in the decision the proposal came from.
    let range = crate::optimiser::thompson::Settings::default().beta_range;
    let v = value(&planned, p.s_ref.max(1.0), range, seed);
    (v.expected + held, v.low + held, v.high + held)
}

/// The what-if view of `plan` over `p`.
pub fn what_if(p: &Proposal, plan: &BTreeMap<String, i64>, draft_id: Option<String>) -> WhatIf {
    let proposed: BTreeMap<String, i64> = p.rows.iter().map(|r| (r.id.clone(), r.budget_after)).collect();
    let (expected, low, high) = valued(p, plan);
    let (proposal_expected, _, _) = valued(p, &proposed);
    let rows: Vec<WhatIfRow> = p
        .rows
        .iter()
        .map(|r| {
            let budget = plan.get(&r.id).copied().unwrap_or(r.budget_after);
            let step = (p.max_change_pct as f64 / 100.0 * r.budget_before as f64).floor() as i64;
            let mut warnings = Vec::new();
            if budget < p.floor {
                warnings.push("budget-warn-floor".to_owned());
            }
            if p.cap > 0 && budget > p.cap {
                warnings.push("budget-warn-cap".to_owned());
            }
            if (budget - r.budget_before).abs() > step {
                warnings.push("budget-warn-change".to_owned());
            }
            if r.curve.is_empty() && budget != r.budget_before {
                warnings.push("budget-warn-thin".to_owned());
            }
            WhatIfRow {
                id: r.id.clone(),
                name: r.name.clone(),
                budget_before: r.budget_before,
                proposed: r.budget_after,
                budget,
                warnings,
            }
        })
        .collect();
    let total = rows.iter().map(|r| r.budget).sum();
    WhatIf {
        proposal_id: p.id.clone(),
        draft_id,
        currency: p.currency.clone(),
        budget: p.budget,
        total,
        rows,
        expected: expected.round() as i64,
        low: low.round() as i64,
        high: high.round() as i64,
        proposal_expected: proposal_expected.round() as i64,
        warnings: if total != p.budget { vec!["budget-warn-total".into()] } else { Vec::new() },
    }
}

/// The proposal with `plan`'s budgets, as a new decision to apply: the changed rows are marked
/// as set by hand, and its expected revenue moves by what the plan's valuation moved.
pub fn planned_proposal(p: &Proposal, plan: &BTreeMap<String, i64>, draft_id: &str) -> Proposal {
    let w = what_if(p, plan, None);
    let mut out = p.clone();
    out.id = uuid::Uuid::new_v4().to_string();
    out.created_at = crate::storage::to_millis(time::OffsetDateTime::now_utc());
    out.status = "proposed".into();
    out.from_draft = Some(draft_id.to_owned());
    out.expected_revenue = p.expected_revenue + (w.expected - w.proposal_expected);
    for r in &mut out.rows {
        let budget = plan.get(&r.id).copied().unwrap_or(r.budget_after);
        if budget != r.budget_after {
            (r.budget_after, r.bound_by) = (budget, "manual".into());
        }
    }
    out
}
