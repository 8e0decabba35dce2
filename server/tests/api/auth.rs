use crate::helpers::{TestApp, header, outbox_mail, sign_up, spawn_app, spawn_app_with};
use serde_json::Value;

fn registration(email: &str, password: &str) -> Vec<(&'static str, String)> {
    vec![
        ("first_name", "Ana".into()),
        ("last_name", "Pérez".into()),
        ("email", email.into()),
        ("password", password.into()),
        ("organisation", "Tienda Ana".into()),
        ("lang", "es".into()),
    ]
}

const PASSWORD: &str = "correct horse battery staple";

/// Deployed behind one proxy, which appends the client's address to `X-Forwarded-For`; the tests
/// play that proxy to sign in "from" different addresses.
async fn behind_one_proxy() -> TestApp {
    spawn_app_with(&[("ADRONX_TRUSTED_PROXIES", "1")]).await
}

/// Signs up and confirms: the response of the confirmation (the session).
async fn register(app: &TestApp, email: &str) -> reqwest::Response {
    let form = registration(email, PASSWORD);
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    sign_up(app, None, &form).await
}

async fn login(app: &TestApp, email: &str, password: &str, ip: &str) -> reqwest::Response {
    app.client
        .post(app.url("/api/auth/login"))
        .header("x-forwarded-for", ip)
        .form(&[("email", email), ("password", password)])
        .send()
        .await
        .unwrap()
}

/// A request carrying the session cookie.
fn with_cookie(app: &TestApp, method: reqwest::Method, url: String, token: &str) -> reqwest::RequestBuilder {
    app.client.request(method, url).header("cookie", format!("adronx_refresh={token}"))
}

/// The refresh token from a response's Set-Cookie.
fn refresh_cookie(res: &reqwest::Response) -> String {
    let set = header(res, "set-cookie");
    set.split(';').next().unwrap().trim_start_matches("adronx_refresh=").to_owned()
}

async fn refresh(app: &TestApp, token: &str) -> reqwest::Response {
    with_cookie(app, reqwest::Method::POST, app.url("/api/auth/refresh"), token)
        .header("sec-fetch-site", "same-origin")
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn registering_creates_an_owner_signs_them_in_and_stores_only_a_hash() {
    let app = behind_one_proxy().await;
    let res = register(&app, "Ana@Tienda.MX").await;
    assert_eq!(res.status(), 200);
    let cookie = header(&res, "set-cookie").to_owned();
    assert!(cookie.starts_with("adronx_refresh="));
    for attr in ["HttpOnly", "SameSite=Lax", "Path=/", "Max-Age=604800"] {
        assert!(cookie.contains(attr), "{cookie} lacks {attr}");
    }
    assert!(!cookie.contains("Secure"), "plain-http local run");
    let grant: Value = res.json().await.unwrap();
    assert_eq!(grant["viewer"]["role"], "owner");
    assert_eq!(grant["viewer"]["org_name"], "Tienda Ana");
    assert_eq!(grant["viewer"]["email"], "ana@tienda.mx");
    assert!(grant["access_token"].as_str().unwrap().split('.').count() == 3);
    assert!(grant.get("refresh_token").is_none(), "the refresh token never appears in a body");
    let user = app.store.accounts.user_by_email("ana@tienda.mx").await.unwrap().unwrap();
    assert!(user.password_hash.starts_with("$2b$10$") && !user.password_hash.contains(PASSWORD));
}

#[tokio::test]
async fn bad_registrations_are_refused_with_their_code_and_store_nothing() {
    let app = behind_one_proxy().await;
    let res =
        app.client.post(app.url("/api/auth/register")).form(&registration("a@b.co", "short")).send().await.unwrap();
    assert_eq!(res.status(), 422);
    assert_eq!(res.json::<Value>().await.unwrap()["code"], "error-password-short");
    assert!(app.store.accounts.user_by_email("a@b.co").await.unwrap().is_none());
}

#[tokio::test]
async fn signing_up_with_a_known_address_answers_exactly_like_a_new_one() {
    let app = behind_one_proxy().await;
    assert_eq!(register(&app, "a@b.co").await.status(), 200);
    let post = |email: &'static str| {
        app.client.post(app.url("/api/auth/register")).form(&registration(email, PASSWORD)).send()
    };
    let (new, known) = (post("new@b.co").await.unwrap(), post("A@B.CO").await.unwrap());
    assert_eq!((new.status().as_u16(), known.status().as_u16()), (200, 200));
    assert!(new.headers().get("set-cookie").is_none() && known.headers().get("set-cookie").is_none());
    assert_eq!(new.text().await.unwrap(), known.text().await.unwrap());
    // Only the inbox learns the difference.
    let note = outbox_mail(&app, "a@b.co", "Subject: Ya tienes una cuenta de Adronx").await;
    assert!(!note.contains("/confirm?token="));
    outbox_mail(&app, "new@b.co", "/confirm?token=").await;
    assert!(
        app.store.accounts.user_by_email("new@b.co").await.unwrap().is_none(),
        "nothing exists before confirmation"
    );
}

