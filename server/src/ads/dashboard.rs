//! The dashboard's figures: the period (days in the account's time zone), its totals against the
//! period before, the campaigns' table, and the daily series behind the charts.

use super::charts::{self, DayPoint, Drawn};
use crate::storage::ads::{AdAccountRecord, AdsStore, CampaignRecord, Group, InsightSum, Level, SumQuery};
use crate::storage::analytics::AnalyticsStore;
use app::campaigns::model::{AdSetView, AdView, CampaignDetail, CampaignRow, Conversations, Dashboard, Period, Totals};
use app::campaigns::port::{AdsError, DashboardQuery};
use app::i18n::Lang;
use app::ids::OrgId;
use std::collections::HashMap;
use time::{Date, Duration};

const DAY: &[time::format_description::BorrowedFormatItem<'static>] =
    time::macros::format_description!("[year]-[month]-[day]");

pub fn day_text(d: Date) -> String {
    d.format(DAY).unwrap_or_default()
}

pub fn parse_day(text: &str) -> Option<Date> {
    Date::parse(text, DAY).ok()
}

/// Today in the IANA time zone `tz` (UTC when the name is unknown).
pub fn today_in(tz: &str) -> Date {
    day_at(tz, time::OffsetDateTime::now_utc())
}

/// The account's present: now, run ahead by a sandbox account's clock (zero for Meta's). What
/// the account's days and its plans' "applied at" are read in.
pub fn account_now(account: &AdAccountRecord) -> time::OffsetDateTime {
    time::OffsetDateTime::now_utc() + Duration::days(account.clock.clock_days)
}

/// The account's today, in its time zone and on its clock.
pub fn account_today(account: &AdAccountRecord) -> Date {
    day_at(&account.timezone, account_now(account))
}

/// The day `at` falls on in the IANA time zone `tz` (UTC when the name is unknown).
pub fn day_at(tz: &str, at: time::OffsetDateTime) -> Date {
    let zone = jiff::tz::TimeZone::get(tz).unwrap_or(jiff::tz::TimeZone::UTC);
    let at = jiff::Timestamp::from_second(at.unix_timestamp()).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    let today = at.to_zoned(zone).date();
    let month = time::Month::try_from(today.month() as u8).unwrap_or(time::Month::January);
    Date::from_calendar_date(i32::from(today.year()), month, today.day() as u8).unwrap_or(Date::MIN)
}

/// The instants the period's days span in the account's time zone: from the first day's start to
/// the start of the day after the last (a day of 23 or 25 hours is still one day).
pub fn instants(period: &Period, tz: &str) -> Option<(time::OffsetDateTime, time::OffsetDateTime)> {
    let zone = jiff::tz::TimeZone::get(tz).unwrap_or(jiff::tz::TimeZone::UTC);
    let start = |day: Date| -> Option<time::OffsetDateTime> {
        let civil = jiff::civil::Date::new(day.year() as i16, day.month() as i8, day.day() as i8).ok()?;
        let at = civil.to_zoned(zone.clone()).ok()?.timestamp();
        time::OffsetDateTime::from_unix_timestamp(at.as_second()).ok()
    };
    let (from, to) = (parse_day(&period.from)?, parse_day(&period.to)?);
    Some((start(from)?, start(to.next_day()?)?))
}

/// Per campaign, what the conversations its ads started in the period became (`owners`: each
/// ad's campaign).
async fn conversations(
    analytics: &dyn AnalyticsStore,
    owners: &HashMap<String, String>,
    org: &OrgId,
    account: &AdAccountRecord,
    period: &Period,
) -> Result<HashMap<String, Conversations>, AdsError> {
    let Some((from, to)) = instants(period, &account.timezone) else { return Ok(HashMap::new()) };
    let outcomes = analytics.referral_outcomes(org, from, to, &account.currency).await.map_err(AdsError::internal)?;
    let mut by_campaign: HashMap<String, Conversations> = HashMap::new();
    for o in outcomes {
        // An ad that is not (or no longer) in the synced account is left out.
        let Some(campaign) = owners.get(&o.ad_id) else { continue };
        let c = by_campaign.entry(campaign.clone()).or_default();
        c.started += o.started;
        c.replied += o.replied;
        c.resolved += o.resolved;
        c.orders += o.orders;
        c.revenue += o.revenue;
    }
    Ok(by_campaign)
}

async fn owners(ads: &dyn AdsStore, org: &OrgId) -> Result<HashMap<String, String>, AdsError> {
    Ok(ads.ad_campaigns(org).await.map_err(AdsError::internal)?.into_iter().collect())
}

/// The longest custom period (the store keeps what Meta gives; a year compares with the last).
const MAX_DAYS: i64 = 366;

/// The period asked for, ending yesterday for the presets (today is still collecting), and the
/// period of the same length before it.
pub fn period(query: &DashboardQuery, today: Date) -> Result<Period, AdsError> {
    let (preset, from, to) = match query.range.as_str() {
        "custom" => {
            let bad = || AdsError::Invalid("error-ads-range");
            let from = query.from.as_deref().and_then(parse_day).ok_or_else(bad)?;
            let to = query.to.as_deref().and_then(parse_day).ok_or_else(bad)?;
            if from > to || (to - from).whole_days() + 1 > MAX_DAYS || to > today {
                return Err(bad());
            }
            ("custom", from, to)
        }
        preset => {
            let (preset, days) = match preset {
                "7" => ("7", 7),
                "14" => ("14", 14),
                "90" => ("90", 90),
                _ => ("28", 28),
            };
            let to = today - Duration::days(1);
            (preset, to - Duration::days(days - 1), to)
        }
    };
    let length = (to - from).whole_days() + 1;
    let previous_to = from - Duration::days(1);
    let previous_from = previous_to - Duration::days(length - 1);
    Ok(Period {
        preset: preset.into(),
        from: day_text(from),
        to: day_text(to),
        previous_from: day_text(previous_from),
        previous_to: day_text(previous_to),
    })
}

fn totals(sum: &InsightSum) -> Totals {
    Totals {
        spend: sum.spend,
        impressions: sum.impressions,
        clicks: sum.clicks,
        purchases: sum.purchases,
        revenue: sum.revenue,
    }
}

fn add(a: &mut Totals, b: &Totals) {
    a.spend += b.spend;
    a.impressions += b.impressions;
    a.clicks += b.clicks;
    a.purchases += b.purchases;
    a.revenue += b.revenue;
}

/// Every day of the period, with zeros where nothing was recorded (a gap is a day, not a skip).
fn daily(period: &Period, sums: &[InsightSum]) -> Vec<DayPoint> {
    let by_day: HashMap<&str, &InsightSum> = sums.iter().map(|s| (s.key.as_str(), s)).collect();
    let (Some(mut day), Some(to)) = (parse_day(&period.from), parse_day(&period.to)) else { return Vec::new() };
    let mut out = Vec::new();
    while day <= to {
        let key = day_text(day);
        let sum = by_day.get(key.as_str());
        out.push(DayPoint {
            spend: sum.map_or(0, |s| s.spend),
            revenue: sum.map_or(0, |s| s.revenue),
            impressions: sum.map_or(0, |s| s.impressions),
            clicks: sum.map_or(0, |s| s.clicks),
            day: key,
        });
        day = day.next_day().unwrap_or(to + Duration::days(1));
    }
    out
}

fn row(c: &CampaignRecord, totals: Totals) -> CampaignRow {
    CampaignRow {
        conversations: Conversations::default(),
        id: c.id.clone(),
        name: c.name.clone(),
        status: c.status.clone(),
        objective: c.objective.clone(),
        daily_budget: c.daily_budget,
        lifetime_budget: c.lifetime_budget,
        totals,
    }
}

/// A campaign known only from its insights: named by its id, status `DELETED`.
fn deleted(id: &str, totals: Totals) -> CampaignRow {
    CampaignRow { id: id.to_owned(), name: id.to_owned(), status: "DELETED".into(), totals, ..Default::default() }
}

/// The table's order; spend (largest first) unless asked otherwise.
fn sort(rows: &mut [CampaignRow], by: &str) {
    let roas = |r: &CampaignRow| r.totals.roas().unwrap_or(-1.0);
    match by {
        "name" => rows.sort_by_key(|r| r.name.to_lowercase()),
        "status" => rows.sort_by(|a, b| a.status.cmp(&b.status).then(b.totals.spend.cmp(&a.totals.spend))),
        "roas" => rows.sort_by(|a, b| roas(b).total_cmp(&roas(a))),
        "revenue" => rows.sort_by_key(|r| std::cmp::Reverse(r.totals.revenue)),
        "conversations" => rows.sort_by_key(|r| std::cmp::Reverse(r.conversations.started)),
        _ => rows.sort_by(|a, b| b.totals.spend.cmp(&a.totals.spend).then(a.name.cmp(&b.name))),
    }
}

fn sums<'a>(level: Level, from: &'a str, to: &'a str, group: Group, campaign: Option<&'a str>) -> SumQuery<'a> {
    SumQuery { level, from, to, group, campaign }
}

