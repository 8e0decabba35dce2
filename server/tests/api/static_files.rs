use crate::helpers::{header, spawn_app};

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
