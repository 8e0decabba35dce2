use crate::storage::mongo::{MongoStore, backend};
use crate::storage::{StoreResult, to_millis};
use crate::storage::tokens::{PurgeCounts, RefreshTokenRecord, ResetTokenRecord, SessionMember, TokenStore};
use app::ids::UserId;
use async_trait::async_trait;
use futures_util::TryStreamExt;
use mongodb::bson::{Bson, doc};
use mongodb::options::ReturnDocument;
use time::OffsetDateTime;

/// This area's indexes (see `MongoStore::index`).
pub(crate) async fn ensure_indexes(m: &MongoStore) -> mongodb::error::Result<()> {
    m.index("refresh_tokens", doc! { "expires_at": 1 }, None).await?;
    m.index("refresh_tokens", doc! { "family_id": 1 }, None).await?;
    m.index("refresh_tokens", doc! { "user_id": 1 }, None).await?;
    m.index("revoked_families", doc! { "keep_until": 1 }, None).await?;
    m.index("password_reset_tokens", doc! { "expires_at": 1 }, None).await?;
    m.index("sign_in_links", doc! { "expires_at": 1 }, None).await?;
    m.index("password_reset_tokens", doc! { "user_id": 1 }, None).await
}

impl MongoStore {
    fn refresh_tokens(&self) -> mongodb::Collection<RefreshTokenRecord> {
        self.typed("refresh_tokens")
    }

    fn reset_tokens(&self) -> mongodb::Collection<ResetTokenRecord> {
        self.typed("password_reset_tokens")
    }

    fn sign_in_links(&self) -> mongodb::Collection<ResetTokenRecord> {
        self.typed("sign_in_links")
    }

    async fn family_revoked(&self, family_id: &str) -> StoreResult<bool> {
        let families = self.raw("revoked_families");
        Ok(families.find_one(doc! { "_id": family_id }).await.map_err(backend)?.is_some())
    }
}

/// Single-use e-mailed tokens (reset tokens, sign-in links) share one shape.
async fn use_one_time(
    tokens: &mongodb::Collection<ResetTokenRecord>,
    hash: &str,
    now: OffsetDateTime,
) -> StoreResult<Option<ResetTokenRecord>> {
    let now = to_millis(now);
    let filter = doc! { "_id": hash, "used_at": Bson::Null, "expires_at": { "$gt": now } };
    tokens
        .find_one_and_update(filter, doc! { "$set": { "used_at": now } })
        .return_document(ReturnDocument::After)
        .await
        .map_err(backend)
}

#[async_trait]
impl TokenStore for MongoStore {
    async fn insert_refresh_token(&self, t: &RefreshTokenRecord) -> StoreResult<()> {
        self.refresh_tokens().insert_one(t).await.map(|_| ()).map_err(backend)
    }

    async fn use_refresh_token(
        &self,
        hash: &str,
        now: OffsetDateTime,
        successor: &str,
    ) -> StoreResult<Option<RefreshTokenRecord>> {
        let now = to_millis(now);
        let filter =
            doc! { "_id": hash, "used_at": Bson::Null, "revoked_at": Bson::Null, "expires_at": { "$gt": now } };
        let used = self
            .refresh_tokens()
            .find_one_and_update(filter, doc! { "$set": { "used_at": now, "successor": successor } })
            .return_document(ReturnDocument::After)
            .await
            .map_err(backend)?;
        // The family is checked after the use: a revocation that lands between the two still
        // wins, because the token is then spent and its successor's use is checked the same way.
        match used {
            Some(t) if !self.family_revoked(&t.family_id).await? => Ok(Some(t)),
            _ => Ok(None),
        }
    }

    async fn refresh_token(&self, hash: &str) -> StoreResult<Option<RefreshTokenRecord>> {
        self.refresh_tokens().find_one(doc! { "_id": hash }).await.map_err(backend)
    }

