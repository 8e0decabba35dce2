//! The sandbox's ad account: the Marketing API calls a sync makes and the budget changes the
//! optimiser sends, answered with Meta's documented payloads, so a new organisation sees a full
//! dashboard — and the optimiser at work — without a Meta account. Five active campaigns spend
//! the budget in force each day and earn what one seed of the optimiser benchmark's `delay` world
//! says ([`world`]); a sixth, paused three weeks before the account opened, keeps its history.
//! Every read of a day agrees with the others. A sandbox-only call (`POST …/sandbox_clock`, not a
//! Meta endpoint) moves the account's clock forward, so days can be lived in seconds. Served only
//! outside production, behind sandbox tokens.

pub mod world;

use crate::whatsapp::sandbox::{graph_error, refuse_token};
use axum::extract::{Path, Query};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{Value, json};
use std::collections::HashMap;
pub use world::World;

struct Campaign {
    name: &'static str,
    objective: &'static str,
    /// Its campaign in the benchmark world; `None` for the paused one, outside it.
    world: Option<usize>,
    ad: (&'static str, &'static str, &'static str),
}

const CAMPAIGNS: [Campaign; 6] = [
    Campaign {
        name: "Chaquetas de temporada",
        objective: "OUTCOME_SALES",
        world: Some(0),
        ad: (
            "La chaqueta azul ya llegó",
            "Tallas S a XL. Pregunta por WhatsApp y te la apartamos.",
            "WHATSAPP_MESSAGE",
        ),
    },
    Campaign {
        name: "Carrito abandonado",
        objective: "OUTCOME_SALES",
        world: Some(1),
        ad: ("¿Se te olvidó algo?", "Tu carrito te espera con envío gratis hoy.", "SHOP_NOW"),
    },
    Campaign {
        name: "Click-to-WhatsApp Ofertas",
        objective: "OUTCOME_ENGAGEMENT",
        world: Some(2),
        ad: ("Ofertas de la semana", "Escríbenos y recibe el catálogo al instante.", "WHATSAPP_MESSAGE"),
    },
    Campaign {
        name: "Marca — alcance",
        objective: "OUTCOME_AWARENESS",
        world: None,
        ad: ("Hecho en Guadalajara", "Conoce nuestra historia.", "LEARN_MORE"),
    },
    Campaign {
        name: "Público similar compradores",
        objective: "OUTCOME_SALES",
        world: Some(3),
        ad: ("Lo que todos están comprando", "Nuevos estilos cada viernes.", "SHOP_NOW"),
    },
    Campaign {
        name: "Black Friday",
        objective: "OUTCOME_SALES",
        world: Some(4),
        ad: ("Black Friday: hasta 40 %", "Solo este fin de semana.", "WHATSAPP_MESSAGE"),
    },
];

/// The paused campaign's budget (centavos), and the world day it was paused on: three weeks
/// before the account opened.
const PAUSED_BUDGET: i64 = 80_000;
const PAUSED_FROM: i64 = world::HISTORY - 21;

const CURRENCY: &str = "MXN";
const TIMEZONE: &str = "America/Mexico_City";
/// Meta's default page size when `limit` is not given.
const DEFAULT_LIMIT: usize = 25;

pub fn router(world: World) -> Router {
    let route = |edge: Edge| {
        let world = world.clone();
        get(
            move |Path((_, id)): Path<(String, String)>,
                  Query(q): Query<HashMap<String, String>>,
                  headers: HeaderMap| { serve(world, edge, id, q, headers) },
        )
    };
    let clock = world.clone();
    Router::new()
        .route("/{version}/{id}/campaigns", route(Edge::Campaigns))
        .route("/{version}/{id}/adsets", route(Edge::AdSets))
        .route("/{version}/{id}/ads", route(Edge::Ads))
        .route("/{version}/{id}/insights", route(Edge::Insights))
        .route(
            "/{version}/{id}/sandbox_clock",
            post(
                move |Path((_, id)): Path<(String, String)>, headers: HeaderMap, Json(body): Json<Value>| async move {
                    advance_clock(&clock, &id, &headers, &body)
                },
            ),
        )
}

/// The real day in the sandbox account's time zone (its clock moves on from there).
fn real_today() -> time::Date {
    super::dashboard::today_in(TIMEZONE)
}

/// `POST /{version}/act_{id}/sandbox_clock` with `{"clock": n}` (0–3650): a sandbox-only call,
/// not Meta's, that moves the account's clock forward to `n` days ahead of the calendar — never
/// back, so a retried call moves it once. Answers its today and clock.
fn advance_clock(world: &World, id: &str, headers: &HeaderMap, body: &Value) -> Response {
    let account = match checked(id, headers) {
        Ok(a) => a,
        Err(r) => return *r,
    };
    match body.get("clock").and_then(Value::as_i64).filter(|d| (0..=3650).contains(d)) {
        Some(to) => {
            let (today, clock) = world.advance_to(&account, real_today(), to);
            Json(json!({ "today": super::dashboard::day_text(today), "clock": clock })).into_response()
        }
        None => graph_error(StatusCode::BAD_REQUEST, 100, "(#100) Invalid parameter: clock must be 0 to 3650"),
    }
}

fn sandbox_account(id: &str) -> bool {
    id.len() == 15 && id.starts_with('7') && id.bytes().all(|b| b.is_ascii_digit())
}

/// `GET /{version}/act_{id}`.
pub fn account(id: &str) -> Response {
    if !sandbox_account(id) {
        return graph_error(StatusCode::BAD_REQUEST, 100, "Unsupported get request. Object does not exist");
    }
    Json(json!({
        "id": format!("act_{id}"),
        "name": "Sandbox — Tienda Demo",
        "currency": CURRENCY,
        "timezone_name": TIMEZONE,
        "account_status": 1,
    }))
    .into_response()
}

/// The account's digits from `act_…`, after the token check; or Meta's refusal.
fn checked(id: &str, headers: &HeaderMap) -> Result<String, Box<Response>> {
    if let Some(refused) = refuse_token(headers) {
        return Err(Box::new(refused));
    }
    match id.strip_prefix("act_") {
        Some(digits) if sandbox_account(digits) => Ok(digits.to_owned()),
        _ => Err(Box::new(graph_error(StatusCode::BAD_REQUEST, 100, "Unsupported get request. Object does not exist"))),
    }
}

/// A campaign's daily budget at the end of `day`, in Meta's units.
fn budget_on(world: &World, account: &str, campaign: &str, c: &Campaign, day: time::Date) -> i64 {
    let default = if c.world.is_some() { world::EQUAL_SPLIT } else { PAUSED_BUDGET };
    world.budget_on(account, campaign, real_today(), day, default)
}

/// `POST /{version}/{campaign-id or ad-set-id}` with `daily_budget` (Meta's units, a string or a number):
/// Meta's `{"success": true}`, or its refusal of an unknown object or a bad value.
pub fn set_daily_budget(world: &World, id: &str, headers: &HeaderMap, body: &Value) -> Response {
    if let Some(refused) = refuse_token(headers) {
        return refused;
    }
    // A campaign's id (`238…`) takes a budget, unless its budget is on its ad set (`239…`).
    let account = id.get(3..17).map(|digits| format!("7{digits}"));
    let account = account.filter(|a| id.len() == 18 && id.bytes().all(|b| b.is_ascii_digit()) && sandbox_account(a));
    let index = account.as_ref().and_then(|a| (0..CAMPAIGNS.len()).find(|&i| holder(a, i) == id));
    let (Some(account), Some(_)) = (account, index) else {
        let message = format!(
            "Unsupported post request. Object with ID '{id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation"
        );
        return graph_error(StatusCode::BAD_REQUEST, 100, &message);
    };
    let units = match body.get("daily_budget") {
        Some(Value::String(s)) => s.trim().parse::<i64>().ok(),
        Some(Value::Number(n)) => n.as_i64(),
        _ => None,
    };
    match units.filter(|u| *u > 0) {
        Some(units) => {
            world.set_budget(&account, id, real_today(), units);
            Json(json!({ "success": true })).into_response()
        }
        None => graph_error(StatusCode::BAD_REQUEST, 100, "(#100) Invalid parameter: daily_budget"),
    }
}

/// Campaign index of the click-to-WhatsApp campaign: its ad is the one the WhatsApp sandbox's
/// customer clicked, so the dashboard shows the conversation it started.
const CTWA: usize = 2;
/// Campaign index of the campaign whose budget is set on its ad set (Meta's ad set budget
/// optimisation, "ABO"): it has no daily budget of its own.
const ABO: usize = 5;

/// The id a campaign's daily budget is set on: its own, or its ad set's.
fn holder(account: &str, index: usize) -> String {
    let (campaign, set, _) = ids(account, index);
    if index == ABO { set } else { campaign }
}

fn ids(account: &str, index: usize) -> (String, String, String) {
    let base = &account[1..];
    let ad =
        if index == CTWA { crate::whatsapp::sandbox::REFERRAL_AD_ID.to_owned() } else { format!("240{base}{index}") };
    (format!("238{base}{index}"), format!("239{base}{index}"), ad)
}

/// One page of `rows` as Meta pages an edge: base64 cursors, and `next` while rows remain.
fn paged(rows: Vec<Value>, query: &HashMap<String, String>, path: &str) -> Response {
    use base64::Engine;
    let engine = base64::engine::general_purpose::STANDARD;
    let limit = query.get("limit").and_then(|l| l.parse().ok()).unwrap_or(DEFAULT_LIMIT).clamp(1, 5000);
    let start = query
        .get("after")
        .and_then(|a| engine.decode(a).ok())
        .and_then(|b| String::from_utf8(b).ok())
        .and_then(|s| s.strip_prefix("offset:").and_then(|n| n.parse::<usize>().ok()))
        .unwrap_or(0)
        .min(rows.len());
    let end = (start + limit).min(rows.len());
    let cursor = |n: usize| engine.encode(format!("offset:{n}"));
    let mut paging = json!({ "cursors": { "before": cursor(start), "after": cursor(end) } });
    if end < rows.len() {
        paging["next"] = json!(format!("{path}?limit={limit}&after={}", cursor(end)));
    }
    let body = json!({ "data": &rows[start..end], "paging": paging });
    let mut response = Json(body).into_response();
    // Meta reports the share of its rate limits used; the sandbox's is always low.
    let usage = format!(
        r#"{{"{}":[{{"type":"ads_insights","call_count":2,"total_cputime":1,"total_time":1,"estimated_time_to_regain_access":0}}]}}"#,
        query.get("account").map_or("0", String::as_str)
    );
    if let Ok(v) = HeaderValue::from_str(&usage) {
        response.headers_mut().insert("x-business-use-case-usage", v);
    }
    response
}

/// The edges a sync pages through, each a list of rows built from [`CAMPAIGNS`].
#[derive(Clone, Copy)]
enum Edge {
    Campaigns,
    AdSets,
    Ads,
    Insights,
}

/// `GET /{version}/act_{id}/{edge}`: the token and account checked, the edge's rows, one page.
async fn serve(world: World, edge: Edge, id: String, q: HashMap<String, String>, headers: HeaderMap) -> Response {
    let account = match checked(&id, &headers) {
        Ok(a) => a,
        Err(r) => return *r,
    };
    let status = |i: usize| if i == 3 { "PAUSED" } else { "ACTIVE" };
    let today = world.today(&account, real_today());
    let (path, rows): (&str, Vec<Value>) = match edge {
        Edge::Campaigns => (
            "campaigns",
            per_campaign(&account, |i, c, (campaign, _, _)| {
                let mut row = json!({ "id": campaign, "name": c.name, "objective": c.objective, "status": status(i),
                "bid_strategy": "LOWEST_COST_WITHOUT_CAP" });
                if i != ABO {
                    row["daily_budget"] = json!(budget_on(&world, &account, &campaign, c, today).to_string());
                }
                row
            }),
        ),
        Edge::AdSets => (
            "adsets",
            per_campaign(&account, |i, c, (campaign, set, _)| {
                let budget = if i == ABO { budget_on(&world, &account, &set, c, today) } else { 0 };
                json!({ "id": set, "campaign_id": campaign, "name": format!("{} — México 25-44", c.name),
                "status": status(i), "daily_budget": budget.to_string(), "bid_strategy": "LOWEST_COST_WITHOUT_CAP" })
            }),
        ),
        Edge::Ads => (
            "ads",
            per_campaign(&account, |i, c, (campaign, set, ad)| {
                let (title, body, cta) = c.ad;
                json!({ "id": ad, "adset_id": set, "campaign_id": campaign, "name": title, "status": status(i),
                "creative": { "id": format!("9{ad}"), "title": title, "body": body, "call_to_action_type": cta,
                    "image_url": "/favicon.svg" } })
            }),
        ),
        Edge::Insights => match insights(&world, &account, today, &q) {
            Ok(rows) => ("insights", rows),
            Err(refused) => return *refused,
        },
    };
    paged(rows, &q, &format!("/{id}/{path}"))
}

/// One row per campaign, given its index, definition and ids (campaign, ad set, ad).
fn per_campaign(account: &str, row: impl Fn(usize, &Campaign, (String, String, String)) -> Value) -> Vec<Value> {
    CAMPAIGNS.iter().enumerate().map(|(i, c)| row(i, c, ids(account, i))).collect()
}

/// A number in [0, 1) from a seed (splitmix64): the same day always reads the same.
fn unit(seed: u64) -> f64 {
    let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D1_049B_B133_111B);
    ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
}

