//! The signed-in pages keep rendering, one request after another and several at once.
//!
//! leptos-rs/leptos#4673: a page's render spawns tasks for its resources and suspense boundaries,
//! and leptos' reactive graph can deadlock when one render's tasks run on two threads at once —
//! here the whole server stopped answering after a few hundred renders of `/app/contacts`. The
//! binary now serves HTTP from single-threaded runtimes (one per CPU); this test runs it as
//! production does, in a process of its own.

use crate::support::{free_port, sign_up, start, wait_ready};
use std::time::Duration;

const PAGES: [&str; 4] = ["/app/contacts", "/app/contacts?q=contact", "/app/contacts/import", "/app/settings"];

/// One page, with a deadline for the answer and one for the whole body.
async fn render(client: &reqwest::Client, url: String, cookie: &str) -> Result<String, String> {
    let limit = Duration::from_secs(10);
    let res = tokio::time::timeout(limit, client.get(&url).header("cookie", cookie).send())
        .await
        .map_err(|_| format!("{url}: no answer within 10 s"))?
        .map_err(|e| format!("{url}: {e}"))?;
    let status = res.status();
    let body = tokio::time::timeout(limit, res.text())
        .await
        .map_err(|_| format!("{url}: the page did not finish within 10 s"))?
        .map_err(|e| format!("{url}: {e}"))?;
    if status != 200 {
        return Err(format!("{url}: {status}"));
    }
    // What the browser hydrates from: a resource the render showed as data must not reach it as
    // an error (a server function that lost its request's context answered `error-internal`).
    if body.contains(r#"__RESOLVED_RESOURCES"#) && body.contains(r#"= "{\"Err"#) {
        return Err(format!("{url}: a resource resolved to an error for hydration"));
    }
    Ok(body)
}

#[tokio::test]
async fn signed_in_pages_render_hundreds_of_times_in_a_row_and_at_once() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let data = tempfile::tempdir().unwrap();
    let client = reqwest::Client::builder().timeout(Duration::from_secs(30)).build().unwrap();
    let server = start(data.path(), free_port());
    wait_ready(&client, &server).await;
    let owner = sign_up(&client, &server, data.path()).await;
    for n in 0..5 {
        let form = [("display_name", format!("Contact {n}")), ("phone", format!("+52 55 1234 567{n}"))];
        let res = client
            .post(format!("{}/api/contacts/create", server.base))
            .bearer_auth(&owner.access)
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
    }
    for n in 0..400 {
        let url = format!("{}{}", server.base, PAGES[n % PAGES.len()]);
        let body = render(&client, url, &owner.cookie).await.unwrap_or_else(|e| panic!("render {n}: {e}"));
        if n % PAGES.len() == 0 {
            assert!(body.contains("Contact 4"), "render {n} lists the contacts");
        }
    }
    // Four clients at once, so both HTTP threads render side by side.
    let clients = (0..4).map(|c| {
        let (client, base, cookie) = (client.clone(), server.base.clone(), owner.cookie.clone());
        tokio::spawn(async move {
            for n in 0..100 {
                let url = format!("{base}{}", PAGES[(n + c) % PAGES.len()]);
                render(&client, url, &cookie).await.map_err(|e| format!("client {c}, render {n}: {e}"))?;
            }
            Ok::<_, String>(())
        })
    });
    for outcome in futures_util::future::join_all(clients).await {
        outcome.unwrap().unwrap();
    }
}
