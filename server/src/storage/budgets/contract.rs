//! The budgets contract: every adapter must pass these (see `storage/contract.rs`).

use super::*;
use crate::storage::contract::secs;
use crate::storage::{Stores, millis_precision};

fn settings(org: &str) -> BudgetSettingsRecord {
    BudgetSettingsRecord {
        org_id: OrgId::new(org),
        currency: "MXN".into(),
        daily_budget: 500_000,
        floor: 10_000,
        cap: 300_000,
        max_change_pct: 20,
        min_days: 7,
        min_spend: 50_000,
        auto: false,
        auto_paused: None,
        updated_by: "u-1".into(),
        updated_at: millis_precision(OffsetDateTime::now_utc()),
    }
}

pub(crate) fn decision(org: &str, id: &str, at: OffsetDateTime) -> DecisionRecord {
    DecisionRecord {
        id: id.into(),
        org_id: OrgId::new(org),
        day: "2026-11-28".into(),
        inputs_hash: "h1".into(),
        status: "proposed".into(),
        body: r#"{"campaigns":[{"id":"c1","budget_after":12345}],"note":"Ñandú — ميزانية"}"#.into(),
        created_by: "u-1".into(),
        created_at: millis_precision(at),
        applied_by: None,
        applied_at: None,
    }
}

pub async fn settings_are_kept_and_replaced_per_organisation(s: Stores) {
    let org = OrgId::new("org-a");
    assert_eq!(s.budgets.budget_settings(&org).await.unwrap(), None);
    let mut a = settings("org-a");
    s.budgets.save_budget_settings(&a).await.unwrap();
    s.budgets.save_budget_settings(&settings("org-b")).await.unwrap();
    (a.auto, a.auto_paused, a.daily_budget) = (true, Some("spend diverged".into()), 600_000);
    s.budgets.save_budget_settings(&a).await.unwrap();
    assert_eq!(s.budgets.budget_settings(&org).await.unwrap(), Some(a));
    assert_eq!(s.budgets.budget_settings(&OrgId::new("org-b")).await.unwrap().unwrap().daily_budget, 500_000);
}

pub async fn decisions_come_newest_first_within_their_organisation_and_change_in_place(s: Stores) {
    let org = OrgId::new("org-a");
    let t = OffsetDateTime::now_utc();
    for (id, ago) in [("d1", 300), ("d2", 200), ("d3", 100)] {
        s.budgets.save_decision(&decision("org-a", id, t - secs(ago))).await.unwrap();
    }
    s.budgets.save_decision(&decision("org-b", "d4", t)).await.unwrap();
    let ids = |v: Vec<DecisionRecord>| v.into_iter().map(|d| d.id).collect::<Vec<_>>();
    assert_eq!(ids(s.budgets.decisions(&org, 10).await.unwrap()), ["d3", "d2", "d1"]);
    assert_eq!(ids(s.budgets.decisions(&org, 2).await.unwrap()), ["d3", "d2"]);
    let mut applied = s.budgets.decision(&org, "d2").await.unwrap().unwrap();
    assert_eq!(applied, decision("org-a", "d2", t - secs(200)));
    (applied.status, applied.applied_by, applied.applied_at) = ("applied".into(), Some("u-2".into()), Some(applied.created_at));
    s.budgets.save_decision(&applied).await.unwrap();
    assert_eq!(s.budgets.decision(&org, "d2").await.unwrap(), Some(applied));
    assert_eq!(s.budgets.decision(&org, "d4").await.unwrap(), None, "another organisation's");
}

pub async fn a_status_moves_only_from_the_one_expected_and_nothing_else_changes(s: Stores) {
    let org = OrgId::new("org-a");
    let t = OffsetDateTime::now_utc();
    let mut d = decision("org-a", "d1", t);
    (d.status, d.applied_by, d.applied_at) = ("applying".into(), Some("auto".into()), Some(d.created_at));
    s.budgets.save_decision(&d).await.unwrap();
    assert!(!s.budgets.move_decision(&org, "d1", "proposed", "superseded").await.unwrap(), "not proposed any more");
    assert!(!s.budgets.move_decision(&OrgId::new("org-b"), "d1", "applying", "applied").await.unwrap());
    assert!(s.budgets.move_decision(&org, "d1", "applying", "applied").await.unwrap());
    d.status = "applied".into();
    assert_eq!(s.budgets.decision(&org, "d1").await.unwrap(), Some(d), "only the status moved");
}