    async fn session_member(&self, hash: &str, now: OffsetDateTime) -> StoreResult<Option<SessionMember>> {
        // One aggregation: the live token joined with the membership of its user in its organisation.
        let pipeline = vec![
            doc! { "$match": { "_id": hash, "used_at": Bson::Null, "revoked_at": Bson::Null, "expires_at": { "$gt": to_millis(now) } } },
            doc! { "$lookup": {
                "from": "memberships",
                "let": { "org": "$org_id", "user": "$user_id" },
                "pipeline": [ { "$match": { "$expr": { "$and": [
                    { "$eq": ["$org_id", "$$org"] }, { "$eq": ["$user_id", "$$user"] },
                ] } } } ],
                "as": "membership",
            } },
            doc! { "$unwind": "$membership" },
            doc! { "$lookup": { "from": "users", "localField": "user_id", "foreignField": "_id", "as": "user" } },
            doc! { "$unwind": "$user" },
            doc! { "$match": { "$expr": { "$eq": [ { "$ifNull": ["$user.session_epoch", 0] }, { "$ifNull": ["$epoch", 0] } ] } } },
            doc! { "$lookup": { "from": "revoked_families", "localField": "family_id", "foreignField": "_id", "as": "revoked" } },
            doc! { "$match": { "revoked": { "$size": 0 } } },
            doc! { "$project": { "_id": 0, "user_id": 1, "org_id": 1, "role": "$membership.role" } },
        ];
        let mut found = self.refresh_tokens().aggregate(pipeline).with_type::<SessionMember>().await.map_err(backend)?;
        found.try_next().await.map_err(backend)
    }

    async fn revoke_refresh_family(
        &self,
        family_id: &str,
        now: OffsetDateTime,
        keep_until: OffsetDateTime,
    ) -> StoreResult<u64> {
        let family = doc! { "$setOnInsert": { "revoked_at": to_millis(now), "keep_until": to_millis(keep_until) } };
        self.raw("revoked_families")
            .update_one(doc! { "_id": family_id }, family)
            .upsert(true)
            .await
            .map_err(backend)?;
        let filter = doc! { "family_id": family_id, "revoked_at": Bson::Null };
        let tokens = self.refresh_tokens();
        let done = tokens.update_many(filter, doc! { "$set": { "revoked_at": to_millis(now) } }).await;
        Ok(done.map_err(backend)?.modified_count)
    }

    async fn revoke_user_refresh_tokens(&self, user: &UserId, now: OffsetDateTime) -> StoreResult<u64> {
        let filter = doc! { "user_id": user.as_str(), "revoked_at": Bson::Null };
        let tokens = self.refresh_tokens();
        let done = tokens.update_many(filter, doc! { "$set": { "revoked_at": to_millis(now) } }).await;
        Ok(done.map_err(backend)?.modified_count)
    }

    async fn insert_reset_token(&self, t: &ResetTokenRecord) -> StoreResult<()> {
        self.reset_tokens().insert_one(t).await.map(|_| ()).map_err(backend)
    }

    async fn use_reset_token(&self, hash: &str, now: OffsetDateTime) -> StoreResult<Option<ResetTokenRecord>> {
        use_one_time(&self.reset_tokens(), hash, now).await
    }

    async fn insert_sign_in_link(&self, t: &ResetTokenRecord) -> StoreResult<()> {
        self.sign_in_links().insert_one(t).await.map(|_| ()).map_err(backend)
    }

    async fn use_sign_in_link(&self, hash: &str, now: OffsetDateTime) -> StoreResult<Option<ResetTokenRecord>> {
        use_one_time(&self.sign_in_links(), hash, now).await
    }

    async fn void_reset_tokens(&self, user: &UserId, now: OffsetDateTime) -> StoreResult<()> {
        let filter = doc! { "user_id": user.as_str(), "used_at": Bson::Null };
        self.reset_tokens()
            .update_many(filter, doc! { "$set": { "used_at": to_millis(now) } })
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn purge_tokens(&self, now: OffsetDateTime) -> StoreResult<PurgeCounts> {
        let now = to_millis(now);
        let refresh = self
            .refresh_tokens()
            .delete_many(doc! { "$or": [ { "expires_at": { "$lte": now } }, { "revoked_at": { "$ne": Bson::Null } } ] })
            .await
            .map_err(backend)?;
        let reset = self
            .reset_tokens()
            .delete_many(doc! { "$or": [ { "expires_at": { "$lte": now } }, { "used_at": { "$ne": Bson::Null } } ] })
            .await
            .map_err(backend)?;
        self.sign_in_links()
            .delete_many(doc! { "$or": [ { "expires_at": { "$lte": now } }, { "used_at": { "$ne": Bson::Null } } ] })
            .await
            .map_err(backend)?;
        self.raw("revoked_families")
            .delete_many(doc! { "keep_until": { "$lte": now } })
            .await
            .map_err(backend)?;
        Ok(PurgeCounts { refresh_tokens: refresh.deleted_count, reset_tokens: reset.deleted_count })
    }
}
