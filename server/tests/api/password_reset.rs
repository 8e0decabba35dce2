use crate::helpers::{TestApp, sign_up, spawn_app_with};
use crate::smtp::SmtpSink;
use serde_json::Value;

const PASSWORD: &str = "correct horse battery staple";
const NEW_PASSWORD: &str = "an entirely new passphrase";

async fn setup() -> (TestApp, SmtpSink, String) {
    let smtp = SmtpSink::start().await;
    let app = spawn_app_with(&[("ADRONX_SMTP_URL", &smtp.url), ("ADRONX_PUBLIC_URL", "https://app.adronx.test")]).await;
    let form = [
        ("first_name", "Ana"),
        ("last_name", "Pérez"),
        ("email", "ana@tienda.mx"),
        ("password", PASSWORD),
        ("organisation", "Tienda"),
        ("lang", "en"),
    ];
    let res = sign_up(&app, Some(&smtp), &form).await;
    assert!(res.headers()["set-cookie"].to_str().unwrap().contains("; Secure"), "https public URL: Secure cookie");
    let cookie = res.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_owned();
    (app, smtp, cookie)
}

async fn forgot(app: &TestApp, email: &str) -> reqwest::Response {
    let form = [("email", email)];
    app.client.post(app.url("/api/auth/forgot")).header("host", "evil.example.org").form(&form).send().await.unwrap()
}

async fn reset(app: &TestApp, token: &str, password: &str) -> reqwest::Response {
    app.client.post(app.url("/api/auth/reset")).form(&[("token", token), ("password", password)]).send().await.unwrap()
}

/// The token in the reset link of a delivered e-mail (quoted-printable soft breaks removed).
fn token_in(mail: &str) -> String {
    let unfolded = mail.replace("=\n", "").replace("=3D", "=");
    let start =
        unfolded.find("https://app.adronx.test/reset-password?token=").expect("a link built from the public URL");
    unfolded[start..]
        .split("token=")
        .nth(1)
        .unwrap()
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect()
}

#[tokio::test]
async fn forgot_password_answers_the_same_for_unknown_addresses() {
    let (app, smtp, _) = setup().await;
    let known = forgot(&app, "ana@tienda.mx").await;
    let unknown = forgot(&app, "nobody@tienda.mx").await;
    assert_eq!((known.status().as_u16(), unknown.status().as_u16()), (200, 200));
    assert_eq!(known.text().await.unwrap(), unknown.text().await.unwrap());
    let mails = smtp.wait_for(1).await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(smtp.messages.lock().unwrap().len(), 1, "only the real account gets mail");
    assert_eq!(mails[0].to, vec!["ana@tienda.mx"]);
    assert!(!mails[0].data.contains("evil.example.org"), "links never come from the Host header");
}

#[tokio::test]
async fn a_reset_link_works_once_ends_every_session_and_sends_a_notice() {
    let (app, smtp, cookie) = setup().await;
    forgot(&app, "ana@tienda.mx").await;
    let token = token_in(&smtp.wait_for(1).await[0].data);
    let short = reset(&app, &token, "short").await;
    assert_eq!(short.status(), 422, "a policy failure does not use the token up");
    assert_eq!(reset(&app, &token, NEW_PASSWORD).await.status(), 200);
    let again = reset(&app, &token, NEW_PASSWORD).await;
    assert_eq!(again.status(), 400);
    assert_eq!(again.json::<Value>().await.unwrap()["code"], "error-reset-invalid");
    let refresh = app
        .client
        .post(app.url("/api/auth/refresh"))
        .header("cookie", &cookie)
        .header("sec-fetch-site", "same-origin")
        .send()
        .await
        .unwrap();
    assert_eq!(refresh.status(), 401, "the session from before the reset has ended");
    let notice = &smtp.wait_for(2).await[1];
    assert!(notice.data.contains("Subject: Your Adronx password was changed"));
    let login = |password: &'static str| {
        app.client.post(app.url("/api/auth/login")).form(&[("email", "ana@tienda.mx"), ("password", password)]).send()
    };
    assert_eq!(login(PASSWORD).await.unwrap().status(), 401);
    assert_eq!(login(NEW_PASSWORD).await.unwrap().status(), 200);
}

#[tokio::test]
async fn a_newer_request_voids_the_older_link() {
    let (app, smtp, _) = setup().await;
    forgot(&app, "ana@tienda.mx").await;
    let first = token_in(&smtp.wait_for(1).await[0].data);
    forgot(&app, "ana@tienda.mx").await;
    let second = token_in(&smtp.wait_for(2).await[1].data);
    assert_eq!(reset(&app, &first, NEW_PASSWORD).await.status(), 400);
    assert_eq!(reset(&app, &second, NEW_PASSWORD).await.status(), 200);
}

/// A refresh racing the reset can write its new token after the reset revoked the user's tokens.
/// Played here by writing that token directly: it carries the epoch from before the reset, so it
/// neither refreshes nor authenticates a call.
#[tokio::test]
async fn a_session_token_written_by_a_refresh_racing_the_reset_is_dead() {
    let (app, smtp, cookie) = setup().await;
    let hash = adronx::accounts::session::token_hash(&cookie["adronx_refresh=".len()..]);
    let old = app.store.tokens.refresh_token(&hash).await.unwrap().expect("the session's token");
    forgot(&app, "ana@tienda.mx").await;
    let token = token_in(&smtp.wait_for(1).await[0].data);
    assert_eq!(reset(&app, &token, NEW_PASSWORD).await.status(), 200);
    let raced = adronx::storage::tokens::RefreshTokenRecord {
        token_hash: adronx::accounts::session::token_hash("raced-token"),
        family_id: "a-family-the-reset-never-saw".into(),
        revoked_at: None,
        used_at: None,
        ..old
    };
    app.store.tokens.insert_refresh_token(&raced).await.unwrap();
    let with_raced = |path: &str| {
        app.client
            .post(app.url(path))
            .header("cookie", "adronx_refresh=raced-token")
            .header("sec-fetch-site", "same-origin")
            .send()
    };
    assert_eq!(with_raced("/api/auth/refresh").await.unwrap().status(), 401);
    assert_eq!(with_raced("/api/profile").await.unwrap().status(), 401);
}
