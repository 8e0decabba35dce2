use crate::helpers::{TestApp, sign_up, spawn_app_with};
use crate::smtp::SmtpSink;
use serde_json::Value;

const PASSWORD: &str = "correct horse battery staple";

struct Session {
    cookie: String,
    access: String,
}

async fn setup() -> (TestApp, SmtpSink) {
    let smtp = SmtpSink::start().await;
    let app = spawn_app_with(&[("ADRONX_SMTP_URL", &smtp.url)]).await;
    (app, smtp)
}

async fn session_of(res: reqwest::Response) -> Session {
    assert_eq!(res.status(), 200);
    let cookie = res.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_owned();
    let grant: Value = res.json().await.unwrap();
    Session { cookie, access: grant["access_token"].as_str().unwrap().to_owned() }
}

async fn register(app: &TestApp, smtp: &SmtpSink, email: &str, org: &str) -> Session {
    let form = [
        ("first_name", "Ana"),
        ("last_name", "Owner"),
        ("email", email),
        ("password", PASSWORD),
        ("organisation", org),
        ("lang", "en"),
    ];
    session_of(sign_up(app, Some(smtp), &form).await).await
}

/// A call from one of our pages, authenticated by the session cookie.
async fn call(app: &TestApp, who: &Session, endpoint: &str, form: &[(&str, &str)]) -> reqwest::Response {
    app.client
        .post(app.url(&format!("/api/{endpoint}")))
        .header("cookie", &who.cookie)
        .header("sec-fetch-site", "same-origin")
        .form(form)
        .send()
        .await
        .unwrap()
}

/// The stored record of the refresh token in a `adronx_refresh=…` cookie.
async fn refresh_record(app: &TestApp, cookie: &str) -> adronx::storage::tokens::RefreshTokenRecord {
    use sha2::Digest;
    let token = cookie.trim_start_matches("adronx_refresh=");
    let hash = hex::encode(sha2::Sha256::digest(token.as_bytes()));
    app.store.tokens.refresh_token(&hash).await.unwrap().expect("a stored refresh token")
}