/// Money in pesos as Meta writes it: two decimals in a string.
fn pesos(cents: i64) -> String {
    format!("{}.{:02}", cents / 100, cents % 100)
}

/// One campaign's day `day`, as reported on `today`: spend, impressions, clicks, purchases and
/// revenue; `Null` when it did not run.
fn day_row(world: &World, account: &str, index: usize, today: time::Date, day: time::Date, level: &str) -> Value {
    let c = &CAMPAIGNS[index];
    let w = world.world_day(account, real_today(), day);
    let seed = account.bytes().fold(index as u64 * 1_000_003, |h, b| h.wrapping_mul(31).wrapping_add(b as u64));
    let noise = |salt: u64| unit(seed ^ (w as u64).wrapping_mul(0x1000_0001) ^ salt);
    let (campaign, set, _) = ids(account, index);
    let (spend, revenue) = match c.world {
        _ if w < 0 => return Value::Null,
        Some(k) => {
            let spend = budget_on(world, account, &holder(account, index), c, day);
            (spend, world.revenue(account, k, w, spend, (today - day).whole_days() - 1))
        }
        // The paused campaign earned little (brand reach), until it was paused.
        None if w >= PAUSED_FROM => return Value::Null,
        None => {
            let spend = (PAUSED_BUDGET as f64 * (0.85 + 0.2 * noise(1))).round() as i64;
            (spend, (3.0 * (spend as f64 / 100.0).powf(0.8) * (0.7 + 0.6 * noise(2)) * 100.0).round() as i64)
        }
    };
    let purchases = (revenue as f64 / 100.0 / 650.0).round().max(0.0) as i64;
    let impressions = (spend as f64 / 100.0 * (18.0 + 8.0 * noise(3))).round() as i64;
    let clicks = (impressions as f64 * (0.008 + 0.01 * noise(4))).round() as i64;
    let day = super::dashboard::day_text(day);
    // Meta lists a purchase under several action types; the sync must count it once.
    let actions = json!([
        { "action_type": "link_click", "value": clicks.to_string() },
        { "action_type": "offsite_conversion.fb_pixel_purchase", "value": purchases.to_string() },
        { "action_type": "purchase", "value": purchases.to_string() },
        { "action_type": "omni_purchase", "value": purchases.to_string() }
    ]);
    let values = json!([
        { "action_type": "offsite_conversion.fb_pixel_purchase", "value": pesos(revenue) },
        { "action_type": "purchase", "value": pesos(revenue) },
        { "action_type": "omni_purchase", "value": pesos(revenue) }
    ]);
    let mut row = json!({ "campaign_id": campaign, "date_start": day, "date_stop": day,
        "impressions": impressions.to_string(), "clicks": clicks.to_string(), "spend": pesos(spend),
        "actions": actions, "action_values": values });
    if level == "adset" {
        row["adset_id"] = json!(set);
    }
    row
}

