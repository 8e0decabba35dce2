//! Meta's rows as records. Meta writes numbers as strings (`"spend": "12.34"`), budgets as
//! integers in its own currency offset (100 for most currencies, 1 for JPY, COP, HUF…), and
//! purchases under several action types that describe the same purchase. Money becomes the
//! currency's ISO minor units exactly (decimal arithmetic, never floats); a row that cannot be
//! read is a [`Skip`] with its reason, never a wrong number.

use crate::storage::ads::{AdRecord, AdSetRecord, CampaignRecord, InsightRecord, Level};
use app::campaigns::money::exponent;
use app::ids::OrgId;
use serde_json::Value;
use time::OffsetDateTime;

/// Why a row was left out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skip(pub String);

/// The purchase action types, most inclusive first: Meta's `omni_purchase` already counts a
/// purchase once across web, app and shop, the others are parts of it. The first present is
/// taken — adding them up would count one purchase two or three times.
const PURCHASE_TYPES: [&str; 6] = [
    "omni_purchase",
    "purchase",
    "offsite_conversion.fb_pixel_purchase",
    "onsite_web_purchase",
    "onsite_conversion.purchase",
    "app_custom_event.fb_mobile_purchase",
];

/// Meta's budget offset for `currency` (Marketing API "Currency codes" table).
fn meta_offset(currency: &str) -> i64 {
    match currency {
        "CLP" | "COP" | "CRC" | "HUF" | "ISK" | "IDR" | "JPY" | "KRW" | "PYG" | "TWD" | "VND" => 1,
        _ => 100,
    }
}

/// A budget as Meta writes it (`"15000"` in its offset) in ISO minor units.
pub fn budget(value: Option<&Value>, currency: &str) -> Result<Option<i64>, Skip> {
    let Some(value) = value.filter(|v| !v.is_null()) else { return Ok(None) };
    let raw = match value {
        Value::String(s) => s.trim().parse::<i64>().map_err(|_| Skip(format!("budget {s:?} is not a whole number")))?,
        Value::Number(n) => n.as_i64().ok_or_else(|| Skip(format!("budget {n} is not a whole number")))?,
        other => return Err(Skip(format!("budget {other} is not a number"))),
    };
    if raw == 0 {
        return Ok(None); // Meta answers "0" for the budget a campaign does not use
    }
    let scale = 10i64.pow(exponent(currency));
    let offset = meta_offset(currency);
    // 100 → 10^3 (KWD) multiplies by 10; 1 → 10^2 (COP) by 100; the table has no other case that
    // does not divide exactly, and one that did would be refused, not rounded.
    if scale % offset == 0 {
        raw.checked_mul(scale / offset).map(Some).ok_or_else(|| Skip("budget out of range".into()))
    } else if raw % (offset / scale) == 0 {
        Ok(Some(raw / (offset / scale)))
    } else {
        Err(Skip(format!("budget {raw} does not fit {currency}'s minor unit")))
    }
}

/// A budget in ISO minor units as Meta takes it (its offset units), and the minor units that
/// makes: where Meta's unit is coarser (COP, KWD), the nearest it can hold.
pub fn meta_units(minor: i64, currency: &str) -> (i64, i64) {
    let scale = 10i64.pow(exponent(currency));
    let offset = meta_offset(currency);
    if offset >= scale {
        let factor = offset / scale;
        (minor * factor, minor)
    } else {
        let factor = scale / offset;
        let units = (minor + factor / 2) / factor;
        (units, units * factor)
    }
}

/// A decimal string (`"1234.5"`) in minor units of a currency with `places` decimals; digits
/// beyond them are rounded half away from zero.
pub fn minor_units(text: &str, places: u32) -> Result<i64, Skip> {
    let bad = || Skip(format!("{text:?} is not a number"));
    let t = text.trim();
    let (negative, t) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t),
    };
    let (int, frac) = t.split_once('.').unwrap_or((t, ""));
    if int.is_empty() && frac.is_empty() || !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let places = places as usize;
    let mut digits = String::with_capacity(int.len() + places);
    digits.push_str(if int.is_empty() { "0" } else { int });
    let kept: String = frac.chars().chain(std::iter::repeat('0')).take(places).collect();
    digits.push_str(&kept);
    let mut value: i64 = digits.parse().map_err(|_| bad())?;
    if frac.as_bytes().get(places).is_some_and(|d| *d >= b'5') {
        value = value.checked_add(1).ok_or_else(bad)?;
    }
    Ok(if negative { -value } else { value })
}

