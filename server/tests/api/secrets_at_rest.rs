//! No usable secret at rest: the job queue (kept a week, dead jobs for ever) never holds a reset,
//! confirmation or invitation link.

use crate::helpers::{outbox_mail, sign_up, spawn_app, token_after};

#[tokio::test]
async fn job_payloads_hold_no_usable_link() {
    let app = spawn_app().await;
    let form = [
        ("first_name", "Ana"),
        ("last_name", "Pérez"),
        ("email", "owner@tienda.mx"),
        ("password", "correct horse battery staple"),
        ("organisation", "Tienda"),
        ("lang", "es"),
    ];
    let session = sign_up(&app, None, &form).await;
    let confirm_token = token_after(&outbox_mail(&app, "owner@tienda.mx", "/confirm?token=").await, "/confirm?token=");
    let grant: serde_json::Value = session.json().await.unwrap();
    let bearer = grant["access_token"].as_str().unwrap().to_owned();

    let invite = app
        .client
        .post(app.url("/api/members/invite"))
        .bearer_auth(&bearer)
        .form(&[("email", "agent@tienda.mx"), ("role_name", "member")])
        .send()
        .await
        .unwrap();
    assert_eq!(invite.status(), 200);
    let invite_token = token_after(&outbox_mail(&app, "agent@tienda.mx", "/invite?token=").await, "/invite?token=");

    let forgot = app.client.post(app.url("/api/auth/forgot")).form(&[("email", "owner@tienda.mx")]).send().await;
    assert_eq!(forgot.unwrap().status(), 200);
    let reset_token =
        token_after(&outbox_mail(&app, "owner@tienda.mx", "/reset-password?token=").await, "/reset-password?token=");

    let db =
        sqlx::SqlitePool::connect(&format!("sqlite:{}", app.data_dir().join("adronx.db").display())).await.unwrap();
    let payloads: Vec<(String, String)> =
        sqlx::query_as("SELECT kind, payload FROM jobs").fetch_all(&db).await.unwrap();
    assert!(payloads.iter().filter(|(kind, _)| kind == "email.send").count() >= 3, "{payloads:?}");
    for (kind, payload) in &payloads {
        for token in [&confirm_token, &invite_token, &reset_token] {
            assert!(!payload.contains(token.as_str()), "{kind} job holds a live token: {payload}");
        }
        assert!(!payload.contains("token="), "{kind} job holds a link: {payload}");
    }
}
