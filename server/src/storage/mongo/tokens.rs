use super::{MongoStore, backend};
use crate::storage::{PurgeCounts, RefreshTokenRecord, ResetTokenRecord, StoreResult, TokenStore, to_millis};
use async_trait::async_trait;
use mongodb::bson::{Bson, doc};
use time::OffsetDateTime;

fn opt(t: Option<OffsetDateTime>) -> Bson {
    t.map(|t| Bson::Int64(to_millis(t))).unwrap_or(Bson::Null)
}

#[async_trait]
impl TokenStore for MongoStore {
    async fn insert_refresh_token(&self, t: &RefreshTokenRecord) -> StoreResult<()> {
        let doc = doc! {
            "_id": &t.token_hash, "user_id": &t.user_id, "family_id": &t.family_id,
            "expires_at": to_millis(t.expires_at), "revoked_at": opt(t.revoked_at), "created_at": to_millis(t.created_at),
        };
        self.raw("refresh_tokens").insert_one(doc).await.map(|_| ()).map_err(backend)
    }

    async fn insert_reset_token(&self, t: &ResetTokenRecord) -> StoreResult<()> {
        let doc = doc! {
            "_id": &t.token_hash, "user_id": &t.user_id, "expires_at": to_millis(t.expires_at),
            "used_at": opt(t.used_at), "created_at": to_millis(t.created_at),
        };
        self.raw("password_reset_tokens").insert_one(doc).await.map(|_| ()).map_err(backend)
    }

    async fn purge_tokens(&self, now: OffsetDateTime) -> StoreResult<PurgeCounts> {
        let now = to_millis(now);
        let refresh = self
            .raw("refresh_tokens")
            .delete_many(doc! { "$or": [ { "expires_at": { "$lte": now } }, { "revoked_at": { "$ne": Bson::Null } } ] })
            .await
            .map_err(backend)?;
        let reset = self
            .raw("password_reset_tokens")
            .delete_many(doc! { "$or": [ { "expires_at": { "$lte": now } }, { "used_at": { "$ne": Bson::Null } } ] })
            .await
            .map_err(backend)?;
        Ok(PurgeCounts { refresh_tokens: refresh.deleted_count, reset_tokens: reset.deleted_count })
    }
}