/// A count (`"1234"`, or a number).
fn count(row: &Value, field: &str) -> Result<i64, Skip> {
    match row.get(field) {
        None | Some(Value::Null) => Ok(0),
        Some(Value::String(s)) => s.trim().parse().map_err(|_| Skip(format!("{field} {s:?} is not a whole number"))),
        Some(Value::Number(n)) => n.as_i64().ok_or_else(|| Skip(format!("{field} {n} is not a whole number"))),
        Some(other) => Err(Skip(format!("{field} {other} is not a number"))),
    }
}

fn text(row: &Value, field: &str) -> Option<String> {
    row.get(field).and_then(Value::as_str).map(str::to_owned)
}

fn required(row: &Value, field: &str) -> Result<String, Skip> {
    text(row, field).filter(|s| !s.is_empty()).ok_or_else(|| Skip(format!("no {field}")))
}

/// The value of the first purchase type present in an `actions`/`action_values` list.
fn purchase_value(list: Option<&Value>) -> Option<&Value> {
    let list = list?.as_array()?;
    PURCHASE_TYPES.iter().find_map(|kind| {
        list.iter().find(|a| a.get("action_type").and_then(Value::as_str) == Some(kind)).and_then(|a| a.get("value"))
    })
}

fn value_text(v: &Value) -> Result<String, Skip> {
    match v {
        Value::String(s) => Ok(s.clone()),
        Value::Number(n) => Ok(n.to_string()),
        other => Err(Skip(format!("{other} is not a number"))),
    }
}

pub fn campaign(org: &OrgId, row: &Value, currency: &str, now: OffsetDateTime) -> Result<CampaignRecord, Skip> {
    Ok(CampaignRecord {
        org_id: org.clone(),
        id: required(row, "id")?,
        name: text(row, "name").unwrap_or_default(),
        objective: text(row, "objective").unwrap_or_default(),
        status: text(row, "status").unwrap_or_else(|| "UNKNOWN".into()),
        daily_budget: budget(row.get("daily_budget"), currency)?,
        lifetime_budget: budget(row.get("lifetime_budget"), currency)?,
        bid_strategy: text(row, "bid_strategy"),
        synced_at: now,
    })
}

pub fn ad_set(org: &OrgId, row: &Value, currency: &str, now: OffsetDateTime) -> Result<AdSetRecord, Skip> {
    Ok(AdSetRecord {
        org_id: org.clone(),
        id: required(row, "id")?,
        campaign_id: required(row, "campaign_id")?,
        name: text(row, "name").unwrap_or_default(),
        status: text(row, "status").unwrap_or_else(|| "UNKNOWN".into()),
        daily_budget: budget(row.get("daily_budget"), currency)?,
        lifetime_budget: budget(row.get("lifetime_budget"), currency)?,
        bid_strategy: text(row, "bid_strategy"),
        synced_at: now,
    })
}

pub fn ad(org: &OrgId, row: &Value, now: OffsetDateTime) -> Result<AdRecord, Skip> {
    let creative = row.get("creative").cloned().unwrap_or(Value::Null);
    Ok(AdRecord {
        org_id: org.clone(),
        id: required(row, "id")?,
        adset_id: required(row, "adset_id")?,
        campaign_id: required(row, "campaign_id")?,
        name: text(row, "name").unwrap_or_default(),
        status: text(row, "status").unwrap_or_else(|| "UNKNOWN".into()),
        title: text(&creative, "title"),
        body: text(&creative, "body"),
        image_url: text(&creative, "image_url"),
        call_to_action: text(&creative, "call_to_action_type"),
        synced_at: now,
    })
}