#[tokio::test]
async fn a_confirmation_link_works_once() {
    let app = behind_one_proxy().await;
    app.client.post(app.url("/api/auth/register")).form(&registration("ana@b.co", PASSWORD)).send().await.unwrap();
    let mail = outbox_mail(&app, "ana@b.co", "/confirm?token=").await;
    let token = crate::helpers::token_after(&mail, "/confirm?token=");
    let confirm = || {
        app.client.post(app.url("/api/auth/confirm")).form(&[("token", token.as_str()), ("password", PASSWORD)]).send()
    };
    assert_eq!(confirm().await.unwrap().status(), 200);
    let again = confirm().await.unwrap();
    assert_eq!(again.status(), 400);
    assert_eq!(again.json::<Value>().await.unwrap()["code"], "error-confirm-invalid");
}

#[tokio::test]
async fn sign_in_failures_look_the_same_for_unknown_and_known_addresses() {
    let app = behind_one_proxy().await;
    register(&app, "ana@tienda.mx").await;
    let wrong = login(&app, "ana@tienda.mx", "not the password at all", "1.1.1.1").await;
    let unknown = login(&app, "nobody@tienda.mx", "not the password at all", "1.1.1.1").await;
    assert_eq!((wrong.status().as_u16(), unknown.status().as_u16()), (401, 401));
    assert_eq!(wrong.text().await.unwrap(), unknown.text().await.unwrap());
    let ok = login(&app, " ANA@tienda.mx ", PASSWORD, "1.1.1.1").await;
    assert_eq!(ok.status(), 200);
    let user = app.store.accounts.user_by_email("ana@tienda.mx").await.unwrap().unwrap();
    let events = app.store.accounts.recent_logins(&user.id, 10).await.unwrap();
    assert_eq!(events.len(), 2, "registration and sign-in");
    assert_eq!(events[0].ip, "1.1.1.1");
}

#[tokio::test]
async fn repeated_failures_are_throttled_per_address_without_locking_the_owner_out() {
    let app = behind_one_proxy().await;
    register(&app, "ana@tienda.mx").await;
    for _ in 0..5 {
        assert_eq!(login(&app, "ana@tienda.mx", "guessing-guessing", "6.6.6.6").await.status(), 401);
    }
    let blocked = login(&app, "ana@tienda.mx", PASSWORD, "6.6.6.6").await;
    assert_eq!(blocked.status(), 429);
    assert_eq!(blocked.json::<Value>().await.unwrap()["code"], "error-too-many-attempts");
    assert_eq!(login(&app, "ana@tienda.mx", PASSWORD, "7.7.7.7").await.status(), 200, "the owner elsewhere");
}

/// After the grace window (1 s here) a rotated token is a replay: the whole family ends, the
/// token that replaced it included.
#[tokio::test]
async fn refresh_rotates_and_a_replayed_token_ends_the_whole_session() {
    let app = spawn_app_with(&[("ADRONX_REFRESH_GRACE_SECS", "1")]).await;
    let first = refresh_cookie(&register(&app, "ana@tienda.mx").await);
    let res = refresh(&app, &first).await;
    assert_eq!(res.status(), 200);
    let second = refresh_cookie(&res);
    assert_ne!(first, second);
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let replay = refresh(&app, &first).await;
    assert_eq!(replay.status(), 401);
    assert_eq!(replay.json::<Value>().await.unwrap()["code"], "error-session-expired");
    assert_eq!(refresh(&app, &second).await.status(), 401, "the family was revoked");
}

