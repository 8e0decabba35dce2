//! "Simulate N days" on the sandbox ad account, over HTTP: who may run it and what it refuses; the
//! sandbox spending exactly the budgets the optimiser applied, day after day; and — the issue's
//! quality goal — the product's realised revenue over 60 simulated days against what the engine
//! earns in `adronx simulate` on the same world (`--scenario delay --history 90 --seed S`).

use crate::helpers::{Session, TestApp, call, eventually, json, member_of, owner, spawn_app_with};
use adronx::optimiser::tsbench::run_seed;
use app::ids::OrgId;
use serde_json::Value;
use std::collections::HashMap;

const DAYS: i64 = 60;
/// Days lived after the 60 so that the last of them has reported all its purchases.
const SETTLE: i64 = 7;

async fn simulate(app: &TestApp, who: &Session, days: &str) -> (u16, Value) {
    json(call(app, who, "ads/simulate", &[("days", days)]).await).await
}

#[tokio::test]
async fn sixty_simulated_days_spend_the_applied_budgets_and_earn_what_the_engine_does() {
    let app = spawn_app_with(&[]).await;
    let ana = owner(&app, "ana@tienda.mx").await;
    let luis = member_of(&app, owner(&app, "luis@tienda.mx").await, &ana.org_id).await;
    let org = OrgId::new(ana.org_id.clone());
    assert_eq!(simulate(&app, &ana, "3").await.1["code"], "error-ads-not-connected");
    crate::budgets::connected(&app, &ana).await;
    let (_, account) = json(call(&app, &ana, "ads/account", &[]).await).await;
    let started = account["clock_days"].as_i64().unwrap();
    assert_eq!((started, account["clock_left"].as_i64()), (0, Some(0)));

    // The benchmark's rails: 1,000 a day, floor 20, cap 600, 30 % a day; the automatic mode on.
    let form = [
        ("daily_budget", "1000"),
        ("floor", "20"),
        ("cap", "600"),
        ("max_change_pct", "30"),
        ("min_days", "7"),
        ("min_spend", "0"),
    ];
    assert_eq!(call(&app, &ana, "budgets/save-settings", &form).await.status(), 200);
    assert_eq!(call(&app, &ana, "budgets/auto", &[("on", "true")]).await.status(), 200);

    // Members do not run it; a number of days outside 1–90 is refused with its reason.
    assert_eq!(simulate(&app, &luis, "3").await.0, 403);
    for bad in ["91", "tres", "-2"] {
        let (status, body) = simulate(&app, &ana, bad).await;
        assert_eq!((status, body["code"].as_str()), (422, Some("error-simulate-days")), "{bad}");
    }
    assert_eq!(simulate(&app, &ana, &(DAYS + SETTLE).to_string()).await.0, 200);
    let (status, body) = simulate(&app, &ana, "3").await;
    assert_eq!((status, body["code"].as_str()), (422, Some("error-simulate-running")), "one at a time");
    assert_eq!(simulate(&app, &luis, "0").await.0, 403, "members do not stop it either");
    let mut last = -1;
    let done = loop {
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        let (_, a) = json(call(&app, &luis, "ads/account", &[]).await).await;
        let (clock, left) = (a["clock_days"].as_i64().unwrap(), a["clock_left"].as_i64().unwrap());
        assert!(clock >= last, "the clock only moves forward");
        last = clock;
        if left == 0 {
            break a;
        }
    };
    assert_eq!(done["clock_days"].as_i64(), Some(DAYS + SETTLE));
    let (_, s) = json(call(&app, &ana, "budgets/settings", &[]).await).await;
    assert_eq!(s["auto_paused"], Value::Null, "nothing looked wrong: {s}");

    // Every simulated day a plan was applied by the automatic mode, and the sandbox spent exactly
    // the budgets of the plan applied that day (Meta applies a budget at once).
    let decisions = app.store.budgets.decisions(&org, 200).await.unwrap();
    let applied: Vec<_> = decisions.iter().filter(|d| d.applied_by.as_deref() == Some("auto")).collect();
    let listed: Vec<_> = decisions.iter().map(|d| (&d.day, &d.status, &d.created_by, &d.applied_by)).collect();
    assert_eq!(applied.len() as i64, DAYS + SETTLE, "one plan a day: {listed:?}");
    let (all, campaign_level) = ("0000-01-01", adronx::storage::ads::Level::Campaign);
    let results = app.store.ads.daily_results(&org, campaign_level, all, "9999-12-31").await.unwrap();
    // Budgets are set on campaigns, and on the ad sets of a campaign without one of its own.
    let sets = app.store.ads.daily_results(&org, adronx::storage::ads::Level::Adset, all, "9999-12-31").await.unwrap();
    let spent: HashMap<(String, String), i64> =
        results.iter().chain(&sets).map(|r| ((r.campaign_id.clone(), r.day.clone()), r.spend)).collect();
    let mut checked = 0;
    for d in &applied {
        let plan: Value = serde_json::from_str(&d.body).unwrap();
        for row in plan["rows"].as_array().unwrap() {
            if let Some(spend) = spent.get(&(row["id"].as_str().unwrap().to_owned(), d.day.clone())) {
                assert_eq!(Some(*spend), row["budget_after"].as_i64(), "{} on {}", row["id"], d.day);
                checked += 1;
            }
        }
    }
    assert!(checked >= 5 * (DAYS + SETTLE - 1) as usize, "{checked} campaign-days checked");

    // The 60 days from the first simulated one (the world's days 90–149), fully reported,
    // against the engine on the same seed of the same world.
    let first = applied.iter().map(|d| d.day.clone()).min().unwrap();
    let mut days_seen: Vec<&String> = applied.iter().map(|d| &d.day).collect();
    days_seen.sort();
    let window: Vec<&String> = days_seen.into_iter().take(DAYS as usize).collect();
    let campaigns = app.store.ads.campaigns(&org).await.unwrap();
    let active: Vec<&str> = campaigns.iter().filter(|c| c.status == "ACTIVE").map(|c| c.id.as_str()).collect();
    let realised: i64 = results
        .iter()
        .filter(|r| active.contains(&r.campaign_id.as_str()) && window.contains(&&r.day))
        .map(|r| r.revenue)
        .sum();
    let seed = adronx::ads::sandbox::world::seed_of(account["account_id"].as_str().unwrap());
    let scenario =
        adronx::optimiser::tsbench::scenario::Scenario { t: DAYS as usize, ..adronx::ads::sandbox::world::scenario() };
    let engine = run_seed(&scenario, "adronx", seed).revenue * 100.0;
    let equal = run_seed(&scenario, "equal_split", seed).revenue * 100.0;
    let gap = realised as f64 / engine - 1.0;
    println!(
        "sandbox seed {seed}, from {first}: realised {:.2} MXN over {DAYS} days; engine {:.2}; equal split {:.2}; gap {:+.2} %",
        realised as f64 / 100.0,
        engine / 100.0,
        equal / 100.0,
        gap * 100.0
    );
    assert!(gap.abs() <= 0.02, "within 2 % of the engine: {:+.2} %", gap * 100.0);

    // A simulation stops when asked, after the day it is living.
    assert_eq!(simulate(&app, &ana, "30").await.0, 200);
    assert_eq!(simulate(&app, &ana, "0").await.0, 200);
    let clock = eventually("the simulation to stop", || async {
        let (_, a) = json(call(&app, &ana, "ads/account", &[]).await).await;
        (a["clock_left"] == 0).then(|| a["clock_days"].as_i64().unwrap())
    })
    .await;
    assert!((DAYS + SETTLE..DAYS + SETTLE + 30).contains(&clock), "stopped early: {clock}");
}