/// A daily insights row at `level`. Revenue comes from the purchase `action_values`, else from
/// `purchase_roas` × spend.
pub fn insight(org: &OrgId, level: Level, row: &Value, currency: &str) -> Result<InsightRecord, Skip> {
    let places = exponent(currency);
    let day = required(row, "date_start")?;
    if time::Date::parse(&day, time::macros::format_description!("[year]-[month]-[day]")).is_err() {
        return Err(Skip(format!("date_start {day:?} is not a day")));
    }
    let campaign_id = required(row, "campaign_id")?;
    let object_id = match level {
        Level::Campaign => campaign_id.clone(),
        Level::Adset => required(row, "adset_id")?,
    };
    let spend = match row.get("spend") {
        None | Some(Value::Null) => 0,
        Some(v) => minor_units(&value_text(v)?, places)?,
    };
    let purchases = match purchase_value(row.get("actions")) {
        Some(v) => minor_units(&value_text(v)?, 0)?,
        None => 0,
    };
    let revenue = match (purchase_value(row.get("action_values")), purchase_value(row.get("purchase_roas"))) {
        (Some(v), _) => minor_units(&value_text(v)?, places)?,
        (None, Some(roas)) => {
            // ROAS has a few decimals: spend × roas in thousandths, rounded once.
            let roas = minor_units(&value_text(roas)?, 3)?;
            let product = i128::from(spend) * i128::from(roas);
            ((product + 500 * product.signum()) / 1000) as i64
        }
        (None, None) => 0,
    };
    Ok(InsightRecord {
        org_id: org.clone(),
        level,
        object_id,
        campaign_id,
        day,
        impressions: count(row, "impressions")?,
        clicks: count(row, "clicks")?,
        spend,
        purchases,
        revenue,
    })
}

/// The largest amount a person may type: ten billion in any currency's major unit.
const MAX_MAJOR: i64 = 10_000_000_000;

