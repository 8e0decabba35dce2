//! The messaging analytics (`/app/analytics`): what the inbox did in a period — the "aggregated
//! metrics shown on your dashboard" the privacy policy promises. Days are UTC days: the inbox has
//! no time zone of its own (an organisation may have no ad account).

use super::charts::Drawn;
use super::dashboard::{chart_src, day_text, instants, period};
use crate::storage::Stores;
use app::accounts::model::Caller;
use app::campaigns::model::{AgentRow, MessagingAnalytics};
use app::campaigns::port::{AdsError, DashboardQuery};
use std::collections::HashMap;

/// The middle value of sorted milliseconds, in seconds (the lower middle for an even count).
fn median_secs(sorted: &[i64]) -> Option<i64> {
    (!sorted.is_empty()).then(|| sorted[(sorted.len() - 1) / 2] / 1000)
}

pub async fn messaging(
    stores: &Stores,
    caller: &Caller,
    query: &DashboardQuery,
) -> Result<(MessagingAnalytics, Vec<Drawn>), AdsError> {
    let e = AdsError::internal;
    let period = period(query, super::dashboard::today_in("UTC"))?;
    let (from, to) = instants(&period, "UTC").ok_or(AdsError::Invalid("error-ads-range"))?;
    let org = &caller.org_id;
    let (figures, members) = tokio::join!(stores.analytics.messaging(org, from, to), stores.members.members(org));
    let (m, members) = (figures.map_err(e)?, members.map_err(e)?);
    let names: HashMap<String, String> =
        members.into_iter().map(|(u, _)| (u.id.to_string(), format!("{} {}", u.first_name, u.last_name))).collect();
    // Every day of the period, with zeros where nothing was said.
    let by_day: HashMap<&str, (i64, i64)> = m.days.iter().map(|(d, i, o)| (d.as_str(), (*i, *o))).collect();
    let mut days = Vec::new();
    let mut day = from.date();
    while day < to.date() {
        let key = day_text(day);
        let (i, o) = by_day.get(key.as_str()).copied().unwrap_or_default();
        days.push((key, i, o));
        let Some(next) = day.next_day() else { break };
        day = next;
    }
    let agents = m
        .agents
        .iter()
        .map(|a| AgentRow {
            // A former member keeps their figures, under their id.
            name: names.get(&a.user_id).cloned().unwrap_or_else(|| a.user_id.clone()),
            user_id: a.user_id.clone(),
            sent: a.sent,
            assigned: a.assigned,
            resolved: a.resolved,
        })
        .collect();
    let drawn = super::charts::messages(&days, query.lang);
    let analytics = MessagingAnalytics {
        messages_in: m.days.iter().map(|d| d.1).sum(),
        messages_out: m.days.iter().map(|d| d.2).sum(),
        charts: super::charts::listed(&drawn, |id| chart_src(id, None, &period, query.lang, -1)),
        period,
        opened: m.opened,
        outbound: m.outbound,
        median_first_response: median_secs(&m.first_responses),
        median_resolution: median_secs(&m.resolutions),
        agents,
    };
    Ok((analytics, drawn))
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_median_is_the_middle_answer_time() {
        assert_eq!(super::median_secs(&[]), None);
        assert_eq!(super::median_secs(&[120_000]), Some(120));
        assert_eq!(super::median_secs(&[60_000, 120_000, 3_600_000]), Some(120));
        assert_eq!(super::median_secs(&[60_000, 120_000, 180_000, 3_600_000]), Some(120));
    }
}
