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
