use crate::helpers::{header, spawn_app};

const GOOD: [(&str, &str); 6] = [
    ("name", "Ana Pérez"),
    ("email", "ana@tienda.mx"),
    ("company", "Tienda"),
    ("message", "Queremos una demostración de la bandeja."),
    ("website", ""),
    ("lang", "es"),
];

fn with(field: &str, value: &'static str) -> Vec<(&'static str, &'static str)> {
    GOOD.iter().map(|&(k, v)| if k == field { (k, value) } else { (k, v) }).collect()
}

#[tokio::test]
async fn a_valid_message_is_stored() {
    let app = spawn_app().await;
    let res = app.client.post(app.url("/api/contact")).form(&GOOD).send().await.unwrap();
    assert_eq!(res.status(), 200, "{:?}", res.text().await);
    let stored = app.store.enquiries.recent_enquiries(10).await.unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].message.name, "Ana Pérez");
    assert_eq!(stored[0].message.lang.code(), "es");
}

#[tokio::test]
async fn invalid_fields_get_their_code_and_nothing_is_stored() {
    let app = spawn_app().await;
    for (field, value, code) in [
        ("name", "  ", "error-contact-name"),
        ("email", "not-an-email", "error-contact-email"),
        ("message", "short", "error-contact-message-short"),
    ] {
        let res = app.client.post(app.url("/api/contact")).form(&with(field, value)).send().await.unwrap();
        assert_eq!(res.status(), 422, "{field}");
        let body: serde_json::Value = res.json().await.unwrap();
        assert_eq!(body["code"], code);
    }
    assert!(app.store.enquiries.recent_enquiries(10).await.unwrap().is_empty());
}

#[tokio::test]
async fn a_missing_field_is_a_bad_request() {
    let app = spawn_app().await;
    let res = app.client.post(app.url("/api/contact")).form(&[("name", "Ana")]).send().await.unwrap();
    assert_eq!(res.status(), 400);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["code"], "error-bad-request");
}

#[tokio::test]
async fn the_honeypot_drops_bots_silently() {
    let app = spawn_app().await;
    let res = app.client.post(app.url("/api/contact")).form(&with("website", "http://spam")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(app.store.enquiries.recent_enquiries(10).await.unwrap().is_empty());
}

#[tokio::test]
async fn plain_html_posts_are_redirected_back_with_the_outcome() {
    let app = spawn_app().await;
    let post = |form: Vec<(&'static str, &'static str)>| {
        app.client
            .post(app.url("/api/contact"))
            .header("accept", "text/html,application/xhtml+xml")
            .header("referer", format!("{}/es?error=old", app.address))
            .form(&form)
            .send()
    };
    let ok = post(GOOD.to_vec()).await.unwrap();
    assert_eq!(ok.status(), 302);
    assert_eq!(header(&ok, "location"), "/es?sent=contact#contact");
    let bad = post(with("email", "nope")).await.unwrap();
    assert_eq!(bad.status(), 302);
    assert_eq!(header(&bad, "location"), "/es?error=error-contact-email&form=contact#contact");
    assert_eq!(app.store.enquiries.recent_enquiries(10).await.unwrap().len(), 1);

    // The page it lands on shows the outcome, rendered on the server.
    let page = app.get("/es?sent=contact").await.text().await.unwrap();
    assert!(page.contains("tu mensaje nos ha llegado"));
    let page = app.get("/es?error=error-contact-email").await.text().await.unwrap();
    assert!(page.contains("Escribe una dirección de correo válida"));
}

#[tokio::test]
async fn a_forged_referer_cannot_redirect_elsewhere() {
    let app = spawn_app().await;
    let res = app
        .client
        .post(app.url("/api/contact"))
        .header("accept", "text/html")
        .header("referer", "https://evil.example.org//evil.example.org/x")
        .form(&GOOD)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 302);
    assert_eq!(header(&res, "location"), "/?sent=contact#contact");
}

/// Each message sends an e-mail to an address anyone can type: five an hour per client address,
/// then 429 with `Retry-After`, and nothing more is stored; another client is unaffected.
#[tokio::test]
async fn messages_are_rate_limited_per_client_and_nothing_over_the_limit_is_stored() {
    let app = crate::helpers::spawn_app_with(&[("ADRONX_TRUSTED_PROXIES", "1")]).await;
    let post =
        |ip: &'static str| app.client.post(app.url("/api/contact")).header("x-forwarded-for", ip).form(&GOOD).send();
    for _ in 0..5 {
        assert_eq!(post("192.0.2.5").await.unwrap().status(), 200);
    }
    let over = post("192.0.2.5").await.unwrap();
    assert_eq!(over.status(), 429);
    assert_eq!(header(&over, "retry-after"), "3600");
    assert_eq!(over.json::<serde_json::Value>().await.unwrap()["code"], "error-too-many-attempts");
    assert_eq!(post("192.0.2.6").await.unwrap().status(), 200, "another client");
    assert_eq!(app.store.enquiries.recent_enquiries(10).await.unwrap().len(), 6);
}