pub async fn an_explanation_is_kept_per_decision_and_language(s: Stores) {
    let org = OrgId::new("org-a");
    let at = millis_precision(OffsetDateTime::now_utc());
    let es = ExplanationRecord {
        org_id: org.clone(),
        decision_id: "d1".into(),
        lang: "es".into(),
        text: "La campaña A rinde más: recibe 20 % más.".into(),
        source: "claude".into(),
        created_at: at,
    };
    s.budgets.save_explanation(&es).await.unwrap();
    let ar = ExplanationRecord { lang: "ar".into(), text: "الحملة أ".into(), source: "rules".into(), ..es.clone() };
    s.budgets.save_explanation(&ar).await.unwrap();
    assert_eq!(s.budgets.explanation(&org, "d1", "es").await.unwrap(), Some(es));
    assert_eq!(s.budgets.explanation(&org, "d1", "ar").await.unwrap(), Some(ar));
    assert_eq!(s.budgets.explanation(&org, "d1", "en").await.unwrap(), None);
    assert_eq!(s.budgets.explanation(&OrgId::new("org-b"), "d1", "es").await.unwrap(), None);
}

fn change(org: &str, decision: &str, campaign: &str, after: i64) -> BudgetChangeRecord {
    let at = millis_precision(OffsetDateTime::now_utc());
    BudgetChangeRecord {
        org_id: OrgId::new(org),
        decision_id: decision.into(),
        campaign_id: campaign.into(),
        budget_before: 100_000,
        budget_after: after,
        applied_budget: None,
        status: "pending".into(),
        error: None,
        attempts: 1,
        requested_by: "u-1".into(),
        requested_at: at,
        updated_at: at,
    }
}

pub async fn a_change_is_recorded_once_and_moves_through_its_states(s: Stores) {
    let org = OrgId::new("org-a");
    let first = [change("org-a", "d1", "c2", 120_000), change("org-a", "d1", "c1", 80_000)];
    assert_eq!(s.budgets.add_changes(&first).await.unwrap(), 2);
    // Applying again asks for nothing new: the recorded changes stay as they are.
    let again = [change("org-a", "d1", "c1", 999), change("org-a", "d1", "c3", 90_000)];
    assert_eq!(s.budgets.add_changes(&again).await.unwrap(), 1);
    s.budgets.add_changes(&[change("org-b", "d1", "c1", 1)]).await.unwrap();
    let later = millis_precision(OffsetDateTime::now_utc()) + secs(5);
    let update = |campaign, status, error, applied, attempt| ChangeUpdate {
        org: &org,
        decision_id: "d1",
        campaign_id: campaign,
        status,
        error,
        applied_budget: applied,
        attempt,
        now: later,
    };
    assert!(s.budgets.set_change(&update("c1", "applied", None, Some(80_000), false)).await.unwrap());
    assert!(s.budgets.set_change(&update("c2", "failed", Some("error-budget-campaign-gone"), None, false)).await.unwrap());
    assert!(s.budgets.set_change(&update("c2", "pending", None, None, true)).await.unwrap());
    assert!(!s.budgets.set_change(&update("c9", "applied", None, None, false)).await.unwrap());
    let got = s.budgets.changes(&org, "d1").await.unwrap();
    let seen: Vec<(&str, i64, &str, Option<i64>, i64)> =
        got.iter().map(|c| (c.campaign_id.as_str(), c.budget_after, c.status.as_str(), c.applied_budget, c.attempts)).collect();
    assert_eq!(
        seen,
        [("c1", 80_000, "applied", Some(80_000), 1), ("c2", 120_000, "pending", None, 2), ("c3", 90_000, "pending", None, 1)]
    );
    assert_eq!((got[1].error.as_deref(), got[1].updated_at), (None, later));
    assert_eq!(s.budgets.changes(&OrgId::new("org-b"), "d1").await.unwrap().len(), 1);
}

pub async fn a_draft_is_kept_and_opened_only_in_its_organisation(s: Stores) {
    let org = OrgId::new("org-a");
    let draft = DraftRecord {
        id: "w1".into(),
        org_id: org.clone(),
        decision_id: "d1".into(),
        budgets: r#"{"c1":120000,"c2":80000}"#.into(),
        created_by: "u-1".into(),
        created_at: millis_precision(OffsetDateTime::now_utc()),
    };
    s.budgets.save_draft(&draft).await.unwrap();
    assert_eq!(s.budgets.draft(&org, "w1").await.unwrap(), Some(draft.clone()));
    assert_eq!(s.budgets.draft(&OrgId::new("org-b"), "w1").await.unwrap(), None, "another organisation's");
    assert_eq!(s.budgets.draft(&org, "w2").await.unwrap(), None);
    assert!(s.budgets.save_draft(&draft).await.is_err(), "a saved draft is never replaced");
}