/// Two tabs (here six requests) refreshing at once with one cookie: one rotation wins and every
/// other request is handed the winner's token, so the session goes on with exactly one live token.
#[tokio::test]
async fn tabs_refreshing_at_once_share_the_winners_token() {
    let app = spawn_app().await;
    let token = refresh_cookie(&register(&app, "ana@tienda.mx").await);
    let calls = (0..6).map(|_| refresh(&app, &token));
    let results = futures_util::future::join_all(calls).await;
    assert!(results.iter().all(|r| r.status() == 200), "{:?}", results.iter().map(|r| r.status()).collect::<Vec<_>>());
    let tokens: std::collections::BTreeSet<String> = results.iter().map(refresh_cookie).collect();
    assert_eq!(tokens.len(), 1, "one new token, handed to every tab");
    let winner = tokens.into_iter().next().unwrap();
    assert_ne!(winner, token);
    let next = refresh(&app, &winner).await;
    assert_eq!(next.status(), 200, "the shared token is live");
    // A tab that slept through two rotations is handed the newest token, not a spent one.
    let newest = refresh_cookie(&next);
    let late = refresh(&app, &token).await;
    assert_eq!(refresh_cookie(&late), newest);
}

#[tokio::test]
async fn sign_out_clears_the_cookie_and_ends_the_session() {
    let app = behind_one_proxy().await;
    let token = refresh_cookie(&register(&app, "ana@tienda.mx").await);
    let viewer = with_cookie(&app, reqwest::Method::POST, app.url("/api/auth/viewer"), &token).send().await.unwrap();
    assert_eq!(viewer.json::<Value>().await.unwrap()["first_name"], "Ana");
    let out = with_cookie(&app, reqwest::Method::POST, app.url("/api/auth/logout"), &token)
        .header("sec-fetch-site", "same-origin")
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), 200);
    assert!(header(&out, "set-cookie").contains("Max-Age=0"));
    assert_eq!(refresh(&app, &token).await.status(), 401);
    let gone = with_cookie(&app, reqwest::Method::POST, app.url("/api/auth/viewer"), &token).send().await.unwrap();
    assert_eq!(gone.json::<Value>().await.unwrap(), Value::Null);
}

#[tokio::test]
async fn cookie_authenticated_calls_refuse_cross_site_requests() {
    let app = behind_one_proxy().await;
    let token = refresh_cookie(&register(&app, "ana@tienda.mx").await);
    for (name, value) in [("sec-fetch-site", "cross-site"), ("origin", "https://evil.example.org")] {
        let res = with_cookie(&app, reqwest::Method::POST, app.url("/api/auth/refresh"), &token)
            .header(name, value)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 403, "{name}: {value}");
    }
    assert_eq!(refresh(&app, &token).await.status(), 200, "the token was not consumed by the refused calls");
}

#[tokio::test]
async fn the_app_is_rendered_on_the_server_for_a_signed_in_user_and_redirects_anyone_else() {
    let app = behind_one_proxy().await;
    let anonymous = app.client.get(app.url("/app/contacts")).header("accept", "text/html").send().await.unwrap();
    assert_eq!(anonymous.status(), 302);
    assert_eq!(header(&anonymous, "location"), "/login?next=/app/contacts");
    let token = refresh_cookie(&register(&app, "ana@tienda.mx").await);
    let page = with_cookie(&app, reqwest::Method::GET, app.url("/app/contacts"), &token)
        .header("accept-language", "es")
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let body = page.text().await.unwrap();
    for text in ["Tienda Ana", "Ana Pérez", "Propietario", "Ningún contacto coincide", "Cerrar sesión"] {
        assert!(body.contains(text), "missing {text}");
    }
    // Rendering does not rotate the cookie: it still refreshes.
    assert_eq!(refresh(&app, &token).await.status(), 200);
}