/// Daily insights for the `date_preset` and `level` asked for, or Meta's refusal of them.
fn insights(
    world: &World,
    account: &str,
    today: time::Date,
    q: &HashMap<String, String>,
) -> Result<Vec<Value>, Box<Response>> {
    let days: i64 = match q.get("date_preset").map(String::as_str) {
        Some("last_7d") => 7,
        Some("last_14d") => 14,
        Some("last_28d") => 28,
        Some("last_30d") => 30,
        Some("last_90d") => 90,
        _ => {
            let message = "(#100) date_preset must be one of last_7d, last_14d, last_28d, last_30d, last_90d";
            return Err(Box::new(graph_error(StatusCode::BAD_REQUEST, 100, message)));
        }
    };
    let level = q.get("level").map_or("campaign", String::as_str).to_owned();
    if level != "campaign" && level != "adset" {
        let message = "(#100) level must be campaign or adset";
        return Err(Box::new(graph_error(StatusCode::BAD_REQUEST, 100, message)));
    }
    // The presets end yesterday in the account's time zone, on its clock (`today`).
    let mut rows = Vec::new();
    for days_ago in (1..=days).rev() {
        let day = today - time::Duration::days(days_ago);
        for index in 0..CAMPAIGNS.len() {
            let row = day_row(world, account, index, today, day, &level);
            if !row.is_null() {
                rows.push(row);
            }
        }
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fresh sandbox world and the headers of a call with a sandbox token.
    fn sandbox() -> (World, HeaderMap) {
        let mut headers = HeaderMap::new();
        headers.insert("authorization", HeaderValue::from_static("Bearer sbx-token"));
        (World::new(None), headers)
    }

    #[test]
    fn a_budget_is_taken_where_the_campaign_keeps_it_and_refused_elsewhere() {
        let (world, headers) = sandbox();
        let account = "712345678901234";
        let body = json!({ "daily_budget": "25000" });
        let set = |id: &str| set_daily_budget(&world, id, &headers, &body).status();
        let (campaign, own_set, _) = ids(account, 0);
        let (abo_campaign, abo_set, _) = ids(account, ABO);
        assert_eq!((set(&campaign), set(&own_set)), (StatusCode::OK, StatusCode::BAD_REQUEST));
        assert_eq!((set(&abo_set), set(&abo_campaign)), (StatusCode::OK, StatusCode::BAD_REQUEST));
        assert_eq!(set("238999"), StatusCode::BAD_REQUEST);
        let today = world.today(account, real_today());
        assert_eq!(world.budget_on(account, &abo_set, real_today(), today, 1), 25_000);
        assert_eq!(world.budget_on(account, &abo_campaign, real_today(), today, 1), 1, "nothing kept for it");
        let wrong = json!({ "daily_budget": "-5" });
        assert_eq!(set_daily_budget(&world, &campaign, &headers, &wrong).status(), StatusCode::BAD_REQUEST);
    }

    #[test]
    fn the_clock_moves_forward_once_for_a_sandbox_token_only() {
        let (world, headers) = sandbox();
        let act = "act_712345678901234";
        let to = |n: i64| advance_clock(&world, act, &headers, &json!({ "clock": n })).status();
        assert_eq!((to(1), to(1), to(0)), (StatusCode::OK, StatusCode::OK, StatusCode::OK));
        assert_eq!(world.today("712345678901234", real_today()), real_today() + time::Duration::days(1), "moved once");
        assert_eq!((to(-1), to(3651)), (StatusCode::BAD_REQUEST, StatusCode::BAD_REQUEST));
        let mut meta = HeaderMap::new();
        meta.insert("authorization", HeaderValue::from_static("Bearer EAAG-real-token"));
        let refused = advance_clock(&world, act, &meta, &json!({ "clock": 5 })).status();
        assert_eq!(refused, StatusCode::UNAUTHORIZED, "only sandbox tokens");
        assert_eq!(world.today("712345678901234", real_today()), real_today() + time::Duration::days(1));
    }
}
