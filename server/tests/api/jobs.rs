use crate::helpers::spawn_app_with;
use adronx::storage::StoreError;
use adronx::storage::tokens::RefreshTokenRecord;
use time::OffsetDateTime;

#[tokio::test]
async fn the_scheduler_purges_expired_refresh_tokens_in_the_background() {
    let app = spawn_app_with(&[("ADRONX_SCHEDULE_EVERY_SECS", "1")]).await;
    let expired = RefreshTokenRecord {
        token_hash: "h".repeat(64),
        user_id: "u".into(),
        family_id: "f".into(),
        org_id: None,
        used_at: None,
        expires_at: OffsetDateTime::now_utc() - time::Duration::minutes(1),
        revoked_at: None,
        created_at: OffsetDateTime::now_utc() - time::Duration::days(8),
        successor: None,
        epoch: 0,
    };
    app.store.tokens.insert_refresh_token(&expired).await.unwrap();
    // The same hash can be inserted again only once the purge job has deleted the first.
    for _ in 0..50 {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        match app.store.tokens.insert_refresh_token(&expired).await {
            Ok(()) => return,
            Err(StoreError::Duplicate) => continue,
            Err(e) => panic!("{e}"),
        }
    }
    panic!("the expired token was never purged");
}

/// On a shutdown signal the workers stop claiming at once — not after the HTTP drain, which a
/// slow client can hold up — and the drain itself has a deadline.
#[tokio::test]
async fn shutdown_stops_claiming_at_once_and_the_drain_has_a_deadline() {
    use tokio::io::AsyncWriteExt;
    let (app, data_dir) = crate::helpers::build_app(&[]).await;
    let test_app = crate::helpers::TestApp::new(&app, data_dir);
    let (signal, received) = tokio::sync::oneshot::channel::<()>();
    let running = tokio::spawn(app.run_until(async move {
        let _ = received.await;
    }));
    // A client that never finishes sending its request body keeps the HTTP drain waiting.
    let mut slow = tokio::net::TcpStream::connect(test_app.address.trim_start_matches("http://")).await.unwrap();
    let head = "POST /api/contact HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n\
                Content-Length: 1000\r\n\r\nname=slow";
    slow.write_all(head.as_bytes()).await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let started = std::time::Instant::now();
    signal.send(()).unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let id = adronx::jobs::enqueue(&*test_app.store.jobs, adronx::jobs::RETENTION, serde_json::json!({}), None)
        .await
        .unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    let job = test_app.store.jobs.job(&id).await.unwrap().unwrap();
    assert_eq!(job.status, adronx::storage::jobs::JobStatus::Queued, "no job is claimed after the signal");
    let late = test_app.client.get(test_app.url("/readyz")).send().await;
    assert!(late.is_err(), "no new connection is served after the signal: {late:?}");
    let stopped = tokio::time::timeout(std::time::Duration::from_secs(20), running).await;
    assert!(stopped.is_ok(), "the drain deadline ended the wait for the slow client");
    assert!(started.elapsed() >= std::time::Duration::from_secs(9), "the drain did wait for the slow client");
    drop(slow);
}
