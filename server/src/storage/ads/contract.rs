//! The ads contract: every adapter must pass these (see `storage/contract.rs`).

use super::*;
use crate::storage::{Stores, millis_precision};

pub(crate) fn account(org: &str) -> AdAccountRecord {
    let now = millis_precision(OffsetDateTime::now_utc());
    AdAccountRecord {
        org_id: OrgId::new(org),
        kind: ConnectionKind::Sandbox,
        account_id: "1234567890".into(),
        page_id: "5550001".into(),
        name: "Tienda Ñ — متجر".into(),
        currency: "MXN".into(),
        timezone: "America/Mexico_City".into(),
        account_status: 1,
        token: "sealed-token".into(),
        status: ConnectionStatus::Connected,
        status_detail: None,
        connected_at: now,
        updated_at: now,
        sync: SyncState { sync_state: "idle".into(), ..Default::default() },
        clock: Clock::default(),
    }
}

fn campaign(org: &str, id: &str, name: &str) -> CampaignRecord {
    CampaignRecord {
        org_id: OrgId::new(org),
        id: id.into(),
        name: name.into(),
        objective: "OUTCOME_SALES".into(),
        status: "ACTIVE".into(),
        daily_budget: Some(150_000),
        lifetime_budget: None,
        bid_strategy: Some("LOWEST_COST_WITHOUT_CAP".into()),
        synced_at: millis_precision(OffsetDateTime::now_utc()),
    }
}

fn insight(org: &str, level: Level, object: &str, campaign: &str, day: &str, spend: i64) -> InsightRecord {
    InsightRecord {
        org_id: OrgId::new(org),
        level,
        object_id: object.into(),
        campaign_id: campaign.into(),
        day: day.into(),
        impressions: 1000,
        clicks: 10,
        spend,
        purchases: 1,
        revenue: spend * 3,
    }
}

pub async fn an_ad_account_keeps_its_sync_progress_and_turns_to_reauthorise(s: Stores) {
    let org = OrgId::new("org-a");
    let a = account("org-a");
    s.ads.save_ad_account(&a).await.unwrap();
    assert_eq!(s.ads.ad_account(&org).await.unwrap(), Some(a.clone()));
    assert_eq!(s.ads.ad_account(&OrgId::new("org-b")).await.unwrap(), None);

    let at = millis_precision(OffsetDateTime::now_utc());
    let progress = SyncState {
        sync_state: "waiting".into(),
        sync_stage: "insights-campaign".into(),
        sync_cursor: Some("QVFIUm".into()),
        sync_done: 40,
        sync_total: 120,
        sync_detail: Some("throttled (613)".into()),
        last_sync_at: Some(at),
    };
    assert!(s.ads.set_sync(&org, &progress).await.unwrap());
    assert!(!s.ads.set_sync(&OrgId::new("org-b"), &progress).await.unwrap());
    assert_eq!(s.ads.ad_account(&org).await.unwrap().unwrap().sync, progress);

    // A sandbox account's clock moves on its own, leaving the rest of the record alone.
    let clock = Clock { clock_days: 12, clock_left: 48 };
    assert!(s.ads.set_clock(&org, clock).await.unwrap());
    assert!(!s.ads.set_clock(&OrgId::new("org-b"), clock).await.unwrap());
    let got = s.ads.ad_account(&org).await.unwrap().unwrap();
    assert_eq!((got.clock, got.sync), (clock, progress.clone()));

    assert!(s.ads.set_ad_account_status(&org, ConnectionStatus::Reauthorise, Some("190"), at).await.unwrap());
    let got = s.ads.ad_account(&org).await.unwrap().unwrap();
    assert_eq!((got.status, got.status_detail.as_deref(), got.updated_at), (ConnectionStatus::Reauthorise, Some("190"), at));
}