/// What the synced insights say about a period: the same until the next sync ends, so kept in
/// [`super::cache::FiguresCache`] under the sync's time.
pub struct Figures {
    /// Unsorted, without conversations (those change as customers write).
    pub rows: Vec<CampaignRow>,
    pub current: Totals,
    pub previous: Totals,
    pub charts: Vec<Drawn>,
    /// Each ad's campaign, for attributing conversations.
    pub owners: HashMap<String, String>,
}

async fn figures(
    store: &dyn AdsStore,
    org: &OrgId,
    account: &AdAccountRecord,
    period: &Period,
    lang: app::i18n::Lang,
) -> Result<Figures, AdsError> {
    let e = AdsError::internal;
    let c = Level::Campaign;
    let (campaigns, now, before, days) = futures_util::future::join4(
        store.campaigns(org),
        store.insight_sums(org, &sums(c, &period.from, &period.to, Group::Object, None)),
        store.insight_sums(org, &sums(c, &period.previous_from, &period.previous_to, Group::Day, None)),
        store.insight_sums(org, &sums(c, &period.from, &period.to, Group::Day, None)),
    )
    .await;
    let (campaigns, now, before, days) = (campaigns.map_err(e)?, now.map_err(e)?, before.map_err(e)?, days.map_err(e)?);
    let mut by_campaign: HashMap<&str, Totals> = now.iter().map(|s| (s.key.as_str(), totals(s))).collect();
    let mut rows: Vec<CampaignRow> =
        campaigns.iter().map(|c| row(c, by_campaign.remove(c.id.as_str()).unwrap_or_default())).collect();
    // Insights of campaigns the account no longer lists (Meta leaves deleted ones out of the
    // campaigns edge): kept as rows of their own, so the table adds up to the totals.
    let mut gone: Vec<CampaignRow> = by_campaign.into_iter().map(|(id, totals)| deleted(id, totals)).collect();
    gone.sort_by(|a, b| a.id.cmp(&b.id));
    rows.extend(gone);
    let (mut current, mut previous) = (Totals::default(), Totals::default());
    now.iter().for_each(|s| add(&mut current, &totals(s)));
    before.iter().for_each(|s| add(&mut previous, &totals(s)));
    let charts = charts::dashboard("", &daily(period, &days), &account.currency, lang);
    Ok(Figures { rows, current, previous, charts, owners: owners(store, org).await? })
}

