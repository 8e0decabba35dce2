use crate::helpers::{header, owner, page, spawn_app, spawn_app_with};

#[tokio::test]
async fn built_assets_are_served_precompressed_when_the_browser_accepts_it() {
    let app = spawn_app().await;
    let pkg = app.data_dir().join("site/pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    std::fs::write(pkg.join("adronx.js"), "console.log('plain')").unwrap();
    std::fs::write(pkg.join("adronx.js.br"), b"brotli bytes").unwrap();
    let br = app.client.get(app.url("/pkg/adronx.js")).header("accept-encoding", "br").send().await.unwrap();
    assert_eq!(header(&br, "content-encoding"), "br");
    assert_eq!(br.bytes().await.unwrap().as_ref(), b"brotli bytes");
    let plain = app.client.get(app.url("/pkg/adronx.js")).header("accept-encoding", "identity").send().await.unwrap();
    assert!(plain.headers().get("content-encoding").is_none());
    assert_eq!(plain.text().await.unwrap(), "console.log('plain')");
    assert_eq!(app.get("/pkg/missing.js").await.status(), 404);
}

#[tokio::test]
async fn public_files_at_the_root_are_served_not_taken_for_pages() {
    let app = spawn_app().await;
    let site = app.data_dir().join("site");
    std::fs::create_dir_all(&site).unwrap();
    std::fs::write(site.join("favicon.svg"), "<svg/>").unwrap();
    let res = app.get("/favicon.svg").await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.text().await.unwrap(), "<svg/>");
}

/// A site directory holding (fake) split bundles, as scripts/build-public.sh leaves them.
fn site_with_split_bundles() -> tempfile::TempDir {
    let site = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(site.path().join("pkg")).unwrap();
    std::fs::write(site.path().join("pkg/public.wasm"), b"\0asm").unwrap();
    std::fs::write(site.path().join("pkg/account.wasm"), b"\0asm").unwrap();
    site
}

/// Which bundles' script or wasm a page's HTML names, of the three (every page names the one
/// stylesheet, `/pkg/adronx.css`).
fn bundles(html: &str) -> Vec<&'static str> {
    // (The wasm's name has a `_bg` suffix in a build made without cargo-leptos, as this test's.)
    let names = |b: &str| [format!("/pkg/{b}.js"), format!("/pkg/{b}.wasm"), format!("/pkg/{b}_bg.wasm")];
    ["public", "account", "adronx"].into_iter().filter(|b| names(b).iter().any(|n| html.contains(n.as_str()))).collect()
}

#[tokio::test]
async fn each_page_loads_only_its_own_bundle() {
    let site = site_with_split_bundles();
    let app = spawn_app_with(&[("LEPTOS_SITE_ROOT", site.path().to_str().unwrap())]).await;
    for path in ["/", "/es", "/es/privacy", "/ar/terms", "/terms", "/nowhere"] {
        let html = app.get_with_lang(path, "en").await.text().await.unwrap();
        assert_eq!(bundles(&html), ["public"], "{path} loads the public site's bundle alone");
    }
    for path in ["/login", "/login/link", "/register", "/forgot-password", "/reset-password", "/invite", "/confirm"] {
        let html = app.get_with_lang(path, "en").await.text().await.unwrap();
        assert_eq!(bundles(&html), ["account"], "{path} loads the account pages' bundle alone");
    }
    let owner = owner(&app, "weight@example.com").await;
    for path in ["/app", "/app/inbox", "/app/contacts"] {
        let html = page(&app, &owner, path, "en").await;
        assert_eq!(bundles(&html), ["adronx"], "{path} loads the app's bundle");
    }
}

#[tokio::test]
async fn without_the_split_bundles_every_page_loads_the_apps() {
    let app = spawn_app().await;
    for path in ["/", "/login"] {
        let html = app.get(path).await.text().await.unwrap();
        assert_eq!(bundles(&html), ["adronx"], "{path}");
    }
    // One of the two is not enough: a page must never name a file that is missing.
    let site = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(site.path().join("pkg")).unwrap();
    std::fs::write(site.path().join("pkg/public.wasm"), b"\0asm").unwrap();
    let app = spawn_app_with(&[("LEPTOS_SITE_ROOT", site.path().to_str().unwrap())]).await;
    assert_eq!(bundles(&app.get("/").await.text().await.unwrap()), ["adronx"]);
}

#[tokio::test]
async fn a_page_names_the_strings_of_its_language_and_the_server_serves_exactly_those() {
    let app = spawn_app().await;
    let version = app::i18n::strings_version();
    for (path, accept, lang) in [("/", "es-MX,es;q=0.9", "es"), ("/ar/privacy", "en", "ar"), ("/login", "fr", "en")] {
        let html = app.get_with_lang(path, accept).await.text().await.unwrap();
        assert!(html.contains(&format!(r#"<meta name="adronx-strings" content="{version}""#)), "{path}");
        assert!(html.contains(&format!(r#"href="/locales/{lang}.ftl?v={version}""#)), "{path} preloads {lang}");
        assert_eq!(html.matches("/locales/").count(), 1, "{path} names one language's strings");
    }
    let url = app.url(&format!("/locales/ar.ftl?v={version}"));
    let br = app.client.get(&url).header("accept-encoding", "br").send().await.unwrap();
    assert_eq!(br.status(), 200);
    assert_eq!(header(&br, "content-encoding"), "br");
    assert_eq!(header(&br, "cache-control"), "public, max-age=31536000, immutable");
    let etag = header(&br, "etag").to_owned();
    let compressed = br.bytes().await.unwrap();
    let mut text = Vec::new();
    brotli::BrotliDecompress(&mut compressed.as_ref(), &mut text).unwrap();
    assert_eq!(text, app::i18n::SOURCES[2].as_bytes());
    let plain = app.client.get(&url).header("accept-encoding", "identity").send().await.unwrap();
    assert!(plain.headers().get("content-encoding").is_none());
    assert_eq!(header(&plain, "content-type"), "text/plain; charset=utf-8");
    assert_eq!(plain.text().await.unwrap(), app::i18n::SOURCES[2]);
    // A stale or missing version is served, but never kept.
    let stale = app.get("/locales/ar.ftl?v=0123").await;
    assert_eq!(header(&stale, "cache-control"), "no-cache");
    let again = app.client.get(&url).header("if-none-match", &etag).send().await.unwrap();
    assert_eq!(again.status(), 304);
    for missing in ["/locales/fr.ftl", "/locales/en.json", "/locales/..%2Fen.ftl"] {
        assert_eq!(app.get(missing).await.status(), 404, "{missing}");
    }
}