pub async fn campaigns_ad_sets_and_ads_are_upserted_per_organisation(s: Stores) {
    let org = OrgId::new("org-a");
    s.ads.upsert_campaigns(&[campaign("org-a", "c2", "Verano"), campaign("org-a", "c1", "Ahorro")]).await.unwrap();
    s.ads.upsert_campaigns(&[campaign("org-b", "c1", "Other org")]).await.unwrap();
    let mut renamed = campaign("org-a", "c2", "Verano 2026");
    renamed.status = "PAUSED".into();
    renamed.daily_budget = None;
    renamed.lifetime_budget = Some(9_000_000);
    s.ads.upsert_campaigns(std::slice::from_ref(&renamed)).await.unwrap();
    let names: Vec<_> = s.ads.campaigns(&org).await.unwrap().into_iter().map(|c| c.name).collect();
    assert_eq!(names, ["Ahorro", "Verano 2026"]);
    assert_eq!(s.ads.campaign(&org, "c2").await.unwrap(), Some(renamed));
    assert_eq!(s.ads.campaign(&OrgId::new("org-b"), "c2").await.unwrap(), None);

    let now = millis_precision(OffsetDateTime::now_utc());
    let set = AdSetRecord {
        org_id: org.clone(),
        id: "s1".into(),
        campaign_id: "c1".into(),
        name: "Mujeres 25-34".into(),
        status: "ACTIVE".into(),
        daily_budget: Some(50_000),
        lifetime_budget: None,
        bid_strategy: None,
        synced_at: now,
    };
    s.ads.upsert_ad_sets(std::slice::from_ref(&set)).await.unwrap();
    let ad = AdRecord {
        org_id: org.clone(),
        id: "a1".into(),
        adset_id: "s1".into(),
        campaign_id: "c1".into(),
        name: "Chaqueta azul".into(),
        status: "ACTIVE".into(),
        title: Some("La chaqueta del verano".into()),
        body: Some("Escríbenos por WhatsApp".into()),
        image_url: Some("https://example.com/a.png".into()),
        call_to_action: Some("WHATSAPP_MESSAGE".into()),
        synced_at: now,
    };
    s.ads.upsert_ads(std::slice::from_ref(&ad)).await.unwrap();
    assert_eq!(s.ads.ad_sets(&org, "c1").await.unwrap(), vec![set]);
    assert_eq!(s.ads.ads(&org, "c1").await.unwrap(), vec![ad]);
    assert!(s.ads.ads(&OrgId::new("org-b"), "c1").await.unwrap().is_empty());
    assert!(s.ads.ad_sets(&org, "c2").await.unwrap().is_empty());
    assert_eq!(s.ads.ad_campaigns(&org).await.unwrap(), vec![("a1".to_owned(), "c1".to_owned())]);
    assert!(s.ads.ad_campaigns(&OrgId::new("org-b")).await.unwrap().is_empty());
}

pub async fn insights_are_unique_per_object_and_day_and_summed_by_day_or_object(s: Stores) {
    let org = OrgId::new("org-a");
    let c = Level::Campaign;
    s.ads
        .upsert_insights(&[
            insight("org-a", c, "c1", "c1", "2026-11-01", 1_000),
            insight("org-a", c, "c1", "c1", "2026-11-02", 2_000),
            insight("org-a", c, "c2", "c2", "2026-11-02", 500),
            insight("org-a", c, "c2", "c2", "2026-11-03", 700),
            insight("org-a", Level::Adset, "s1", "c1", "2026-11-02", 99_999),
            insight("org-b", c, "c1", "c1", "2026-11-02", 77_777),
        ])
        .await
        .unwrap();
    // Meta restated 2 November: the day is replaced, not added.
    s.ads.upsert_insights(&[insight("org-a", c, "c1", "c1", "2026-11-02", 2_500)]).await.unwrap();

    let query = |group, from, to| SumQuery { level: Level::Campaign, from, to, group, campaign: None };
    let by_day = s.ads.insight_sums(&org, &query(Group::Day, "2026-11-01", "2026-11-02")).await.unwrap();
    let days: Vec<_> = by_day.iter().map(|d| (d.key.as_str(), d.spend, d.revenue, d.impressions)).collect();
    assert_eq!(days, [("2026-11-01", 1_000, 3_000, 1000), ("2026-11-02", 3_000, 9_000, 2000)]);

    let by_object = s.ads.insight_sums(&org, &query(Group::Object, "2026-11-01", "2026-11-30")).await.unwrap();
    let objects: Vec<_> = by_object.iter().map(|d| (d.key.as_str(), d.spend, d.clicks, d.purchases)).collect();
    assert_eq!(objects, [("c1", 3_500, 20, 2), ("c2", 1_200, 20, 2)]);

    let one = SumQuery { level: Level::Adset, from: "2026-11-01", to: "2026-11-30", group: Group::Object, campaign: Some("c1") };
    let sets = s.ads.insight_sums(&org, &one).await.unwrap();
    assert_eq!(sets.iter().map(|d| (d.key.as_str(), d.spend)).collect::<Vec<_>>(), [("s1", 99_999)]);
    let none = s.ads.insight_sums(&org, &query(Group::Day, "2026-12-01", "2026-12-31")).await.unwrap();
    assert!(none.is_empty());
}

pub async fn removing_an_ad_account_removes_what_was_synced_from_it_and_nothing_else(s: Stores) {
    let (a, b) = (OrgId::new("org-a"), OrgId::new("org-b"));
    for org in ["org-a", "org-b"] {
        s.ads.save_ad_account(&account(org)).await.unwrap();
        s.ads.upsert_campaigns(&[campaign(org, "c1", "Verano")]).await.unwrap();
        s.ads.upsert_insights(&[insight(org, Level::Campaign, "c1", "c1", "2026-11-01", 100)]).await.unwrap();
    }
    assert!(s.ads.remove_ad_account(&a).await.unwrap());
    assert!(!s.ads.remove_ad_account(&a).await.unwrap());
    assert_eq!(s.ads.ad_account(&a).await.unwrap(), None);
    assert!(s.ads.campaigns(&a).await.unwrap().is_empty());
    let all = SumQuery { level: Level::Campaign, from: "2026-01-01", to: "2026-12-31", group: Group::Day, campaign: None };
    assert!(s.ads.insight_sums(&a, &all).await.unwrap().is_empty());
    assert!(s.ads.ad_account(&b).await.unwrap().is_some());
    assert_eq!(s.ads.campaigns(&b).await.unwrap().len(), 1);
    assert_eq!(s.ads.insight_sums(&b, &all).await.unwrap().len(), 1);
}