/// Where a page's browser fetches the drawing `id` (`http/ads.rs`): the period as dates (a
/// preset's days move at midnight), the language, and the sync it was drawn from, so a cached
/// image is replaced once the next sync ends (`version`: its time, −1 for charts no sync draws).
pub fn chart_src(id: &str, campaign: Option<&str>, period: &Period, lang: Lang, version: i64) -> String {
    let version = version.to_string();
    let mut params = vec![("from", period.from.as_str()), ("to", period.to.as_str()), ("lang", lang.code())];
    params.push(("v", &version));
    params.extend(campaign.map(|c| ("campaign", c)));
    format!("/api/ads/charts/{id}.svg?{}", serde_urlencoded::to_string(&params).unwrap_or_default())
}

/// When the account's last sync finished, in Unix milliseconds (−1: never).
pub fn synced(account: &AdAccountRecord) -> i64 {
    account.sync.last_sync_at.map_or(-1, crate::storage::to_millis)
}

/// The period's figures, from the cache when the account has not synced since they were summed.
pub async fn cached(
    store: &dyn AdsStore,
    cache: &super::cache::FiguresCache,
    org: &OrgId,
    account: &AdAccountRecord,
    query: &DashboardQuery,
) -> Result<(Period, std::sync::Arc<Figures>), AdsError> {
    let period = period(query, account_today(account))?;
    let key = super::cache::Key::new(org, account, &period, query.lang);
    let figures = match cache.get(&key) {
        Some(f) => f,
        None => cache.put(key, figures(store, org, account, &period, query.lang).await?),
    };
    Ok((period, figures))
}