#[tokio::test]
async fn plain_form_sign_in_sets_the_cookie_and_goes_to_the_requested_page() {
    let app = behind_one_proxy().await;
    register(&app, "ana@tienda.mx").await;
    let res = app
        .client
        .post(app.url("/api/auth/login"))
        .header("accept", "text/html")
        .header("referer", format!("{}/login?next=/app/settings", app.address))
        .form(&[("email", "ana@tienda.mx"), ("password", PASSWORD), ("next", "/app/settings")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 302);
    assert_eq!(header(&res, "location"), "/app/settings");
    assert!(header(&res, "set-cookie").starts_with("adronx_refresh="));
    let evil = app
        .client
        .post(app.url("/api/auth/login"))
        .header("accept", "text/html")
        .form(&[("email", "ana@tienda.mx"), ("password", PASSWORD), ("next", "//evil.example.org")])
        .send()
        .await
        .unwrap();
    assert_eq!(header(&evil, "location"), "/app", "no open redirect");
}

fn max_age(res: &reqwest::Response) -> i64 {
    let cookie = header(res, "set-cookie");
    cookie.split("Max-Age=").nth(1).unwrap().split(';').next().unwrap().parse().unwrap()
}

#[tokio::test]
async fn rotation_never_extends_the_seven_day_lifetime() {
    let app = behind_one_proxy().await;
    let first = register(&app, "ana@tienda.mx").await;
    assert_eq!(max_age(&first), 7 * 24 * 3600);
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let rotated = refresh(&app, &refresh_cookie(&first)).await;
    assert!(max_age(&rotated) < 7 * 24 * 3600, "the family's end stays where it was");
}

#[tokio::test]
async fn signed_in_pages_are_not_rendered_for_cross_site_requests() {
    let app = behind_one_proxy().await;
    let token = refresh_cookie(&register(&app, "ana@tienda.mx").await);
    let res = app
        .client
        .get(app.url("/app/settings"))
        .header("accept", "text/html")
        .header("cookie", format!("adronx_refresh={token}"))
        .header("sec-fetch-site", "cross-site")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 302);
    assert!(header(&res, "location").starts_with("/login"));
}

#[tokio::test]
async fn names_are_rendered_as_text_never_as_html() {
    let app = behind_one_proxy().await;
    let form = [
        ("first_name", "<script>alert(1)</script>"),
        ("last_name", "<img src=x onerror=alert(2)>"),
        ("email", "xss@tienda.mx"),
        ("password", PASSWORD),
        ("organisation", "<b>Org</b>"),
        ("lang", "en"),
    ];
    let token = refresh_cookie(&sign_up(&app, None, &form).await);
    let body =
        with_cookie(&app, reqwest::Method::GET, app.url("/app"), &token).send().await.unwrap().text().await.unwrap();
    assert!(body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "escaped name");
    assert!(!body.contains("<script>alert(1)") && !body.contains("<img src=x") && !body.contains("<b>Org</b>"));
}

#[tokio::test]
async fn a_plain_post_error_shows_under_its_own_form_only() {
    let app = behind_one_proxy().await;
    let token = refresh_cookie(&register(&app, "ana@tienda.mx").await);
    let page = |query: &'static str| {
        with_cookie(&app, reqwest::Method::GET, app.url(&format!("/app/settings{query}")), &token)
            .header("accept-language", "en")
            .send()
    };
    let body = page("?error=error-password-wrong&form=password").await.unwrap().text().await.unwrap();
    assert_eq!(body.matches("Your current password is not correct.").count(), 1);
    let body = page("?error=<script>&form=password").await.unwrap().text().await.unwrap();
    assert!(!body.contains("form-status err"), "only our own codes are shown");
}

#[tokio::test]
async fn a_plain_route_knows_its_caller_by_bearer_token_or_same_origin_cookie() {
    let app = behind_one_proxy().await;
    let res = register(&app, "me@tienda.mx").await;
    let cookie = refresh_cookie(&res);
    let grant: Value = res.json().await.unwrap();
    let token = grant["access_token"].as_str().unwrap();

    let by_token = app.client.get(app.url("/api/me")).bearer_auth(token).send().await.unwrap();
    assert_eq!(by_token.status(), 200);
    let me: Value = by_token.json().await.unwrap();
    assert_eq!(
        (&me["user_id"], &me["org_id"], &me["role"]),
        (&grant["viewer"]["user_id"], &grant["viewer"]["org_id"], &Value::from("owner"))
    );

    let by_cookie = with_cookie(&app, reqwest::Method::GET, app.url("/api/me"), &cookie)
        .header("sec-fetch-site", "same-origin")
        .send()
        .await
        .unwrap();
    assert_eq!(by_cookie.status(), 200);
    let cross_site = with_cookie(&app, reqwest::Method::GET, app.url("/api/me"), &cookie)
        .header("sec-fetch-site", "cross-site")
        .send()
        .await
        .unwrap();
    assert_eq!(cross_site.status(), 403);
    let nobody = app.client.get(app.url("/api/me")).send().await.unwrap();
    assert_eq!(nobody.status(), 401);
    let body: Value = nobody.json().await.unwrap();
    assert_eq!(body["code"], "error-session-expired");
    let forged = app.client.get(app.url("/api/me")).bearer_auth("not.a.token").send().await.unwrap();
    assert_eq!(forged.status(), 401);
}