fn sighting(org: &str, campaign: &str, day: &str, age: i64, revenue: i64) -> SightingRecord {
    SightingRecord { org_id: OrgId::new(org), campaign_id: campaign.into(), day: day.into(), age, revenue }
}

pub async fn the_first_sighting_of_each_age_is_kept_and_read_back_in_order(s: Stores) {
    let org = OrgId::new("org-a");
    s.ads.save_ad_account(&account("org-a")).await.unwrap();
    let first = [
        sighting("org-a", "c2", "2026-11-01", 0, 300),
        sighting("org-a", "c1", "2026-11-01", 1, 900),
        sighting("org-a", "c1", "2026-11-01", 0, 500),
        sighting("org-a", "c1", "2026-10-20", 3, 100), // before the window asked for
        sighting("org-b", "c1", "2026-11-01", 0, 777), // another organisation's
    ];
    s.ads.record_sightings(&first).await.unwrap();
    // A second sync the same day sees age 0 again, with more revenue: the first sighting stays.
    s.ads.record_sightings(&[sighting("org-a", "c1", "2026-11-01", 0, 650)]).await.unwrap();
    // More days and ages: a gap (ages 2 and 4 of one day) pairs nothing; a zero later pairs nothing.
    let more = [
        sighting("org-a", "c1", "2026-11-02", 0, 200),
        sighting("org-a", "c1", "2026-11-02", 1, 300),
        sighting("org-a", "c1", "2026-11-02", 2, 350),
        sighting("org-a", "c1", "2026-11-03", 2, 10),
        sighting("org-a", "c1", "2026-11-03", 4, 20),
        sighting("org-a", "c2", "2026-11-02", 0, 40),
        sighting("org-a", "c2", "2026-11-02", 1, 0),
        sighting("org-b", "c1", "2026-11-01", 1, 778),
        sighting("org-a", "c1", "2026-10-20", 4, 150), // pairs with a sighting before the window
    ];
    s.ads.record_sightings(&more).await.unwrap();
    let pairs = s.ads.sighting_pairs(&org, "2026-10-25").await.unwrap();
    let seen: Vec<(&str, i64, i64, i64, i64)> =
        pairs.iter().map(|p| (p.campaign_id.as_str(), p.age, p.young, p.old, p.days)).collect();
    assert_eq!(seen, [("c1", 0, 500 + 200, 900 + 300, 2), ("c1", 1, 300, 350, 1)], "the first sighting of age 0 kept");
    // They are synced data: they go with the account.
    assert!(s.ads.remove_ad_account(&org).await.unwrap());
    assert!(s.ads.sighting_pairs(&org, "2026-01-01").await.unwrap().is_empty());
    assert_eq!(s.ads.sighting_pairs(&OrgId::new("org-b"), "2026-01-01").await.unwrap().len(), 1);
}

pub async fn daily_results_come_by_campaign_then_day_within_the_period(s: Stores) {
    let org = OrgId::new("org-a");
    let rows = [
        insight("org-a", Level::Campaign, "c2", "c2", "2026-11-02", 200),
        insight("org-a", Level::Campaign, "c1", "c1", "2026-11-02", 120),
        insight("org-a", Level::Campaign, "c1", "c1", "2026-11-01", 100),
        insight("org-a", Level::Campaign, "c1", "c1", "2026-10-01", 50), // before the period
        insight("org-a", Level::Adset, "s1", "c1", "2026-11-01", 100),   // another level
        insight("org-b", Level::Campaign, "c1", "c1", "2026-11-01", 999), // another organisation
    ];
    s.ads.upsert_insights(&rows).await.unwrap();
    let got = s.ads.daily_results(&org, Level::Campaign, "2026-10-15", "2026-11-30").await.unwrap();
    let keys: Vec<(&str, &str, i64, i64)> =
        got.iter().map(|i| (i.campaign_id.as_str(), i.day.as_str(), i.spend, i.revenue)).collect();
    assert_eq!(keys, [("c1", "2026-11-01", 100, 300), ("c1", "2026-11-02", 120, 360), ("c2", "2026-11-02", 200, 600)]);
    // Ad sets' days, for campaigns whose budgets are set on their ad sets.
    let sets = s.ads.daily_results(&org, Level::Adset, "2026-10-15", "2026-11-30").await.unwrap();
    let keys: Vec<(&str, &str, i64)> = sets.iter().map(|i| (i.campaign_id.as_str(), i.day.as_str(), i.spend)).collect();
    assert_eq!(keys, [("s1", "2026-11-01", 100)]);
}