/// An amount as people type it (`1234.50`, or `1234,50` with a decimal comma) in minor units of
/// `currency`: non-negative, with at most the currency's decimals, no thousands separators (which
/// a decimal comma would make ambiguous). `None` when it is not one.
pub fn typed_amount(amount: &str, currency: &str) -> Option<i64> {
    let text = amount.trim();
    let text = if text.contains(',') && !text.contains('.') { text.replacen(',', ".", 1) } else { text.to_owned() };
    let places = app::campaigns::money::exponent(currency);
    if text.split_once('.').is_some_and(|(_, frac)| frac.len() > places as usize) || text.starts_with('-') {
        return None;
    }
    let value = minor_units(&text, places).ok()?;
    (value <= MAX_MAJOR * 10i64.pow(places)).then_some(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn money_strings_become_minor_units_exactly_for_0_2_and_3_decimal_currencies() {
        assert_eq!(minor_units("1234.56", 2), Ok(123_456));
        assert_eq!(minor_units("0.1", 2), Ok(10));
        assert_eq!(minor_units("19.99", 2), Ok(1_999)); // 19.99 × 100 as a float is 1998.999…
        assert_eq!(minor_units("1234", 0), Ok(1_234));
        assert_eq!(minor_units("1.234", 3), Ok(1_234));
        assert_eq!(minor_units("2.5", 0), Ok(3));
        assert_eq!(minor_units("0.005", 2), Ok(1));
        assert_eq!(minor_units("-3.10", 2), Ok(-310));
        assert_eq!(minor_units(".5", 2), Ok(50));
        for bad in ["", "abc", "1,5", "1e3", "NaN", "12.3.4", "-", "99999999999999999999"] {
            assert!(minor_units(bad, 2).is_err(), "{bad}");
        }
    }

    #[test]
    fn budgets_go_back_to_meta_in_its_units_and_the_nearest_one_where_it_is_coarser() {
        assert_eq!(meta_units(15_000, "USD"), (15_000, 15_000));
        assert_eq!(meta_units(5_000, "JPY"), (5_000, 5_000));
        assert_eq!(meta_units(5_000_049, "COP"), (50_000, 5_000_000));
        assert_eq!(meta_units(12_505, "KWD"), (1_251, 12_510));
        for (minor, currency) in [(1_234_500, "COP"), (12_500, "KWD"), (777, "MXN")] {
            let (units, _) = meta_units(minor, currency);
            assert_eq!(budget(Some(&json!(units.to_string())), currency), Ok(Some(minor)), "round trip {currency}");
        }
    }

    #[test]
    fn budgets_follow_metas_offset_per_currency() {
        assert_eq!(budget(Some(&json!("15000")), "USD"), Ok(Some(15_000)));
        assert_eq!(budget(Some(&json!("5000")), "JPY"), Ok(Some(5_000)));
        // COP: offset 1 at Meta, two decimals in ISO.
        assert_eq!(budget(Some(&json!("50000")), "COP"), Ok(Some(5_000_000)));
        // KWD: offset 100 at Meta, three decimals in ISO.
        assert_eq!(budget(Some(&json!("1250")), "KWD"), Ok(Some(12_500)));
        assert_eq!(budget(Some(&json!("0")), "USD"), Ok(None));
        assert_eq!(budget(None, "USD"), Ok(None));
        assert!(budget(Some(&json!("12.5")), "USD").is_err());
        assert!(budget(Some(&json!({"x": 1})), "USD").is_err());
    }

    #[test]
    fn a_purchase_reported_under_several_action_types_is_counted_once() {
        let org = OrgId::new("org-a");
        let row = json!({
            "campaign_id": "c1", "date_start": "2026-11-02", "impressions": "12000", "clicks": "340", "spend": "150.25",
            "actions": [
                {"action_type": "link_click", "value": "340"},
                {"action_type": "offsite_conversion.fb_pixel_purchase", "value": "7"},
                {"action_type": "purchase", "value": "7"},
                {"action_type": "omni_purchase", "value": "7"},
                {"action_type": "some_future_action", "value": "3"}
            ],
            "action_values": [
                {"action_type": "offsite_conversion.fb_pixel_purchase", "value": "612.40"},
                {"action_type": "omni_purchase", "value": "612.40"},
                {"action_type": "purchase", "value": "612.40"}
            ]
        });
        let got = insight(&org, Level::Campaign, &row, "USD").unwrap();
        assert_eq!(
            (got.impressions, got.clicks, got.spend, got.purchases, got.revenue),
            (12_000, 340, 15_025, 7, 61_240)
        );
        assert_eq!((got.object_id.as_str(), got.day.as_str()), ("c1", "2026-11-02"));

        // Only a pixel purchase reported: that one counts.
        let pixel = json!({"campaign_id": "c1", "date_start": "2026-11-02", "spend": "10",
            "actions": [{"action_type": "offsite_conversion.fb_pixel_purchase", "value": "2"}]});
        assert_eq!(insight(&org, Level::Campaign, &pixel, "USD").unwrap().purchases, 2);
    }

    #[test]
    fn revenue_falls_back_to_purchase_roas_and_bad_rows_are_skipped_with_a_reason() {
        let org = OrgId::new("org-a");
        let roas = json!({"campaign_id": "c1", "adset_id": "s1", "date_start": "2026-11-02", "spend": "1000",
            "purchase_roas": [{"action_type": "omni_purchase", "value": "2.345"}]});
        let got = insight(&org, Level::Adset, &roas, "JPY").unwrap();
        assert_eq!((got.object_id.as_str(), got.spend, got.revenue), ("s1", 1_000, 2_345));

        let not_a_number = json!({"campaign_id": "c1", "date_start": "2026-11-02", "spend": "n/a"});
        assert!(insight(&org, Level::Campaign, &not_a_number, "USD").unwrap_err().0.contains("n/a"));
        let no_day = json!({"campaign_id": "c1", "spend": "1"});
        assert_eq!(insight(&org, Level::Campaign, &no_day, "USD").unwrap_err(), Skip("no date_start".into()));
        let bad_day = json!({"campaign_id": "c1", "date_start": "2026-02-30"});
        assert!(insight(&org, Level::Campaign, &bad_day, "USD").is_err());
        let no_adset = json!({"campaign_id": "c1", "date_start": "2026-11-02"});
        assert!(insight(&org, Level::Adset, &no_adset, "USD").is_err());
    }
}