pub async fn dashboard(
    store: &dyn AdsStore,
    analytics: &dyn AnalyticsStore,
    cache: &super::cache::FiguresCache,
    org: &OrgId,
    account: &AdAccountRecord,
    query: &DashboardQuery,
) -> Result<Dashboard, AdsError> {
    let (period, figures) = cached(store, cache, org, account, query).await?;
    let mut started = conversations(analytics, &figures.owners, org, account, &period).await?;
    let mut rows: Vec<CampaignRow> = figures
        .rows
        .iter()
        .map(|r| CampaignRow { conversations: started.remove(&r.id).unwrap_or_default(), ..r.clone() })
        .collect();
    sort(&mut rows, &query.sort);
    Ok(Dashboard {
        account: Some(super::connect::view(account)),
        currency: account.currency.clone(),
        current: figures.current.clone(),
        previous: figures.previous.clone(),
        campaigns: rows,
        charts: charts::listed(&figures.charts, |id| chart_src(id, None, &period, query.lang, synced(account))),
        period,
    })
}

pub async fn campaign(
    store: &dyn AdsStore,
    analytics: &dyn AnalyticsStore,
    org: &OrgId,
    account: &AdAccountRecord,
    id: &str,
    query: &DashboardQuery,
) -> Result<(CampaignDetail, Vec<Drawn>), AdsError> {
    let e = AdsError::internal;
    let campaign = store.campaign(org, id).await.map_err(e)?.ok_or(AdsError::NotFound)?;
    let period = period(query, account_today(account))?;
    let (c, a) = (Level::Campaign, Level::Adset);
    let (days, before, sets, ads, set_sums) = futures_util::future::join5(
        store.insight_sums(org, &sums(c, &period.from, &period.to, Group::Day, Some(id))),
        store.insight_sums(org, &sums(c, &period.previous_from, &period.previous_to, Group::Object, Some(id))),
        store.ad_sets(org, id),
        store.ads(org, id),
        store.insight_sums(org, &sums(a, &period.from, &period.to, Group::Object, Some(id))),
    )
    .await;
    let (days, before, sets, ads, set_sums) =
        (days.map_err(e)?, before.map_err(e)?, sets.map_err(e)?, ads.map_err(e)?, set_sums.map_err(e)?);
    let mut current = Totals::default();
    days.iter().for_each(|s| add(&mut current, &totals(s)));
    let mut previous = Totals::default();
    before.iter().for_each(|s| add(&mut previous, &totals(s)));
    let by_set: HashMap<&str, Totals> = set_sums.iter().map(|s| (s.key.as_str(), totals(s))).collect();
    let ad_sets = sets
        .iter()
        .map(|s| AdSetView {
            id: s.id.clone(),
            name: s.name.clone(),
            status: s.status.clone(),
            daily_budget: s.daily_budget,
            totals: by_set.get(s.id.as_str()).cloned().unwrap_or_default(),
            ads: ads
                .iter()
                .filter(|ad| ad.adset_id == s.id)
                .map(|ad| AdView {
                    id: ad.id.clone(),
                    name: ad.name.clone(),
                    status: ad.status.clone(),
                    title: ad.title.clone(),
                    body: ad.body.clone(),
                    image_url: ad.image_url.clone(),
                    call_to_action: ad.call_to_action.clone(),
                })
                .collect(),
        })
        .collect();
    let drawn = charts::dashboard("campaign-", &daily(&period, &days), &account.currency, query.lang);
    let owners = owners(store, org).await?;
    let started = conversations(analytics, &owners, org, account, &period).await?.remove(id).unwrap_or_default();
    let detail = CampaignDetail {
        currency: account.currency.clone(),
        campaign: CampaignRow { conversations: started, ..row(&campaign, current) },
        charts: charts::listed(&drawn, |d| chart_src(d, Some(id), &period, query.lang, synced(account))),
        period,
        previous,
        ad_sets,
    };
    Ok((detail, drawn))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn query(range: &str, from: Option<&str>, to: Option<&str>) -> DashboardQuery {
        DashboardQuery { range: range.into(), from: from.map(Into::into), to: to.map(Into::into), ..Default::default() }
    }

    #[test]
    fn a_preset_ends_yesterday_and_is_compared_with_the_days_just_before() {
        let p = period(&query("7", None, None), date!(2026 - 11 - 28)).unwrap();
        assert_eq!((p.from.as_str(), p.to.as_str()), ("2026-11-21", "2026-11-27"));
        assert_eq!((p.previous_from.as_str(), p.previous_to.as_str()), ("2026-11-14", "2026-11-20"));
        // Across a year's end and a leap day.
        let p = period(&query("28", None, None), date!(2028 - 03 - 10)).unwrap();
        assert_eq!((p.from.as_str(), p.to.as_str()), ("2028-02-11", "2028-03-09"));
        let p = period(&query("", None, None), date!(2027 - 01 - 05)).unwrap();
        assert_eq!((p.preset.as_str(), p.previous_to.as_str()), ("28", "2026-12-07"));
    }

    #[test]
    fn a_custom_period_is_checked_and_compared_with_one_as_long() {
        let today = date!(2026 - 11 - 28);
        let p = period(&query("custom", Some("2026-11-01"), Some("2026-11-10")), today).unwrap();
        assert_eq!((p.previous_from.as_str(), p.previous_to.as_str()), ("2026-10-22", "2026-10-31"));
        for (from, to) in [
            ("2026-11-10", "2026-11-01"),
            ("2024-01-01", "2026-11-01"),
            ("2026-11-01", "2026-12-01"),
            ("nov", "2026-11-02"),
        ] {
            assert!(
                matches!(
                    period(&query("custom", Some(from), Some(to)), today),
                    Err(AdsError::Invalid("error-ads-range"))
                ),
                "{from} {to}"
            );
        }
    }

    #[test]
    fn the_daily_series_has_every_day_and_totals_compare_periods() {
        let p = period(&query("custom", Some("2026-03-28"), Some("2026-03-31")), date!(2026 - 11 - 28)).unwrap();
        let sums = [InsightSum { key: "2026-03-29".into(), spend: 500, revenue: 1500, ..Default::default() }];
        let d = daily(&p, &sums);
        assert_eq!(
            d.iter().map(|d| (d.day.as_str(), d.spend)).collect::<Vec<_>>(),
            [("2026-03-28", 0), ("2026-03-29", 500), ("2026-03-30", 0), ("2026-03-31", 0)]
        );
        let now = Totals { spend: 1_000, revenue: 3_000, clicks: 50, impressions: 10_000, purchases: 3 };
        let before = Totals { spend: 800, revenue: 2_000, ..now.clone() };
        assert_eq!(now.roas(), Some(3.0));
        assert_eq!(app::campaigns::model::change(now.roas().unwrap(), before.roas().unwrap()), Some(0.2));
        assert_eq!(app::campaigns::model::change(5.0, 0.0), None);
        assert_eq!(now.ctr(), Some(0.5));
        assert_eq!(now.cpc(), Some(20.0));
    }

    #[test]
    fn a_periods_days_span_the_account_zones_hours_across_daylight_saving() {
        let p = |from: &str, to: &str| Period { from: from.into(), to: to.into(), ..Default::default() };
        // New York sprang forward on 8 March 2026 (a 23-hour day) and fell back on 1 November
        // (25 hours).
        let (from, to) = instants(&p("2026-03-08", "2026-03-08"), "America/New_York").unwrap();
        assert_eq!((to - from).whole_hours(), 23);
        assert_eq!(from.unix_timestamp(), 1_772_946_000, "midnight in New York, 05:00 UTC");
        let (from, to) = instants(&p("2026-11-01", "2026-11-01"), "America/New_York").unwrap();
        assert_eq!((to - from).whole_hours(), 25);
        let (from, to) = instants(&p("2026-11-01", "2026-11-07"), "UTC").unwrap();
        assert_eq!((to - from).whole_days(), 7);
    }

    #[test]
    fn today_is_the_accounts_day_not_the_servers() {
        let utc = today_in("UTC");
        let (kiritimati, pago) = (today_in("Pacific/Kiritimati"), today_in("Pacific/Pago_Pago"));
        // UTC+14 and UTC−11 are 25 hours apart: never on the same day; UTC's is one of them or between.
        assert!((1..=2).contains(&(kiritimati - pago).whole_days()));
        assert!(pago <= utc && utc <= kiritimati);
        assert_eq!(today_in("Not/AZone"), utc);
    }
}
