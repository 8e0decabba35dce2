use crate::helpers::{header, spawn_app, spawn_app_with};

#[tokio::test]
async fn pages_carry_a_nonce_csp_without_unsafe_inline_and_the_nonce_is_on_the_scripts() {
    let app = spawn_app().await;
    let res = app.get("/").await;
    assert_eq!(res.status(), 200);
    let csp = header(&res, "content-security-policy").to_owned();
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    let nonce = csp.split("'nonce-").nth(1).and_then(|s| s.split('\'').next()).expect("nonce in CSP").to_owned();
    assert!(nonce.len() >= 16);
    let body = res.text().await.unwrap();
    let scripts = body.matches("<script").count();
    let with_nonce = body.matches(&format!("nonce=\"{nonce}\"")).count();
    assert!(scripts >= 2 && with_nonce == scripts, "{scripts} scripts, {with_nonce} with the nonce");
    // A second response gets a different nonce.
    let again = app.get("/").await;
    assert_ne!(header(&again, "content-security-policy"), csp);
}

#[tokio::test]
async fn every_response_has_the_security_headers_and_a_request_id() {
    let app = spawn_app().await;
    for path in ["/", "/healthz", "/no-such-page", "/pkg/missing.js"] {
        let res = app.get(path).await;
        assert_eq!(header(&res, "x-content-type-options"), "nosniff", "{path}");
        assert_eq!(header(&res, "x-frame-options"), "DENY", "{path}");
        assert_eq!(header(&res, "referrer-policy"), "strict-origin-when-cross-origin", "{path}");
        assert!(header(&res, "content-security-policy").contains("default-src 'self'"), "{path}");
        assert_eq!(header(&res, "x-request-id").len(), 36, "{path}");
        assert!(res.headers().get("strict-transport-security").is_none(), "no HSTS over plain local http");
    }
}

#[tokio::test]
async fn a_request_id_from_the_caller_is_echoed() {
    let app = spawn_app().await;
    let res = app.client.get(app.url("/healthz")).header("x-request-id", "abc-123").send().await.unwrap();
    assert_eq!(header(&res, "x-request-id"), "abc-123");
}

#[tokio::test]
async fn behind_https_plain_http_gets_redirected_or_refused_and_hsts_is_sent() {
    let app = spawn_app_with(&[("ADRONX_PUBLIC_URL", "https://app.example.com")]).await;
    let res = app
        .client
        .get(app.url("/privacy?x=1"))
        .header("x-forwarded-proto", "http")
        .header("host", "evil.example.org")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 308);
    assert_eq!(header(&res, "location"), "https://app.example.com/privacy?x=1");

    let post = app
        .client
        .post(app.url("/api/contact"))
        .header("x-forwarded-proto", "http")
        .form(&[("name", "A")])
        .send()
        .await
        .unwrap();
    assert_eq!(post.status(), 403);

    let secure = app.client.get(app.url("/")).header("x-forwarded-proto", "https").send().await.unwrap();
    assert_eq!(secure.status(), 200);
    assert!(header(&secure, "strict-transport-security").starts_with("max-age=31536000"));
}

#[tokio::test]
async fn the_api_takes_forms_only_and_refuses_oversized_bodies() {
    let app = spawn_app().await;
    // A JSON object where a string belongs never reaches a query.
    let json = app
        .client
        .post(app.url("/api/auth/login"))
        .header("content-type", "application/json")
        .body(r#"{"email":{"$ne":null},"password":"x"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(json.status(), 415);
    assert_eq!(json.json::<serde_json::Value>().await.unwrap()["code"], "error-unsupported-media-type");
    let big = "x".repeat(70 * 1024);
    let res = app.client.post(app.url("/api/contact")).form(&[("message", big.as_str())]).send().await.unwrap();
    assert_eq!(res.status(), 413);
    assert_eq!(header(&res, "connection"), "close", "the unread body ends the connection: the client is told");
    assert_eq!(res.json::<serde_json::Value>().await.unwrap()["code"], "error-too-large");
    let no_type = app.client.post(app.url("/api/contact")).body("name=a").send().await.unwrap();
    assert_eq!(no_type.status(), 415);
}

/// Login CSRF: another site must not be able to sign a visitor in to an account of its choosing.
/// Every call that starts a session refuses cross-site requests before doing anything.
#[tokio::test]
async fn session_starting_calls_refuse_cross_site_forms() {
    let app = spawn_app().await;
    let calls: [(&str, &[(&str, &str)]); 4] = [
        ("/api/auth/login", &[("email", "a@b.co"), ("password", "correct horse battery staple")]),
        ("/api/auth/confirm", &[("token", "whatever"), ("password", "correct horse battery staple")]),
        ("/api/invitations/accept", &[("token", "whatever"), ("password", "correct horse battery staple")]),
        ("/api/auth/login-link", &[("token", "whatever")]),
    ];
    for (path, form) in calls {
        for (name, value) in [("sec-fetch-site", "cross-site"), ("origin", "https://evil.example")] {
            let res = app.client.post(app.url(path)).header(name, value).form(form).send().await.unwrap();
            assert_eq!(res.status(), 403, "{path} with {name}: {value}");
            assert!(res.headers().get("set-cookie").is_none(), "{path}");
            let body: serde_json::Value = res.json().await.unwrap();
            assert_eq!(body["code"], "error-forbidden");
        }
        // From our own pages the same call goes through to its own answer.
        let ours = app.client.post(app.url(path)).header("sec-fetch-site", "same-origin").form(form).send().await;
        assert_ne!(ours.unwrap().status(), 403, "{path}");
    }
}

#[tokio::test]
async fn a_client_request_id_is_kept_only_when_it_is_a_short_safe_token() {
    let app = spawn_app().await;
    let echoed = |id: &'static str| {
        let app = &app;
        async move {
            let res = app.client.get(app.url("/healthz")).header("x-request-id", id).send().await.unwrap();
            header(&res, "x-request-id").to_owned()
        }
    };
    assert_eq!(echoed("req-2026_11.27").await, "req-2026_11.27");
    for bad in ["<script>alert(1)</script>", "a b", "id\"with\"quotes", "{\"$ne\":null}"] {
        let got = echoed(bad).await;
        assert_ne!(got, bad);
        assert_eq!(got.len(), 36, "a fresh UUID instead of {bad:?}: {got}");
    }
    let long: &'static str = Box::leak("x".repeat(65).into_boxed_str());
    assert_eq!(echoed(long).await.len(), 36);
}
