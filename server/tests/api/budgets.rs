//! The budget optimiser over HTTP, on the sandbox ad account: settings and their validation,
//! roles, a proposal within the rails that the same inputs give back, infeasible rails and thin
//! data refused, and the explanation — by a stand-in for Claude that records exactly what it was
//! sent (no names, no ids), kept once per language, retried on overload, never on a spent limit,
//! and replaced by the record's own words when Claude fails or states a number the record does not.

use crate::helpers::{Session, TestApp, call, drawing, eventually, json, member_of, owner, spawn_app_with};
use axum::Json;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};

/// Connects the sandbox ad account and waits for its first sync.
pub(crate) async fn connected(app: &TestApp, who: &Session) {
    assert_eq!(call(app, who, "ads/connect-sandbox", &[]).await.status(), 200);
    eventually("the sync to end", || async {
        let (_, a) = json(call(app, who, "ads/account", &[]).await).await;
        (a["sync"]["state"] == "idle").then_some(())
    })
    .await;
}

async fn settings(app: &TestApp, who: &Session) -> Value {
    let (status, s) = json(call(app, who, "budgets/settings", &[]).await).await;
    assert_eq!(status, 200, "{s}");
    s
}

/// Saves settings in major units; the answer's status and error code.
async fn save(
    app: &TestApp,
    who: &Session,
    budget: &str,
    floor: &str,
    cap: &str,
    change: &str,
    days: &str,
) -> (u16, Value) {
    let form = [
        ("daily_budget", budget),
        ("floor", floor),
        ("cap", cap),
        ("max_change_pct", change),
        ("min_days", days),
        ("min_spend", "0"),
    ];
    json(call(app, who, "budgets/save-settings", &form).await).await
}

fn code(answer: &(u16, Value)) -> (u16, Option<&str>) {
    (answer.0, answer.1["code"].as_str())
}

