use crate::helpers::spawn_app;

#[tokio::test]
async fn the_landing_page_is_server_rendered_in_english_by_default() {
    let app = spawn_app().await;
    let res = app.get("/").await;
    assert_eq!(res.status(), 200);
    let body = res.text().await.unwrap();
    assert!(body.contains(r#"<html lang="en" dir="ltr""#), "{}", &body[..300.min(body.len())]);
    for text in
        ["Every conversation answered", "Shared WhatsApp inbox", "Simple pricing", "Talk to us", "Get started free"]
    {
        assert!(body.contains(text), "missing {text}");
    }
}

#[tokio::test]
async fn accept_language_picks_the_language_of_an_unprefixed_page() {
    let app = spawn_app().await;
    let body = app.get_with_lang("/", "es-MX,es;q=0.9,en;q=0.5").await.text().await.unwrap();
    assert!(body.contains(r#"<html lang="es" dir="ltr""#));
    assert!(body.contains("Empieza gratis"));
    let body = app.get_with_lang("/privacy", "ar").await.text().await.unwrap();
    assert!(body.contains(r#"<html lang="ar" dir="rtl""#));
}

#[tokio::test]
async fn the_url_prefix_beats_accept_language() {
    let app = spawn_app().await;
    let body = app.get_with_lang("/ar/terms", "es").await.text().await.unwrap();
    assert!(body.contains(r#"<html lang="ar" dir="rtl""#));
    assert!(body.contains("شروط الخدمة"));
    let body = app.get_with_lang("/en", "es").await.text().await.unwrap();
    assert!(body.contains(r#"<html lang="en""#));
}

#[tokio::test]
async fn pages_list_their_alternates_for_crawlers() {
    let app = spawn_app().await;
    let body = app.get("/es/privacy").await.text().await.unwrap();
    for (lang, path) in [("en", "/en/privacy"), ("es", "/es/privacy"), ("ar", "/ar/privacy"), ("x-default", "/privacy")]
    {
        let link = format!(r#"<link rel="alternate" hreflang="{lang}" href="{}{path}""#, app.address);
        assert!(body.contains(&link), "missing {link}");
    }
}

#[tokio::test]
async fn the_privacy_policy_states_the_seed_facts() {
    let app = spawn_app().await;
    let body = app.get("/privacy").await.text().await.unwrap();
    for fact in [
        "bcrypt",
        "AES-256",
        "WABA",
        "30 minutes",
        "7 days",
        "SHA-256",
        "1 hour",
        "90 days",
        "30 days",
        "60 requests per minute",
        "adronx_lang",
        "HttpOnly",
        "Microsoft Azure",
        "MongoDB Atlas",
        "Anthropic",
        "SMTP",
        "under 13",
        "18",
        "privacy@adronx.com",
        "security@adronx.com",
        "Portability",
        "GDPR",
        "1 March 2026",
        "TLS 1.2",
        "Azure Key Vault",
        "train AI models",
    ] {
        assert!(body.contains(fact), "privacy policy lacks {fact:?}");
    }
}

#[tokio::test]
async fn unknown_pages_and_language_prefixes_are_404() {
    let app = spawn_app().await;
    assert_eq!(app.get("/no-such-page").await.status(), 404);
    let res = app.get("/xx").await;
    assert_eq!(res.status(), 404);
    assert!(res.text().await.unwrap().contains("Page not found"));
    assert_eq!(app.get("/es/privacy").await.status(), 200);
}

#[tokio::test]
async fn public_pages_load_nothing_from_other_origins() {
    let app = spawn_app().await;
    for path in ["/", "/es/privacy", "/ar/terms"] {
        let body = app.get(path).await.text().await.unwrap();
        for attr in ["src=\"http", "src=\"//", "href=\"//"] {
            assert!(!body.contains(attr), "{path} loads a foreign resource ({attr})");
        }
        let foreign_stylesheet =
            body.split("<link").skip(1).any(|l| l.contains("stylesheet") && l.contains("href=\"http"));
        assert!(!foreign_stylesheet, "{path}");
    }
}