/// Pre-account takeover: someone signs up with another person's address and a password of their
/// own. The address's owner receives the link — but confirming needs the password chosen at
/// sign-up, so the sign-up can never become an account whose password the squatter knows.
#[tokio::test]
async fn a_sign_up_made_for_someone_elses_address_cannot_become_an_account() {
    let app = behind_one_proxy().await;
    let squatter = registration("victim@tienda.mx", "the squatter's own passphrase");
    app.client.post(app.url("/api/auth/register")).form(&squatter).send().await.unwrap();
    let mail = outbox_mail(&app, "victim@tienda.mx", "/confirm?token=").await;
    let token = crate::helpers::token_after(&mail, "/confirm?token=");
    // The address's owner follows the link without knowing that password.
    let confirm = |password: &'static str| {
        app.client.post(app.url("/api/auth/confirm")).form(&[("token", token.as_str()), ("password", password)]).send()
    };
    for guess in ["my own real password", "short"] {
        let res = confirm(guess).await.unwrap();
        assert!(res.headers().get("set-cookie").is_none());
        assert_eq!(res.status(), 401);
        assert_eq!(res.json::<Value>().await.unwrap()["code"], "error-confirm-password");
    }
    assert!(app.store.accounts.user_by_email("victim@tienda.mx").await.unwrap().is_none(), "no account exists");
    // Whoever chose the password (here, as a check, the sign-up's author) is the only one it works for.
    assert_eq!(confirm("the squatter's own passphrase").await.unwrap().status(), 200);
}

/// With no trusted proxy configured (the default), `X-Forwarded-For` is the client's own claim:
/// rotating it must not escape the throttle.
#[tokio::test]
async fn a_client_cannot_choose_its_address_to_escape_the_throttle() {
    let app = spawn_app().await;
    register(&app, "ana@tienda.mx").await;
    let mut statuses = vec![];
    for n in 0..7 {
        let res = login(&app, "ana@tienda.mx", "not the password at all", &format!("203.0.113.{n}")).await;
        statuses.push(res.status().as_u16());
    }
    assert_eq!(statuses[..5], [401; 5]);
    assert_eq!(statuses[5..], [429; 2], "{statuses:?}");
    let user = app.store.accounts.user_by_email("ana@tienda.mx").await.unwrap().unwrap();
    let events = app.store.accounts.recent_logins(&user.id, 10).await.unwrap();
    assert_eq!(events[0].ip, "127.0.0.1", "the socket's address, not the claimed one");
}

/// Forty wrong sign-ins at once for one address from one client: the attempt is counted before the
/// slow hash, so only the first few are checked and the rest are refused.
#[tokio::test]
async fn concurrent_guesses_are_counted_before_the_hash() {
    let app = spawn_app().await;
    register(&app, "ana@tienda.mx").await;
    let guesses = (0..40).map(|_| login(&app, "ana@tienda.mx", "not the password at all", "198.51.100.1"));
    let statuses: Vec<u16> =
        futures_util::future::join_all(guesses).await.iter().map(|r| r.status().as_u16()).collect();
    let refused = statuses.iter().filter(|s| **s == 429).count();
    assert!(refused >= 30, "{refused} of 40 refused: {statuses:?}");
    assert!(statuses.iter().all(|s| *s == 401 || *s == 429));
}