#[tokio::test]
async fn an_admin_sets_the_rails_and_gets_a_reproducible_proposal_within_them() {
    let app = spawn_app_with(&[]).await;
    let ana = owner(&app, "ana@tienda.mx").await;
    let luis = member_of(&app, owner(&app, "luis@tienda.mx").await, &ana.org_id).await;
    let (status, body) = json(call(&app, &ana, "budgets/settings", &[]).await).await;
    assert_eq!((status, body["code"].as_str()), (409, Some("error-ads-not-connected")));
    connected(&app, &ana).await;

    // Defaults until saved: the sandbox's five active campaigns (one is paused) and their budgets.
    let s = settings(&app, &ana).await;
    assert_eq!(
        (s["daily_budget"].clone(), s["campaigns"].as_i64(), s["max_change_pct"].as_i64()),
        (Value::Null, Some(5), Some(20))
    );
    let total = s["current_total"].as_i64().unwrap();
    let (lo, hi) = (s["allowed"][0].as_i64().unwrap(), s["allowed"][1].as_i64().unwrap());
    assert!(lo < total && total < hi, "today's rails allow {lo}..{hi} around {total}");
    assert_eq!(
        code(&json(call(&app, &ana, "budgets/propose", &[]).await).await),
        (409, Some("error-budget-no-settings"))
    );

    // Only admins change them; bad input is refused with its reason and changes nothing.
    let major = format!("{:.2}", total as f64 / 100.0);
    assert_eq!(save(&app, &luis, &major, "10", "5000", "20", "7").await.0, 403);
    assert_eq!(code(&save(&app, &ana, "mil", "10", "5000", "20", "7").await), (422, Some("error-budget-amount")));
    assert_eq!(code(&save(&app, &ana, "-5", "10", "5000", "20", "7").await), (422, Some("error-budget-amount")));
    assert_eq!(code(&save(&app, &ana, "10.001", "10", "5000", "20", "7").await), (422, Some("error-budget-amount")));
    assert_eq!(code(&save(&app, &ana, &major, "6000", "5000", "20", "7").await), (422, Some("error-budget-floor-cap")));
    assert_eq!(code(&save(&app, &ana, &major, "10", "5000", "150", "7").await), (422, Some("error-budget-max-change")));
    assert_eq!(
        code(&save(&app, &ana, &major, "10", "5000", "20", "siete").await),
        (422, Some("error-budget-min-days"))
    );
    assert_eq!(settings(&app, &ana).await["daily_budget"], Value::Null, "nothing was saved");
    let (status, saved) = save(&app, &ana, &major, "10", "5000", "20", "7").await;
    assert_eq!(status, 200, "{saved}");
    let s = settings(&app, &luis).await;
    assert_eq!(
        (s["daily_budget"].as_i64(), s["floor"].as_i64(), s["cap"].as_i64()),
        (Some(total), Some(1_000), Some(500_000))
    );

    // Members see the optimiser but do not ask it; an admin's proposal stays inside the rails.
    assert_eq!(call(&app, &luis, "budgets/propose", &[]).await.status(), 403);
    let (status, p) = json(call(&app, &ana, "budgets/propose", &[]).await).await;
    assert_eq!(status, 200, "{p}");
    let rows = p["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 5);
    let after: i64 = rows.iter().map(|r| r["budget_after"].as_i64().unwrap()).sum();
    assert_eq!(after, total, "the whole budget, to the cent");
    for r in rows {
        let (before, now) = (r["budget_before"].as_f64().unwrap(), r["budget_after"].as_f64().unwrap());
        assert!((now - before).abs() <= 0.2 * before + 1.0, "at most 20 % a day: {r}");
        assert!(r["roas_low"].as_f64() <= r["roas"].as_f64() && r["roas"].as_f64() <= r["roas_high"].as_f64(), "{r}");
        assert!(r["days_observed"].as_i64().unwrap() >= 80, "the synced 90 days: {r}");
        assert!(r["name"].is_string() && r["bound_by"].is_string());
    }
    let p_best: f64 = rows.iter().map(|r| r["p_best"].as_f64().unwrap()).sum();
    assert!((p_best - 1.0).abs() < 1e-6, "probabilities of being the best add up to one: {p_best}");
    assert!(p["expected_revenue"].as_i64() > p["expected_unchanged"].as_i64(), "better than standing still: {p}");
    assert_eq!(p["status"], "proposed");

    // The same inputs give back the same proposal; members read the latest one.
    let (_, again) = json(call(&app, &ana, "budgets/propose", &[]).await).await;
    assert_eq!(again["id"], p["id"]);
    assert_eq!(again["rows"], p["rows"]);
    let (_, latest) = json(call(&app, &luis, "budgets/latest", &[]).await).await;
    assert_eq!(latest["id"], p["id"]);

    // A budget today's rails cannot reach, and campaigns without enough days, are refused.
    let double = format!("{:.2}", total as f64 / 50.0);
    assert_eq!(save(&app, &ana, &double, "10", "5000", "20", "7").await.0, 200);
    assert_eq!(
        code(&json(call(&app, &ana, "budgets/propose", &[]).await).await),
        (422, Some("error-budget-infeasible"))
    );
    assert_eq!(save(&app, &ana, &major, "10", "5000", "20", "120").await.0, 200);
    assert_eq!(
        code(&json(call(&app, &ana, "budgets/propose", &[]).await).await),
        (422, Some("error-budget-thin-data"))
    );
    let (_, still) = json(call(&app, &luis, "budgets/latest", &[]).await).await;
    assert_eq!(still["id"], p["id"], "a refused proposal leaves the last one standing");

    // Another organisation sees none of it.
    let eve = owner(&app, "eve@otra.mx").await;
    let (_, none) = json(call(&app, &eve, "budgets/latest", &[]).await).await;
    assert_eq!(none, Value::Null);
    let id = p["id"].as_str().unwrap();
    assert_eq!(
        code(&json(call(&app, &eve, "budgets/explain", &[("id", id)]).await).await),
        (404, Some("error-not-found"))
    );

    // Without an Anthropic key the explanation is built from the record, in the asked language.
    let (status, e) = json(call(&app, &luis, "budgets/explain", &[("id", id), ("lang", "es")]).await).await;
    assert_eq!((status, e["source"].as_str(), e["lang"].as_str()), (200, Some("rules"), Some("es")), "{e}");
    assert!(e["text"].as_str().unwrap().contains("Ingresos esperados al día"), "{e}");
}

/// What the Claude stand-in saw, and what it answers next.
#[derive(Default)]
struct Claude {
    bodies: Mutex<Vec<Value>>,
    headers: Mutex<Vec<(String, String)>>,
    /// Answers in turn: (status, retry-after, body); the last one repeats.
    answers: Mutex<Vec<(u16, Option<&'static str>, Value)>>,
}

fn text(answer: &str) -> Value {
    json!({ "id": "msg_1", "type": "message", "role": "assistant", "model": "claude-test",
            "content": [{ "type": "text", "text": answer }], "stop_reason": "end_turn",
            "usage": { "input_tokens": 10, "output_tokens": 20 } })
}

async fn claude(state: Arc<Claude>) -> String {
    let messages = post(move |headers: HeaderMap, Json(body): Json<Value>| {
        let state = state.clone();
        async move {
            let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
            state.headers.lock().unwrap().push((header("x-api-key"), header("anthropic-version")));
            state.bodies.lock().unwrap().push(body);
            let mut answers = state.answers.lock().unwrap();
            let (status, retry, body) = if answers.len() > 1 { answers.remove(0) } else { answers[0].clone() };
            let mut res: Response = (StatusCode::from_u16(status).unwrap(), Json(body)).into_response();
            if let Some(secs) = retry {
                res.headers_mut().insert("retry-after", secs.parse().unwrap());
            }
            res
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, axum::Router::new().route("/v1/messages", messages)).await });
    address
}

#[tokio::test]
async fn claude_explains_from_an_anonymised_summary_once_per_language_and_the_record_stands_in_when_it_cannot() {
    let state = Arc::new(Claude::default());
    let base = claude(state.clone()).await;
    let app = spawn_app_with(&[
        ("ADRONX_ANTHROPIC_API_KEY", "sk-ant-test"),
        ("ADRONX_ANTHROPIC_BASE_URL", &base),
        ("ADRONX_ANTHROPIC_MODEL", "claude-test"),
    ])
    .await;
    let ana = owner(&app, "ana@tienda.mx").await;
    connected(&app, &ana).await;
    let total = settings(&app, &ana).await["current_total"].as_i64().unwrap();
    assert_eq!(save(&app, &ana, &format!("{:.2}", total as f64 / 100.0), "10", "5000", "20", "7").await.0, 200);
    let (_, p) = json(call(&app, &ana, "budgets/propose", &[]).await).await;
    let id = p["id"].as_str().unwrap();
    let rows = p["rows"].as_array().unwrap();
    let money = |v: &Value| format!("{:.2}", v.as_i64().unwrap() as f64 / 100.0);

    // Overloaded (529), then rate-limited with a wait (429), then an answer using the summary's
    // own numbers.
    let faithful = format!(
        "Campaign A moves from {} to {} MXN.",
        money(&rows[0]["budget_before"]),
        money(&rows[0]["budget_after"])
    );
    *state.answers.lock().unwrap() = vec![
        (529, None, json!({ "type": "error", "error": { "type": "overloaded_error", "message": "Overloaded" } })),
        (
            429,
            Some("1"),
            json!({ "type": "error", "error": { "type": "rate_limit_error", "message": "Rate limited" } }),
        ),
        (200, None, text(&faithful)),
    ];
    let (status, e) = json(call(&app, &ana, "budgets/explain", &[("id", id), ("lang", "en")]).await).await;
    assert_eq!(
        (status, e["source"].as_str(), e["text"].as_str()),
        (200, Some("claude"), Some(faithful.as_str())),
        "{e}"
    );
    assert_eq!(state.bodies.lock().unwrap().len(), 3, "retried twice");
    assert_eq!(state.headers.lock().unwrap()[0], ("sk-ant-test".to_owned(), "2023-06-01".to_owned()));

    // Exactly what Claude was sent: the model, the instructions, and numbers under letters.
    let body = state.bodies.lock().unwrap()[2].clone();
    let mut lines = vec![format!(
        "Currency: MXN. Daily budget shared by 5 campaigns: {}. Rails: each campaign's budget may change by at most 20 % a day.",
        money(&p["budget"])
    )];
    for (i, r) in rows.iter().enumerate() {
        let (before, after) = (r["budget_before"].as_i64().unwrap(), r["budget_after"].as_i64().unwrap());
        let rail = match r["bound_by"].as_str().unwrap() {
            "floor" => "at the floor",
            "cap" => "at the cap",
            "max_increase" => "at the largest increase allowed today",
            "max_decrease" => "at the largest decrease allowed today",
            _ => "inside the rails",
        };
        let f = |k: &str| format!("{:.2}", r[k].as_f64().unwrap());
        lines.push(format!(
            "Campaign {}: budget {} -> {} ({:+.0} %), {rail}; ROAS {} (90 % interval {} to {}); probability of being the best {:.0} %; {} days observed, spend {}.",
            (b'A' + i as u8) as char,
            money(&r["budget_before"]),
            money(&r["budget_after"]),
            (after - before) as f64 * 100.0 / before as f64,
            f("roas"),
            f("roas_low"),
            f("roas_high"),
            r["p_best"].as_f64().unwrap() * 100.0,
            r["days_observed"],
            money(&r["spend_observed"]),
        ));
    }
    let share = |base: &str| {
        let (now, then) = (p["expected_revenue"].as_i64().unwrap(), p[base].as_i64().unwrap());
        (now - then) as f64 * 100.0 / then as f64
    };
    lines.push(format!(
        "Expected revenue per day: {} with this split, {} keeping today's budgets ({:+.1} %), {} with an equal split ({:+.1} %), which the daily change limit may not allow yet.",
        money(&p["expected_revenue"]),
        money(&p["expected_unchanged"]),
        share("expected_unchanged"),
        money(&p["expected_equal_split"]),
        share("expected_equal_split"),
    ));
    assert_eq!(body["model"], "claude-test");
    assert_eq!(body["max_tokens"], 400);
    assert_eq!(body["messages"], json!([{ "role": "user", "content": lines.join("\n") }]));
    assert!(body["system"].as_str().unwrap().contains("in English"));
    let sent = body.to_string();
    for r in rows {
        for secret in [r["name"].as_str().unwrap(), r["id"].as_str().unwrap()] {
            assert!(!sent.contains(secret), "{secret} was sent to Claude");
        }
    }
    assert!(!sent.contains(id) && !sent.contains("Tienda"), "no decision id, no account name");

    // Kept: the same language again asks nothing.
    let (_, kept) = json(call(&app, &ana, "budgets/explain", &[("id", id), ("lang", "en")]).await).await;
    assert_eq!((kept["text"].clone(), state.bodies.lock().unwrap().len()), (e["text"].clone(), 3));

    // A spent limit is not retried; an answer with a number of its own is not shown. Neither is
    // kept, so the next view asks again.
    let spent = json!({ "type": "error", "error": { "type": "rate_limit_error", "message": "You have reached your spend limit" } });
    *state.answers.lock().unwrap() = vec![(429, Some("0"), spent)];
    let (status, es) = json(call(&app, &ana, "budgets/explain", &[("id", id), ("lang", "es")]).await).await;
    assert_eq!((status, es["source"].as_str()), (200, Some("rules")), "{es}");
    assert_eq!(state.bodies.lock().unwrap().len(), 4, "one call, no retry");
    *state.answers.lock().unwrap() = vec![(200, None, text("La campaña A ganará 123456.78 MXN más."))];
    let (_, invented) = json(call(&app, &ana, "budgets/explain", &[("id", id), ("lang", "es")]).await).await;
    assert_eq!(invented["source"], "rules", "{invented}");
    assert!(!invented["text"].as_str().unwrap().contains("123456"));
    *state.answers.lock().unwrap() = vec![(200, None, text("   "))];
    let (_, empty) = json(call(&app, &ana, "budgets/explain", &[("id", id), ("lang", "ar")]).await).await;
    assert_eq!(empty["source"], "rules", "an empty answer");
    assert_eq!(state.bodies.lock().unwrap().len(), 6);
    assert!(state.bodies.lock().unwrap()[5]["system"].as_str().unwrap().contains("in Arabic"));
}

/// The newest proposal once no change waits for Meta.
async fn settled(app: &TestApp, who: &Session) -> Value {
    eventually("the changes to reach Meta", || async {
        let (_, p) = json(call(app, who, "budgets/latest", &[]).await).await;
        (p["status"] != "applying").then_some(p)
    })
    .await
}

/// An owner (Ana) and a member (Luis) of one organisation with the sandbox ad account, the
/// rails saved around today's total budget, and Ana's proposal.
struct Proposed {
    app: TestApp,
    ana: Session,
    luis: Session,
    total: i64,
    p: Value,
}

async fn proposed() -> Proposed {
    let app = spawn_app_with(&[]).await;
    let ana = owner(&app, "ana@tienda.mx").await;
    let luis = member_of(&app, owner(&app, "luis@tienda.mx").await, &ana.org_id).await;
    connected(&app, &ana).await;
    let total = settings(&app, &ana).await["current_total"].as_i64().unwrap();
    assert_eq!(save(&app, &ana, &format!("{:.2}", total as f64 / 100.0), "10", "5000", "20", "7").await.0, 200);
    let (status, p) = json(call(&app, &ana, "budgets/propose", &[]).await).await;
    assert_eq!(status, 200, "{p}");
    Proposed { app, ana, luis, total, p }
}

#[tokio::test]
async fn applying_sets_each_changed_budget_on_meta_once_and_a_failed_change_is_shown_and_retried() {
    let Proposed { app, ana, luis, p, .. } = proposed().await;
    let id = p["id"].as_str().unwrap().to_owned();
    let rows = p["rows"].as_array().unwrap().clone();
    let changed: Vec<&Value> = rows.iter().filter(|r| r["budget_after"] != r["budget_before"]).collect();
    let campaigns: Vec<&Value> = changed.iter().copied().filter(|r| r["level"] == "campaign").collect();
    assert!(campaigns.len() >= 2, "the sandbox's campaigns earn differently: {rows:?}");
    // One sandbox campaign has its budget on its ad set (Meta's ad set budgets): that ad set is
    // moved like a campaign, under both names.
    let sets: Vec<&Value> = rows.iter().filter(|r| r["level"] == "adset").collect();
    assert_eq!(sets.len(), 1, "{rows:?}");
    assert!(sets[0]["name"].as_str().unwrap().contains(" › "), "{}", sets[0]);

    // Between the proposal and the apply, one campaign stops at Meta (the last sync says so).
    let org = app::ids::OrgId::new(ana.org_id.clone());
    let gone = campaigns[0]["id"].as_str().unwrap().to_owned();
    let mut stopped = app.store.ads.campaign(&org, &gone).await.unwrap().unwrap();
    let was = stopped.status.clone();
    stopped.status = "PAUSED".into();
    app.store.ads.upsert_campaigns(&[stopped.clone()]).await.unwrap();

    assert_eq!(call(&app, &luis, "budgets/apply", &[("id", &id)]).await.status(), 403);
    let (status, applying) = json(call(&app, &ana, "budgets/apply", &[("id", &id)]).await).await;
    assert_eq!(status, 200, "{applying}");
    let p = settled(&app, &ana).await;
    assert_eq!(p["status"], "partial", "{p}");
    assert_eq!(p["applied_by"], "Ana Owner");
    let change = |p: &Value, campaign: &str| {
        p["changes"].as_array().unwrap().iter().find(|c| c["campaign_id"] == campaign).cloned().unwrap()
    };
    let failed = change(&p, &gone);
    assert_eq!(
        (failed["status"].as_str(), failed["error"].as_str()),
        (Some("failed"), Some("error-budget-campaign-gone"))
    );
    for r in &changed[1..] {
        let c = change(&p, r["id"].as_str().unwrap());
        assert_eq!(
            (c["status"].as_str(), c["applied_budget"].clone()),
            (Some("applied"), r["budget_after"].clone()),
            "{c}"
        );
    }
    assert_eq!(p["changes"].as_array().unwrap().len(), changed.len(), "only changed budgets are sent");

    // The next sync reads the budgets Meta now holds.
    assert_eq!(call(&app, &ana, "ads/sync", &[]).await.status(), 200);
    eventually("the sync to read the new budgets", || async {
        let c = app.store.ads.campaign(&org, campaigns[1]["id"].as_str().unwrap()).await.unwrap()?;
        (c.daily_budget == campaigns[1]["budget_after"].as_i64()).then_some(())
    })
    .await;
    if sets[0]["budget_after"] != sets[0]["budget_before"] {
        let all = app.store.ads.campaigns(&org).await.unwrap();
        let mut held = None;
        for c in &all {
            let found =
                app.store.ads.ad_sets(&org, &c.id).await.unwrap().into_iter().find(|s| sets[0]["id"] == s.id.as_str());
            held = held.or(found);
        }
        assert_eq!(held.and_then(|s| s.daily_budget), sets[0]["budget_after"].as_i64(), "the ad set took its budget");
    }

    // Running again; the failed change is retried (a second attempt), the applied ones are not.
    stopped.status = was;
    app.store.ads.upsert_campaigns(&[stopped]).await.unwrap();
    let jobs_before = app.store.jobs.dead_jobs(100).await.unwrap().len();
    assert_eq!(call(&app, &ana, "budgets/apply", &[("id", &id)]).await.status(), 200);
    let p = settled(&app, &ana).await;
    assert_eq!(p["status"], "applied", "{p}");
    let retried = change(&p, &gone);
    assert_eq!((retried["status"].as_str(), retried["attempts"].as_i64()), (Some("applied"), Some(2)));
    assert!(
        p["changes"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["campaign_id"] != gone.as_str())
            .all(|c| c["attempts"] == 1)
    );
    assert_eq!(app.store.jobs.dead_jobs(100).await.unwrap().len(), jobs_before);
    // Applied is applied: once more asks Meta for nothing; another organisation cannot apply it.
    let (status, again) = json(call(&app, &ana, "budgets/apply", &[("id", &id)]).await).await;
    assert_eq!((status, again["status"].as_str()), (200, Some("applied")));
    assert!(again["changes"].as_array().unwrap().iter().all(|c| c["attempts"].as_i64() <= Some(2)));
    let eve = owner(&app, "eve@otra.mx").await;
    connected(&app, &eve).await;
    assert_eq!(
        code(&json(call(&app, &eve, "budgets/apply", &[("id", &id)]).await).await),
        (404, Some("error-not-found"))
    );
}

/// A what-if answer's figure.
fn figure(w: &Value, key: &str) -> i64 {
    w[key].as_i64().unwrap_or_else(|| panic!("{key} in {w}"))
}

#[tokio::test]
async fn a_what_if_plan_is_valued_against_the_proposal_shared_as_a_draft_applied_and_judged_in_the_history() {
    let Proposed { app, ana, luis, total, p } = proposed().await;
    let id = p["id"].as_str().unwrap().to_owned();
    let rows = p["rows"].as_array().unwrap().clone();
    let major = |minor: i64| format!("{:.2}", minor as f64 / 100.0);
    // As the page names them (`c` before the id); bare ids are accepted too (below).
    let field = |r: &Value| format!("budgets[c{}]", r["id"].as_str().unwrap());

    // The proposal itself, valued: its own figure, an interval around it, nothing to warn about.
    let (status, same) = json(call(&app, &luis, "budgets/what-if", &[("id", &id)]).await).await;
    assert_eq!(status, 200, "{same}");
    assert_eq!(figure(&same, "expected"), figure(&same, "proposal_expected"));
    assert!((figure(&same, "expected") - p["expected_revenue"].as_i64().unwrap()).abs() <= 1, "{same} {p}");
    assert!(figure(&same, "low") < figure(&same, "expected") && figure(&same, "expected") < figure(&same, "high"));
    assert_eq!((same["total"].as_i64(), same["warnings"].clone()), (Some(total), json!([])));

    // Half of the likeliest-best campaign's budget moved to the least likely: the same total,
    // less expected, and a warning on the campaign cut beyond the day's limit.
    let by_best = |best: bool| {
        let pick = rows.iter().max_by(|a, b| {
            let (x, y) = (a["p_best"].as_f64().unwrap(), b["p_best"].as_f64().unwrap());
            if best { x.total_cmp(&y) } else { y.total_cmp(&x) }
        });
        pick.unwrap().clone()
    };
    let (from, to) = (by_best(true), by_best(false));
    let moved = from["budget_before"].as_i64().unwrap() / 2;
    let (from_budget, to_budget) =
        (major(from["budget_after"].as_i64().unwrap() - moved), major(to["budget_after"].as_i64().unwrap() + moved));
    let (fields_from, fields_to) = (field(&from), field(&to));
    let plan =
        [("id", id.as_str()), (fields_from.as_str(), from_budget.as_str()), (fields_to.as_str(), to_budget.as_str())];
    let (status, w) = json(call(&app, &luis, "budgets/what-if", &plan).await).await;
    assert_eq!(status, 200, "{w}");
    assert_eq!((w["total"].as_i64(), w["draft_id"].clone()), (Some(total), Value::Null), "{w}");
    assert!(figure(&w, "expected") < figure(&w, "proposal_expected"), "{w}");
    let warned = |w: &Value, r: &Value| {
        let row = w["rows"].as_array().unwrap().iter().find(|x| x["id"] == r["id"]).unwrap().clone();
        row["warnings"].as_array().unwrap().iter().map(|x| x.as_str().unwrap().to_owned()).collect::<Vec<_>>()
    };
    assert!(warned(&w, &from).contains(&"budget-warn-change".to_owned()), "{w}");
    let bare = format!("budgets[{}]", to["id"].as_str().unwrap());
    let over = [("id", id.as_str()), (bare.as_str(), "9999.00")];
    let (_, big) = json(call(&app, &luis, "budgets/what-if", &over).await).await;
    assert!(warned(&big, &to).contains(&"budget-warn-cap".to_owned()), "{big}");
    assert_eq!(big["warnings"], json!(["budget-warn-total"]));

    // Bad input is refused with its reason; another organisation finds nothing.
    let bad = [("id", id.as_str()), (fields_to.as_str(), "mucho")];
    assert_eq!(code(&json(call(&app, &luis, "budgets/what-if", &bad).await).await), (422, Some("error-budget-amount")));
    let stranger = [("id", id.as_str()), ("budgets[999]", "10.00")];
    assert_eq!(
        code(&json(call(&app, &luis, "budgets/what-if", &stranger).await).await),
        (422, Some("error-budget-unknown-campaign"))
    );
    let eve = owner(&app, "eve@otra.mx").await;
    assert_eq!(code(&json(call(&app, &eve, "budgets/what-if", &plan).await).await), (404, Some("error-not-found")));

    // Without JavaScript the form posts plainly: the plan is kept as a draft and the browser sent
    // to it, where the page shows its valuation; bad input goes back with its reason.
    let plain = |form: Vec<(String, String)>| {
        let req = app.client.post(app.url("/api/budgets/what-if")).header("cookie", &luis.cookie);
        let req = req.header("sec-fetch-site", "same-origin").header("accept", "text/html");
        req.header("referer", app.url("/app/campaigns/optimiser")).form(&form).send()
    };
    let typed = vec![
        ("id".to_owned(), id.clone()),
        (fields_from.clone(), from_budget.clone()),
        (fields_to.clone(), to_budget.clone()),
    ];
    let res = plain(typed).await.unwrap();
    assert_eq!(res.status(), 302);
    let to_draft = crate::helpers::header(&res, "location").to_owned();
    assert!(to_draft.starts_with("/app/campaigns/optimiser?draft=") && to_draft.ends_with("#what-if"), "{to_draft}");
    let html = crate::helpers::page(&app, &luis, &to_draft, "es").await;
    assert!(
        html.contains("Ingresos esperados al día") && html.contains(&from_budget),
        "the valuation, server-rendered"
    );
    let res = plain(vec![("id".to_owned(), id.clone()), (fields_to.clone(), "mucho".to_owned())]).await.unwrap();
    assert_eq!(
        crate::helpers::header(&res, "location"),
        "/app/campaigns/optimiser?error=error-budget-amount&form=budget-what-if#budget-what-if"
    );

    // A member saves the plan as a draft; the admin opens it and applies it; members cannot.
    let mut saving = plan.to_vec();
    saving.push(("save", "true"));
    let (status, saved) = json(call(&app, &luis, "budgets/what-if", &saving).await).await;
    assert_eq!(status, 200, "{saved}");
    let draft = saved["draft_id"].as_str().unwrap().to_owned();
    let (_, opened) = json(call(&app, &ana, "budgets/draft", &[("id", &draft)]).await).await;
    assert_eq!((opened["rows"].clone(), opened["expected"].clone()), (w["rows"].clone(), w["expected"].clone()));
    assert_eq!(
        code(&json(call(&app, &eve, "budgets/draft", &[("id", &draft)]).await).await),
        (404, Some("error-not-found"))
    );
    assert_eq!(call(&app, &luis, "budgets/apply-draft", &[("id", &draft)]).await.status(), 403);
    let (status, applying) = json(call(&app, &ana, "budgets/apply-draft", &[("id", &draft)]).await).await;
    assert_eq!(status, 200, "{applying}");
    let applied = settled(&app, &ana).await;
    assert_eq!((applied["status"].as_str(), applied["from_draft"].as_str()), (Some("applied"), Some(draft.as_str())));
    let budget_of = |p: &Value, r: &Value| {
        p["rows"].as_array().unwrap().iter().find(|x| x["id"] == r["id"]).unwrap()["budget_after"].as_i64().unwrap()
    };
    assert_eq!(budget_of(&applied, &from), from["budget_after"].as_i64().unwrap() - moved);
    let org = app::ids::OrgId::new(ana.org_id.clone());
    let on_meta = app.store.budgets.changes(&org, applied["id"].as_str().unwrap()).await.unwrap();
    let change = on_meta.iter().find(|c| c.campaign_id == from["id"].as_str().unwrap()).unwrap();
    assert_eq!((change.status.as_str(), change.applied_budget), ("applied", Some(budget_of(&applied, &from))));
    // Applying the draft again changes nothing; its proposal was replaced.
    let (_, again) = json(call(&app, &ana, "budgets/apply-draft", &[("id", &draft)]).await).await;
    assert_eq!(again["id"], applied["id"]);
    assert_eq!(
        code(&json(call(&app, &ana, "budgets/apply", &[("id", &id)]).await).await),
        (409, Some("error-budget-superseded"))
    );
    // Asking again with the same inputs gives back the applied plan, not the replaced proposal.
    let (_, asked) = json(call(&app, &ana, "budgets/propose", &[]).await).await;
    assert_eq!(asked["id"], applied["id"]);

    // The history: the applied plan (waiting for a whole day), then the proposal it replaced.
    let (status, h) = json(call(&app, &luis, "budgets/history", &[("lang", "es")]).await).await;
    assert_eq!(status, 200, "{h}");
    let entries = h["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 2, "{h}");
    assert_eq!((entries[0]["id"].clone(), entries[0]["status"].as_str()), (applied["id"].clone(), Some("applied")));
    assert_eq!(
        (entries[0]["applied_by"].as_str(), entries[0]["from_draft"].as_bool()),
        (Some("Ana Owner"), Some(true))
    );
    assert_eq!((entries[1]["id"].as_str(), entries[1]["status"].as_str()), (Some(id.as_str()), Some("superseded")));
    assert_eq!((entries[0]["realised"].clone(), h["chart"].clone()), (Value::Null, Value::Null));

    // Four days later (the plan's applied time moved back): three whole days in force, what the
    // moved campaigns realised over them, and the chart of them.
    let mut record = app.store.budgets.decision(&org, applied["id"].as_str().unwrap()).await.unwrap().unwrap();
    record.applied_at = record.applied_at.map(|at| at - time::Duration::days(4));
    app.store.budgets.save_decision(&record).await.unwrap();
    let (_, h) = json(call(&app, &luis, "budgets/history", &[("lang", "es")]).await).await;
    let r = &h["entries"][0]["realised"];
    assert_eq!(r["days"].as_i64(), Some(3), "{h}");
    let tz = app.store.ads.ad_account(&org).await.unwrap().unwrap().timezone;
    let yesterday = adronx::ads::dashboard::today_in(&tz) - time::Duration::days(1);
    let day = |d: time::Date| adronx::ads::dashboard::day_text(d);
    let (from, to) = (day(yesterday - time::Duration::days(2)), day(yesterday));
    let mut synced = Vec::new();
    for level in [adronx::storage::ads::Level::Campaign, adronx::storage::ads::Level::Adset] {
        synced.extend(app.store.ads.daily_results(&org, level, &from, &to).await.unwrap());
    }
    let moved_ids: Vec<&str> = applied["rows"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap()).collect();
    let (spend, revenue) = synced
        .iter()
        .filter(|d| moved_ids.contains(&d.campaign_id.as_str()))
        .fold((0, 0), |(s, r), d| (s + d.spend, r + d.revenue));
    assert_eq!((r["spend"].as_i64(), r["revenue"].as_i64()), (Some(spend), Some(revenue)), "{r}");
    assert_eq!(r["forecast_revenue"].as_i64(), Some(3 * applied["expected_revenue"].as_i64().unwrap()));
    assert!(revenue > 0 && r["maturing"].as_i64().unwrap() <= 3, "{r}");
    let chart = &h["chart"];
    assert!(chart["title"].as_str().unwrap().contains("Ingresos acumulados"), "{chart}");
    let (status, kind, svg) = drawing(&app, &luis, &chart["large"]).await;
    assert_eq!((status, kind.as_str()), (200, "image/svg+xml; charset=utf-8"));
    assert!(svg.contains("Ingresos reales") && svg.contains("width=\"1200\""), "{svg}");
    assert_eq!(drawing(&app, &eve, &chart["small"]).await.0, 409, "not connected: no history of its own");
    let unsigned = app.client.get(app.url(chart["small"].as_str().unwrap())).send().await.unwrap();
    assert_eq!(unsigned.status(), 401);
}

#[tokio::test]
async fn the_automatic_mode_applies_the_daily_proposal_by_itself_and_pauses_with_a_reason_and_an_email() {
    let Proposed { app, ana, luis, .. } = proposed().await;
    let org = app::ids::OrgId::new(ana.org_id.clone());

    // Owners switch it on; members do not.
    assert_eq!(call(&app, &luis, "budgets/auto", &[("on", "true")]).await.status(), 403);
    assert_eq!(call(&app, &ana, "budgets/auto", &[("on", "true")]).await.status(), 200);
    let s = settings(&app, &luis).await;
    assert_eq!((s["auto"].as_bool(), s["auto_paused"].clone()), (Some(true), Value::Null));

    // A finished sync runs the daily job: it proposes and, the mode on, applies by itself.
    assert_eq!(call(&app, &ana, "ads/sync", &[]).await.status(), 200);
    let applied = eventually("the automatic mode to apply the proposal", || async {
        let (_, p) = json(call(&app, &luis, "budgets/latest", &[]).await).await;
        (p["status"] == "applied").then_some(p)
    })
    .await;
    assert_eq!(applied["applied_by"], "auto", "{applied}");
    let changes = app.store.budgets.changes(&org, applied["id"].as_str().unwrap()).await.unwrap();
    assert!(!changes.is_empty() && changes.iter().all(|c| c.requested_by == "auto" && c.status == "applied"));

    // Meta refuses the token: the next run pauses the mode, says why, and e-mails the owner.
    let now = time::OffsetDateTime::now_utc();
    let status = adronx::storage::whatsapp::ConnectionStatus::Reauthorise;
    app.store.ads.set_ad_account_status(&org, status, Some("190"), now).await.unwrap();
    adronx::budgets::auto::schedule(app.store.jobs.as_ref(), &org, "test-token").await.unwrap();
    eventually("the mode to pause", || async {
        let s = app.store.budgets.budget_settings(&org).await.unwrap()?;
        (s.auto_paused.as_deref() == Some("token")).then_some(())
    })
    .await;
    let mail = crate::helpers::outbox_mail(&app, "ana@tienda.mx", "/app/campaigns/optimiser").await;
    assert!(mail.contains("token"), "{mail}");
    let s = settings(&app, &luis).await;
    assert_eq!((s["auto"].as_bool(), s["auto_paused"].as_str()), (Some(true), Some("token")));

    // An owner resumes it; switching it off stops it.
    assert_eq!(call(&app, &ana, "budgets/auto", &[("on", "true")]).await.status(), 200);
    assert_eq!(settings(&app, &luis).await["auto_paused"], Value::Null);
    assert_eq!(call(&app, &luis, "budgets/auto", &[("on", "false")]).await.status(), 403);
    assert_eq!(call(&app, &ana, "budgets/auto", &[("on", "false")]).await.status(), 200);
    assert_eq!(settings(&app, &luis).await["auto"].as_bool(), Some(false));
}
