use crate::storage::mongo::{MongoStore, backend};
use crate::storage::{StoreResult, millis, to_millis};
use crate::storage::accounts::{AccountStore, LoginEvent, MemberAccess, MembershipRecord, OrgRecord, PendingRegistration, UserRecord};
use app::accounts::model::Role;
use app::ids::{OrgId, UserId};
use async_trait::async_trait;
use futures_util::TryStreamExt;
use mongodb::bson::doc;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// This area's indexes (see `MongoStore::index`).
pub(crate) async fn ensure_indexes(m: &MongoStore) -> mongodb::error::Result<()> {
    m.index("users", doc! { "email": 1 }, Some("email")).await?;
    m.index("memberships", doc! { "org_id": 1, "user_id": 1 }, Some("org_id")).await?;
    m.index("memberships", doc! { "user_id": 1 }, None).await?;
    m.index("login_events", doc! { "user_id": 1, "at": -1 }, None).await?;
    m.index("login_failures", doc! { "key": 1, "at": 1 }, None).await
}

/// A membership as stored (the record joins it with its organisation).
#[derive(Serialize, Deserialize)]
pub(crate) struct MembershipDoc {
    pub(crate) org_id: OrgId,
    pub(crate) user_id: UserId,
    pub(crate) role: Role,
    #[serde(with = "millis")]
    pub(crate) created_at: OffsetDateTime,
}

impl MongoStore {
    pub(crate) fn users(&self) -> mongodb::Collection<UserRecord> {
        self.typed("users")
    }
    fn orgs(&self) -> mongodb::Collection<OrgRecord> {
        self.typed("organisations")
    }
    pub(crate) fn members(&self) -> mongodb::Collection<MembershipDoc> {
        self.typed("memberships")
    }
}

#[async_trait]
impl AccountStore for MongoStore {
    async fn create_owner(&self, user: &UserRecord, org: &OrgRecord) -> StoreResult<()> {
        // No multi-document transaction: the user goes first (its unique e-mail index decides),
        // and a later failure removes what was written.
        self.users().insert_one(user).await.map_err(backend)?;
        let rest = async {
            self.orgs().insert_one(org).await?;
            let m = MembershipDoc {
                org_id: org.id.clone(),
                user_id: user.id.clone(),
                role: Role::Owner,
                created_at: user.created_at,
            };
            self.members().insert_one(m).await.map(|_| ())
        };
        if let Err(e) = rest.await {
            let _ = self.users().delete_one(doc! { "_id": user.id.as_str() }).await;
            let _ = self.orgs().delete_one(doc! { "_id": org.id.as_str() }).await;
            return Err(backend(e));
        }
        Ok(())
    }

    async fn user_by_email(&self, email: &str) -> StoreResult<Option<UserRecord>> {
        Ok(self.users().find_one(doc! { "email": email }).await.map_err(backend)?)
    }

    async fn user(&self, id: &UserId) -> StoreResult<Option<UserRecord>> {
        Ok(self.users().find_one(doc! { "_id": id.as_str() }).await.map_err(backend)?)
    }