/// Twenty failures from twenty addresses put the account under attack. From then on a place the
/// account was never signed in from gets the same answer for a wrong and a right password, and
/// only the right one e-mails a single-use sign-in link; the owner's usual place signs in as ever.
#[tokio::test]
async fn an_account_under_attack_lets_new_places_in_only_through_an_emailed_link() {
    let app = behind_one_proxy().await;
    register(&app, "ana@tienda.mx").await;
    assert_eq!(login(&app, "ana@tienda.mx", PASSWORD, "7.7.7.7").await.status(), 200, "the owner's usual place");
    for n in 0..20 {
        let res = login(&app, "ana@tienda.mx", "guessing-guessing", &format!("203.0.113.{n}")).await;
        assert_eq!(res.status(), 401, "guess {n}");
    }
    let wrong = login(&app, "ana@tienda.mx", "guessing-guessing", "198.51.100.1").await;
    let right = login(&app, "ana@tienda.mx", PASSWORD, "198.51.100.2").await;
    assert!(right.headers().get("set-cookie").is_none(), "no session from a new place");
    for res in [wrong, right] {
        assert_eq!(res.status(), 401);
        assert_eq!(res.json::<Value>().await.unwrap()["code"], "error-sign-in-link-sent");
    }
    let mail = outbox_mail(&app, "ana@tienda.mx", "/login/link?token=").await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let links = std::fs::read_dir(app.data_dir().join("outbox"))
        .unwrap()
        .filter(|e| std::fs::read_to_string(e.as_ref().unwrap().path()).unwrap().contains("/login/link"))
        .count();
    assert_eq!(links, 1, "the wrong password sent nothing");
    let token = crate::helpers::token_after(&mail, "/login/link?token=");
    let page = app.get(&format!("/login/link?token={token}")).await.text().await.unwrap();
    assert!(page.contains("Sign in with your e-mailed link"), "the link's page, whose button posts the token");
    assert!(page.contains(&format!("value=\"{token}\"")));
    let use_link = || {
        app.client
            .post(app.url("/api/auth/login-link"))
            .header("x-forwarded-for", "198.51.100.2")
            .header("sec-fetch-site", "same-origin")
            .form(&[("token", token.as_str())])
            .send()
    };
    let signed_in = use_link().await.unwrap();
    assert_eq!(signed_in.status(), 200);
    assert!(header(&signed_in, "set-cookie").starts_with("adronx_refresh="));
    let again = use_link().await.unwrap();
    assert_eq!(again.json::<Value>().await.unwrap()["code"], "error-sign-in-link-invalid", "single use");
    // The usual place, and now the place the link was used from, sign in directly.
    assert_eq!(login(&app, "ana@tienda.mx", PASSWORD, "7.7.7.7").await.status(), 200);
    assert_eq!(login(&app, "ana@tienda.mx", PASSWORD, "198.51.100.2").await.status(), 200);
}

/// Sign-ups cost a bcrypt and an e-mail, reset requests an e-mail to any address: ten sign-ups an
/// hour per client; five reset requests an hour per address (and ten per client). Over a limit:
/// 429 with `Retry-After`; other clients and addresses are unaffected.
#[tokio::test]
async fn sign_ups_and_reset_requests_are_rate_limited() {
    let app = behind_one_proxy().await;
    let sign_up_from = |n: u32, ip: &'static str| {
        let form = registration(&format!("new{n}@tienda.mx"), PASSWORD);
        app.client.post(app.url("/api/auth/register")).header("x-forwarded-for", ip).form(&form).send()
    };
    for n in 0..10 {
        assert_eq!(sign_up_from(n, "192.0.2.1").await.unwrap().status(), 200, "sign-up {n}");
    }
    let over = sign_up_from(10, "192.0.2.1").await.unwrap();
    assert_eq!(over.status(), 429);
    assert_eq!(header(&over, "retry-after"), "3600");
    assert_eq!(over.json::<Value>().await.unwrap()["code"], "error-too-many-attempts");
    assert_eq!(sign_up_from(11, "192.0.2.2").await.unwrap().status(), 200, "another client");
    let forgot = |email: &'static str, ip: &'static str| {
        app.client.post(app.url("/api/auth/forgot")).header("x-forwarded-for", ip).form(&[("email", email)]).send()
    };
    let ips = ["192.0.2.10", "192.0.2.11", "192.0.2.12", "192.0.2.13", "192.0.2.14", "192.0.2.15"];
    for ip in &ips[..5] {
        assert_eq!(forgot("ana@tienda.mx", ip).await.unwrap().status(), 200);
    }
    assert_eq!(forgot("ana@tienda.mx", ips[5]).await.unwrap().status(), 429, "per address, from anywhere");
    assert_eq!(forgot("luis@tienda.mx", ips[5]).await.unwrap().status(), 200, "another address");
}