fn invite_token(mail: &str) -> String {
    let unfolded = mail.replace("=\n", "").replace("=3D", "=");
    let at = unfolded.find("/invite?token=").expect("an invitation link");
    unfolded[at + 14..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect()
}

async fn code(res: reqwest::Response) -> (u16, String) {
    let status = res.status().as_u16();
    let body: Value = res.json().await.unwrap_or(Value::Null);
    (status, body["code"].as_str().unwrap_or("").to_owned())
}

#[tokio::test]
async fn invite_accept_promote_and_remove_take_effect_at_once() {
    let (app, smtp) = setup().await;
    let owner = register(&app, &smtp, "ana@tienda.mx", "Tienda").await;
    assert_eq!(
        call(&app, &owner, "members/invite", &[("email", "Luis@Tienda.mx"), ("role_name", "member")]).await.status(),
        200
    );
    let mail = smtp.wait_for(1).await[0].clone();
    assert_eq!(mail.to, vec!["luis@tienda.mx"]);
    assert!(mail.data.contains("Subject: Ana Owner invited you to Tienda on Adronx"), "{}", mail.data);
    let token = invite_token(&mail.data);

    let preview: Value = app
        .client
        .post(app.url("/api/invitations/preview"))
        .form(&[("token", &token)])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        (preview["email"].as_str(), preview["existing_account"].as_bool()),
        (Some("luis@tienda.mx"), Some(false))
    );
    // The page renders the invitation on the server (it is loaded before the page renders) and
    // hands it to the browser with the page; a token that opens none is said so, translated.
    let get = |path: String| app.client.get(app.url(&path)).header("accept", "text/html").send();
    let html = get(format!("/invite?token={token}")).await.unwrap().text().await.unwrap();
    assert!(html.contains("Tienda — luis@tienda.mx (Member)"), "{html}");
    assert!(html.contains(r#"id="invite-first""#), "a new account's name fields: {html}");
    let html = get("/invite?token=not-a-token".into()).await.unwrap().text().await.unwrap();
    assert!(html.contains("This invitation is invalid, used, revoked or expired."), "{html}");
    assert!(!html.contains("invite-password"), "no form for a refused token: {html}");

    let accept = [("token", token.as_str()), ("first_name", "Luis"), ("last_name", "García"), ("password", PASSWORD)];
    let luis =
        session_of(app.client.post(app.url("/api/invitations/accept")).form(&accept).send().await.unwrap()).await;
    let again = app.client.post(app.url("/api/invitations/accept")).form(&accept).send().await.unwrap();
    assert_eq!(code(again).await, (404, "error-invite-invalid".into()), "single use");

    // A member manages nobody.
    assert_eq!(code(call(&app, &luis, "members/overview", &[]).await).await.0, 403);
    let invite = [("email", "x@y.co"), ("role_name", "member")];
    assert_eq!(code(call(&app, &luis, "members/invite", &invite).await).await.0, 403);

    let overview: Value = call(&app, &owner, "members/overview", &[]).await.json().await.unwrap();
    let luis_id = overview["members"][1]["user_id"].as_str().unwrap().to_owned();
    assert_eq!(overview["members"][1]["role"], "member");

    // Promotion is effective on Luis's very next call.
    assert_eq!(
        call(&app, &owner, "members/role", &[("user_id", &luis_id), ("role_name", "admin")]).await.status(),
        200
    );
    assert_eq!(call(&app, &luis, "members/overview", &[]).await.status(), 200);
    let owner_id = overview["members"][0]["user_id"].as_str().unwrap().to_owned();
    let demote_owner = [("user_id", owner_id.as_str()), ("role_name", "member")];
    assert_eq!(
        code(call(&app, &luis, "members/role", &demote_owner).await).await.0,
        403,
        "admins cannot demote owners"
    );
    let make_owner = [("user_id", luis_id.as_str()), ("role_name", "owner")];
    assert_eq!(code(call(&app, &luis, "members/role", &make_owner).await).await.0, 403, "admins cannot create owners");
    assert_eq!(code(call(&app, &owner, "members/role", &demote_owner).await).await, (409, "error-last-owner".into()));

    // Removal ends access at once, whichever way Luis authenticates.
    assert_eq!(call(&app, &owner, "members/remove", &[("user_id", &luis_id)]).await.status(), 200);
    assert_eq!(code(call(&app, &luis, "members/overview", &[]).await).await.0, 401);
    let bearer = app
        .client
        .post(app.url("/api/members/overview"))
        .header("authorization", format!("Bearer {}", luis.access))
        .send()
        .await
        .unwrap();
    assert_eq!(bearer.status(), 401, "a still-valid access token is re-checked against membership");
}

#[tokio::test]
async fn another_organisations_ids_answer_like_missing_ones() {
    let (app, smtp) = setup().await;
    let ana = register(&app, &smtp, "ana@tienda.mx", "Tienda").await;
    let eve = register(&app, &smtp, "eve@other.mx", "Other").await;
    call(&app, &ana, "members/invite", &[("email", "luis@tienda.mx"), ("role_name", "member")]).await;
    smtp.wait_for(1).await;
    let overview: Value = call(&app, &ana, "members/overview", &[]).await.json().await.unwrap();
    let ana_id = overview["members"][0]["user_id"].as_str().unwrap().to_owned();
    let invitation = overview["invitations"][0]["id"].as_str().unwrap().to_owned();
    assert_eq!(
        code(call(&app, &eve, "members/remove", &[("user_id", &ana_id)]).await).await,
        (404, "error-not-found".into())
    );
    assert_eq!(
        code(call(&app, &eve, "members/revoke", &[("id", &invitation)]).await).await,
        (404, "error-not-found".into())
    );
    assert_eq!(
        code(call(&app, &eve, "members/remove", &[("user_id", "no-such-id")]).await).await,
        (404, "error-not-found".into())
    );
}

#[tokio::test]
async fn an_existing_account_joins_with_its_own_password_and_a_revoked_link_is_dead() {
    let (app, smtp) = setup().await;
    let ana = register(&app, &smtp, "ana@tienda.mx", "Tienda").await;
    register(&app, &smtp, "luis@tienda.mx", "Luis Co").await;
    call(&app, &ana, "members/invite", &[("email", "luis@tienda.mx"), ("role_name", "admin")]).await;
    let token = invite_token(&smtp.wait_for(1).await[0].data);
    let wrong = [("token", token.as_str()), ("password", "someone else's password")];
    let res = app.client.post(app.url("/api/invitations/accept")).form(&wrong).send().await.unwrap();
    assert_eq!(code(res).await, (401, "error-login-invalid".into()), "bound to the invited account");
    let right = [("token", token.as_str()), ("password", PASSWORD)];
    let res = app.client.post(app.url("/api/invitations/accept")).form(&right).send().await.unwrap();
    let accepted_cookie = res.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_owned();
    let grant: Value = res.json().await.unwrap();
    assert_eq!(
        (grant["viewer"]["org_name"].as_str(), grant["viewer"]["role"].as_str()),
        (Some("Tienda"), Some("admin"))
    );
    assert_eq!(grant["viewer"]["orgs"].as_array().unwrap().len(), 2, "an agency user belongs to several");
    let luis = Session { cookie: accepted_cookie, access: grant["access_token"].as_str().unwrap().to_owned() };
    let own_org = grant["viewer"]["orgs"].as_array().unwrap().iter().find(|o| o[1] == "Luis Co").unwrap()[0].clone();
    let own_org = own_org.as_str().unwrap();
    // A bearer token alone cannot switch: that would mint a cookie session from a token.
    let bearer_only = app
        .client
        .post(app.url("/api/auth/switch"))
        .header("authorization", format!("Bearer {}", luis.access))
        .form(&[("org_id", own_org)])
        .send()
        .await
        .unwrap();
    assert!(bearer_only.headers().get("set-cookie").is_none());
    assert_eq!(code(bearer_only).await, (401, "error-session-expired".into()));
    // The browser session switches, and stays the same session: same family, same absolute end.
    let before = refresh_record(&app, &luis.cookie).await;
    let res = call(&app, &luis, "auth/switch", &[("org_id", own_org)]).await;
    let switched_cookie = res.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_owned();
    let switched: Value = res.json().await.unwrap();
    assert_eq!(
        (switched["viewer"]["org_name"].as_str(), switched["viewer"]["role"].as_str()),
        (Some("Luis Co"), Some("owner"))
    );
    let after = refresh_record(&app, &switched_cookie).await;
    assert_eq!((&after.family_id, after.expires_at), (&before.family_id, before.expires_at));
    assert_eq!(code(call(&app, &luis, "profile", &[]).await).await.0, 401, "the switched-from cookie was rotated");

    call(&app, &ana, "members/invite", &[("email", "rosa@tienda.mx"), ("role_name", "member")]).await;
    let token = invite_token(&smtp.wait_for(2).await[1].data);
    let overview: Value = call(&app, &ana, "members/overview", &[]).await.json().await.unwrap();
    let id = overview["invitations"][0]["id"].as_str().unwrap().to_owned();
    assert_eq!(call(&app, &ana, "members/revoke", &[("id", &id)]).await.status(), 200);
    let res = app.client.post(app.url("/api/invitations/preview")).form(&[("token", &token)]).send().await.unwrap();
    assert_eq!(code(res).await, (404, "error-invite-invalid".into()));
}

#[tokio::test]
async fn profile_rectification_password_change_and_switching_organisations() {
    let (app, smtp) = setup().await;
    let ana = register(&app, &smtp, "ana@tienda.mx", "Tienda").await;
    let profile: Value = call(&app, &ana, "profile", &[]).await.json().await.unwrap();
    assert_eq!(profile["recent_sign_ins"].as_array().unwrap().len(), 1);
    let update = [("first_name", "Ana María"), ("last_name", "Pérez"), ("lang", "es")];
    assert_eq!(call(&app, &ana, "profile/update", &update).await.status(), 200);
    let profile: Value = call(&app, &ana, "profile", &[]).await.json().await.unwrap();
    assert_eq!((profile["first_name"].as_str(), profile["lang"].as_str()), (Some("Ana María"), Some("es")));

    // A second browser session, which the password change must end.
    let other = session_of(
        app.client
            .post(app.url("/api/auth/login"))
            .form(&[("email", "ana@tienda.mx"), ("password", PASSWORD)])
            .send()
            .await
            .unwrap(),
    )
    .await;
    let wrong = [("current_password", "not my password at all"), ("new_password", "a fresh new passphrase")];
    assert_eq!(code(call(&app, &ana, "profile/password", &wrong).await).await, (401, "error-password-wrong".into()));
    let right = [("current_password", PASSWORD), ("new_password", "a fresh new passphrase")];
    let renewed = session_of(call(&app, &ana, "profile/password", &right).await).await;
    assert_eq!(code(call(&app, &other, "profile", &[]).await).await.0, 401, "other sessions ended");
    for stale in [&ana.access, &other.access] {
        let res = app.client.post(app.url("/api/profile")).bearer_auth(stale).send().await.unwrap();
        assert_eq!(code(res).await, (401, "error-session-expired".into()), "access tokens from before the change");
    }
    assert_eq!(call(&app, &renewed, "profile", &[]).await.status(), 200, "this browser stays signed in");
    let notice = smtp.wait_for(1).await;
    assert!(
        notice[0].data.contains("Hola") && !notice[0].data.contains("Your Adronx password"),
        "in the profile's language"
    );

    // Switching to an organisation one does not belong to answers like a missing one.
    let res = call(&app, &renewed, "auth/switch", &[("org_id", "someone-elses-org")]).await;
    assert_eq!(code(res).await, (404, "error-not-found".into()));
}

/// An admin may not resend an owner's invitation — and a refused resend leaves the invitee's link
/// working (the role is checked before the link is renewed).
#[tokio::test]
async fn a_refused_resend_leaves_the_invitation_untouched() {
    let (app, smtp) = setup().await;
    let ana = register(&app, &smtp, "ana@tienda.mx", "Tienda").await;
    call(&app, &ana, "members/invite", &[("email", "luis@tienda.mx"), ("role_name", "admin")]).await;
    let token = invite_token(&smtp.wait_for(1).await[0].data);
    let accept = [("token", token.as_str()), ("first_name", "Luis"), ("last_name", "García"), ("password", PASSWORD)];
    let luis =
        session_of(app.client.post(app.url("/api/invitations/accept")).form(&accept).send().await.unwrap()).await;

    call(&app, &ana, "members/invite", &[("email", "rosa@tienda.mx"), ("role_name", "owner")]).await;
    let rosa_token = invite_token(&smtp.wait_for(2).await[1].data);
    let overview: Value = call(&app, &ana, "members/overview", &[]).await.json().await.unwrap();
    let id = overview["invitations"][0]["id"].as_str().unwrap().to_owned();

    let res = call(&app, &luis, "members/resend", &[("id", &id)]).await;
    assert_eq!(code(res).await, (403, "error-forbidden".into()));
    let preview = app.client.post(app.url("/api/invitations/preview")).form(&[("token", &rosa_token)]).send().await;
    assert_eq!(preview.unwrap().status(), 200, "the link Rosa has still works");
}