    async fn set_password_hash(&self, id: &UserId, hash: &str) -> StoreResult<()> {
        self.users()
            .update_one(doc! { "_id": id.as_str() }, doc! { "$set": { "password_hash": hash }, "$inc": { "session_epoch": 1 } })
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn update_profile(&self, id: &UserId, first_name: &str, last_name: &str, lang: &str) -> StoreResult<()> {
        let set = doc! { "$set": { "first_name": first_name, "last_name": last_name, "lang": lang } };
        self.users().update_one(doc! { "_id": id.as_str() }, set).await.map_err(backend)?;
        Ok(())
    }

    async fn role_in(&self, org: &OrgId, user: &UserId) -> StoreResult<Option<Role>> {
        let found = self
            .members()
            .find_one(doc! { "org_id": org.as_str(), "user_id": user.as_str() })
            .await
            .map_err(backend)?;
        Ok(found.map(|m| m.role))
    }

    async fn access(&self, org: &OrgId, user: &UserId) -> StoreResult<Option<MemberAccess>> {
        let pipeline = vec![
            doc! { "$match": { "org_id": org.as_str(), "user_id": user.as_str() } },
            doc! { "$lookup": { "from": "users", "localField": "user_id", "foreignField": "_id", "as": "user" } },
            doc! { "$unwind": "$user" },
            doc! { "$project": { "_id": 0, "role": 1, "session_epoch": { "$ifNull": ["$user.session_epoch", 0] } } },
        ];
        let mut found = self.members().aggregate(pipeline).with_type::<MemberAccess>().await.map_err(backend)?;
        found.try_next().await.map_err(backend)
    }

    async fn memberships(&self, user: &UserId) -> StoreResult<Vec<MembershipRecord>> {
        // One aggregation: the user's memberships, oldest first, each joined with its organisation.
        let pipeline = vec![
            doc! { "$match": { "user_id": user.as_str() } },
            doc! { "$sort": { "created_at": 1, "org_id": 1 } },
            doc! { "$lookup": { "from": "organisations", "localField": "org_id", "foreignField": "_id", "as": "org" } },
            doc! { "$unwind": "$org" },
            doc! { "$project": { "_id": 0, "org": 1, "role": 1 } },
        ];
        let found = self.members().aggregate(pipeline).with_type::<MembershipRecord>().await.map_err(backend)?;
        found.try_collect().await.map_err(backend)
    }

    async fn record_login(&self, e: &LoginEvent) -> StoreResult<()> {
        self.typed::<LoginEvent>("login_events").insert_one(e).await.map(|_| ()).map_err(backend)
    }

    async fn recent_logins(&self, user: &UserId, limit: u32) -> StoreResult<Vec<LoginEvent>> {
        self.typed::<LoginEvent>("login_events")
            .find(doc! { "user_id": user.as_str() })
            .sort(doc! { "at": -1, "_id": 1 })
            .limit(limit as i64)
            .await
            .map_err(backend)?
            .try_collect()
            .await
            .map_err(backend)
    }

    async fn record_attempt(&self, key: &str, at: OffsetDateTime) -> StoreResult<()> {
        self.raw("login_failures")
            .insert_one(doc! { "key": key, "at": to_millis(at) })
            .await
            .map(|_| ())
            .map_err(backend)
    }

    async fn attempts_since(&self, key: &str, since: OffsetDateTime) -> StoreResult<u32> {
        let failures = self.raw("login_failures");
        let n = failures.count_documents(doc! { "key": key, "at": { "$gte": to_millis(since) } }).await;
        Ok(n.map_err(backend)? as u32)
    }

    async fn release_attempt(&self, key: &str, at: OffsetDateTime) -> StoreResult<()> {
        let one = doc! { "key": key, "at": to_millis(at) };
        self.raw("login_failures").delete_one(one).await.map(|_| ()).map_err(backend)
    }

    async fn clear_attempts(&self, key: &str) -> StoreResult<()> {
        self.raw("login_failures").delete_many(doc! { "key": key }).await.map(|_| ()).map_err(backend)
    }

    async fn insert_registration(&self, r: &PendingRegistration) -> StoreResult<()> {
        self.typed::<PendingRegistration>("registrations").insert_one(r).await.map(|_| ()).map_err(backend)
    }

    async fn registration(&self, token_hash: &str, now: OffsetDateTime) -> StoreResult<Option<PendingRegistration>> {
        let filter =
            doc! { "_id": token_hash, "used_at": mongodb::bson::Bson::Null, "expires_at": { "$gt": to_millis(now) } };
        self.typed::<PendingRegistration>("registrations").find_one(filter).await.map_err(backend)
    }

    async fn take_registration(
        &self,
        token_hash: &str,
        now: OffsetDateTime,
    ) -> StoreResult<Option<PendingRegistration>> {
        let now = to_millis(now);
        let filter = doc! { "_id": token_hash, "used_at": mongodb::bson::Bson::Null, "expires_at": { "$gt": now } };
        self.typed::<PendingRegistration>("registrations")
            .find_one_and_update(filter, doc! { "$set": { "used_at": now } })
            .return_document(mongodb::options::ReturnDocument::After)
            .await
            .map_err(backend)
    }

    async fn purge_stale_sign_ups(&self, now: OffsetDateTime, failures_before: OffsetDateTime) -> StoreResult<u64> {
        let now = to_millis(now);
        let stale =
            doc! { "$or": [ { "used_at": { "$ne": mongodb::bson::Bson::Null } }, { "expires_at": { "$lte": now } } ] };
        let sign_ups = self.raw("registrations").delete_many(stale).await.map_err(backend)?.deleted_count;
        let old = doc! { "at": { "$lt": to_millis(failures_before) } };
        let failures = self.raw("login_failures").delete_many(old).await.map_err(backend)?.deleted_count;
        Ok(sign_ups + failures)
    }
}
