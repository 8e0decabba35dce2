//! A budget proposal end to end from the embedded store (`cargo bench -p server --bench budgets`):
//! 50 active campaigns with 365 days of daily insights and 90 days of sightings at ages 0–7, read,
//! the maturity curve estimated, the engine run and the decision stored — what "Propose" does
//! (goal: ≤ 50 ms). Each round changes the budget by one minor unit, so none is answered from a
//! stored proposal with the same inputs.

use adronx::budgets::BudgetService;
use adronx::storage::Stores;
use adronx::storage::ads::{AdAccountRecord, CampaignRecord, InsightRecord, Level, SightingRecord, SyncState};
use adronx::storage::budgets::BudgetSettingsRecord;
use adronx::storage::whatsapp::{ConnectionKind, ConnectionStatus};
use app::accounts::model::{Caller, Role};
use app::budgets::port::Budgets;
use app::ids::{OrgId, UserId};
use std::time::{Duration, Instant};
use time::OffsetDateTime;

const CAMPAIGNS: usize = 50;
const DAYS: i64 = 365;
const TZ: &str = "America/Mexico_City";

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().unwrap();
    let stores = Stores::sqlite(&dir.path().join("budgets.db")).await.unwrap();
    let org = OrgId::new("org");
    let now = OffsetDateTime::now_utc();
    let account = AdAccountRecord {
        org_id: org.clone(),
        kind: ConnectionKind::Meta,
        account_id: "1".into(),
        page_id: "2".into(),
        name: "Bench".into(),
        currency: "MXN".into(),
        timezone: TZ.into(),
        account_status: 1,
        token: "sealed".into(),
        status: ConnectionStatus::Connected,
        status_detail: None,
        connected_at: now,
        updated_at: now,
        sync: SyncState { sync_state: "idle".into(), last_sync_at: Some(now), ..Default::default() },
        clock: Default::default(),
    };
    stores.ads.save_ad_account(&account).await.unwrap();
    let campaigns: Vec<CampaignRecord> = (0..CAMPAIGNS)
        .map(|c| CampaignRecord {
            org_id: org.clone(),
            id: format!("c{c:02}"),
            name: format!("Campaña {c}"),
            objective: "OUTCOME_SALES".into(),
            status: "ACTIVE".into(),
            daily_budget: Some(100_000),
            lifetime_budget: None,
            bid_strategy: None,
            synced_at: now,
        })
        .collect();
    stores.ads.upsert_campaigns(&campaigns).await.unwrap();
    let today = adronx::ads::dashboard::today_in(TZ);
    let mut insights = Vec::new();
    let mut sightings = Vec::new();
    for c in 0..CAMPAIGNS {
        let roas = 1.5 + (c % 9) as f64 * 0.25;
        for ago in 1..=DAYS {
            let day = adronx::ads::dashboard::day_text(today - time::Duration::days(ago));
            let spend = 95_000 + ((c as i64 * 37 + ago * 11) % 10_000);
            let revenue = (spend as f64 * roas * (0.8 + ((c as i64 + ago) % 5) as f64 * 0.1)) as i64;
            insights.push(InsightRecord {
                org_id: org.clone(),
                level: Level::Campaign,
                object_id: format!("c{c:02}"),
                campaign_id: format!("c{c:02}"),
                day: day.clone(),
                impressions: 20_000,
                clicks: 200,
                spend,
                purchases: 3,
                revenue,
            });
            // Seen by the syncs of each of the next eight days, still growing for a week.
            if ago <= 90 {
                for age in 0..8.min(ago) {
                    let share = [0.55, 0.75, 0.86, 0.92, 0.96, 0.98, 0.99, 1.0][age as usize];
                    sightings.push(SightingRecord {
                        org_id: org.clone(),
                        campaign_id: format!("c{c:02}"),
                        day: day.clone(),
                        age,
                        revenue: (revenue as f64 * share) as i64,
                    });
                }
            }
        }
    }
    stores.ads.upsert_insights(&insights).await.unwrap();
    stores.ads.record_sightings(&sightings).await.unwrap();
    let mut settings = BudgetSettingsRecord {
        org_id: org.clone(),
        currency: "MXN".into(),
        daily_budget: 100_000 * CAMPAIGNS as i64,
        floor: 10_000,
        cap: 1_000_000,
        max_change_pct: 20,
        min_days: 7,
        min_spend: 100_000,
        auto: false,
        auto_paused: None,
        updated_by: "u".into(),
        updated_at: now,
    };
    let service = BudgetService::new(stores.clone(), None);
    let caller = Caller { user_id: UserId::new("u"), org_id: org.clone(), role: Role::Owner };
    let mut times: Vec<Duration> = Vec::new();
    let mut curve = Vec::new();
    for round in 0..40 {
        settings.daily_budget = 100_000 * CAMPAIGNS as i64 - round;
        stores.budgets.save_budget_settings(&settings).await.unwrap();
        let started = Instant::now();
        let p = service.propose(&caller).await.unwrap();
        times.push(started.elapsed());
        assert_eq!(p.rows.len(), CAMPAIGNS);
        assert_eq!(p.rows.iter().map(|r| r.budget_after).sum::<i64>(), settings.daily_budget);
        curve = p.maturity;
    }
    // Where the time goes: each read, reading and estimating, then the engine alone.
    let t = Instant::now();
    let n = stores
        .ads
        .daily_results(&org, adronx::storage::ads::Level::Campaign, "2025-01-01", "2027-01-01")
        .await
        .unwrap()
        .len();
    println!("  daily results: {n} rows in {:.1} ms", t.elapsed().as_secs_f64() * 1e3);
    let t = Instant::now();
    let n = stores.ads.sighting_pairs(&org, "2025-01-01").await.unwrap().len();
    println!(
        "  sighting pairs of {} sightings: {n} sums in {:.1} ms",
        sightings.len(),
        t.elapsed().as_secs_f64() * 1e3
    );
    let started = Instant::now();
    let inputs = adronx::budgets::inputs::read(&stores, &org, &account).await.unwrap();
    let read = started.elapsed();
    let input = inputs.decision_input(&org, &settings).unwrap();
    let started = Instant::now();
    adronx::optimiser::decide(&input).unwrap();
    let engine = started.elapsed();
    println!(
        "  of which: reading the store and estimating the curve {:.1} ms, the engine {:.1} ms",
        read.as_secs_f64() * 1e3,
        engine.as_secs_f64() * 1e3
    );
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "proposal for {CAMPAIGNS} campaigns × {DAYS} days from the store: median {:.1} ms, p95 {:.1} ms, max {:.1} ms (goal ≤ 50 ms); maturity curve estimated {:?}",
        ms(times[times.len() / 2]),
        ms(times[times.len() * 95 / 100]),
        ms(times[times.len() - 1]),
        curve.iter().map(|f| (f * 100.0).round() / 100.0).collect::<Vec<_>>()
    );
}
