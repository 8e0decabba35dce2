use crate::storage::{StoreError, StoreResult};
use crate::storage::accounts::UserRecord;
use crate::storage::accounts::mongo::MembershipDoc;
use crate::storage::members::{InvitationRecord, MemberRow, MemberStore};
use crate::storage::mongo::{MongoStore, backend};
use crate::storage::to_millis;
use app::accounts::model::Role;
use app::ids::{OrgId, UserId};
use async_trait::async_trait;
use futures_util::TryStreamExt;
use mongodb::bson::{Bson, doc};
use mongodb::options::ReturnDocument;
use time::OffsetDateTime;

/// This area's indexes (see `MongoStore::index`).
pub(crate) async fn ensure_indexes(m: &MongoStore) -> mongodb::error::Result<()> {
    m.index("invitations", doc! { "token_hash": 1 }, Some("token_hash")).await?;
    m.index("invitations", doc! { "org_id": 1, "created_at": -1 }, None).await
}

impl MongoStore {
    fn invitations(&self) -> mongodb::Collection<InvitationRecord> {
        self.typed("invitations")
    }

    async fn pending_update(
        &self,
        filter: mongodb::bson::Document,
        set: mongodb::bson::Document,
    ) -> StoreResult<Option<InvitationRecord>> {
        self.invitations()
            .find_one_and_update(filter, doc! { "$set": set })
            .return_document(ReturnDocument::After)
            .await
            .map_err(backend)
    }
}

impl MongoStore {
    async fn owners(&self, org: &OrgId) -> StoreResult<u64> {
        self.members().count_documents(doc! { "org_id": org.as_str(), "role": "owner" }).await.map_err(backend)
    }

    /// Runs `change` holding the organisation's owner-change lock: a short lease on its document,
    /// so two role changes in one organisation never interleave (MongoDB updates one document
    /// atomically, and "the last owner stays" spans several). A holder that dies frees it when
    /// the lease lapses.
    async fn with_owner_lock<T>(
        &self,
        org: &OrgId,
        change: impl std::future::Future<Output = StoreResult<T>>,
    ) -> StoreResult<T> {
        let holder = uuid::Uuid::new_v4().to_string();
        let orgs = self.raw("organisations");
        for _ in 0..200 {
            let now = to_millis(OffsetDateTime::now_utc());
            let free = doc! { "_id": org.as_str(), "$or": [ { "owner_lock_until": Bson::Null }, { "owner_lock_until": { "$lt": now } } ] };
            let take = doc! { "$set": { "owner_lock": &holder, "owner_lock_until": now + 5_000 } };
            if orgs.find_one_and_update(free, take).await.map_err(backend)?.is_some() {
                let result = change.await;
                let release = doc! { "$set": { "owner_lock_until": Bson::Null, "owner_lock": Bson::Null } };
                orgs.update_one(doc! { "_id": org.as_str(), "owner_lock": &holder }, release).await.map_err(backend)?;
                return result;
            }
            if orgs.count_documents(doc! { "_id": org.as_str() }).await.map_err(backend)? == 0 {
                return change.await;
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        Err(StoreError::Backend("the organisation's owner-change lock stayed busy".into()))
    }
}

#[async_trait]
impl MemberStore for MongoStore {
    async fn members(&self, org: &OrgId) -> StoreResult<Vec<(UserRecord, Role)>> {
        // One aggregation: the organisation's memberships, oldest first, each joined with its user.
        let pipeline = vec![
            doc! { "$match": { "org_id": org.as_str() } },
            doc! { "$sort": { "created_at": 1, "user_id": 1 } },
            doc! { "$lookup": { "from": "users", "localField": "user_id", "foreignField": "_id", "as": "user" } },
            doc! { "$unwind": "$user" },
            doc! { "$project": { "_id": 0, "user": 1, "role": 1 } },
        ];
        let found = self.members().aggregate(pipeline).with_type::<MemberRow>().await.map_err(backend)?;
        let rows: Vec<MemberRow> = found.try_collect().await.map_err(backend)?;
        Ok(rows.into_iter().map(|m| (m.user, m.role)).collect())
    }

    async fn add_member(&self, org: &OrgId, user: &UserId, role: Role, at: OffsetDateTime) -> StoreResult<()> {
        let m = MembershipDoc { org_id: org.clone(), user_id: user.clone(), role, created_at: at };
        self.members().insert_one(m).await.map(|_| ()).map_err(backend)
    }

    async fn set_role(&self, org: &OrgId, user: &UserId, role: Role) -> StoreResult<bool> {
        self.with_owner_lock(org, async {
            let filter = doc! { "org_id": org.as_str(), "user_id": user.as_str() };
            let Some(current) = self.members().find_one(filter.clone()).await.map_err(backend)? else { return Ok(false) };
            if current.role == Role::Owner && role != Role::Owner && self.owners(org).await? <= 1 {
                return Err(StoreError::LastOwner);
            }
            self.members().update_one(filter, doc! { "$set": { "role": role.as_str() } }).await.map_err(backend)?;
            Ok(true)
        })
        .await
    }

    async fn remove_member(&self, org: &OrgId, user: &UserId) -> StoreResult<bool> {
        self.with_owner_lock(org, async {
            let filter = doc! { "org_id": org.as_str(), "user_id": user.as_str() };
            let Some(current) = self.members().find_one(filter.clone()).await.map_err(backend)? else { return Ok(false) };
            if current.role == Role::Owner && self.owners(org).await? <= 1 {
                return Err(StoreError::LastOwner);
            }
            Ok(self.members().delete_one(filter).await.map_err(backend)?.deleted_count == 1)
        })
        .await
    }

    async fn create_user(&self, user: &UserRecord) -> StoreResult<()> {
        self.users().insert_one(user).await.map(|_| ()).map_err(backend)
    }

    async fn create_invitation(&self, i: &InvitationRecord) -> StoreResult<()> {
        self.invitations().insert_one(i).await.map(|_| ()).map_err(backend)
    }

    async fn pending_invitations(&self, org: &OrgId, now: OffsetDateTime) -> StoreResult<Vec<InvitationRecord>> {
        let filter = doc! {
            "org_id": org.as_str(), "accepted_at": Bson::Null, "revoked_at": Bson::Null,
            "expires_at": { "$gt": to_millis(now) },
        };
        self.invitations()
            .find(filter)
            .sort(doc! { "created_at": -1, "_id": 1 })
            .await
            .map_err(backend)?
            .try_collect()
            .await
            .map_err(backend)
    }

    async fn invitation_by_token(&self, token_hash: &str) -> StoreResult<Option<InvitationRecord>> {
        self.invitations().find_one(doc! { "token_hash": token_hash }).await.map_err(backend)
    }

    async fn accept_invitation(&self, token_hash: &str, now: OffsetDateTime) -> StoreResult<Option<InvitationRecord>> {
        let now = to_millis(now);
        let filter = doc! {
            "token_hash": token_hash, "accepted_at": Bson::Null, "revoked_at": Bson::Null, "expires_at": { "$gt": now },
        };
        self.pending_update(filter, doc! { "accepted_at": now }).await
    }

    async fn revoke_invitation(&self, org: &OrgId, id: &str, now: OffsetDateTime) -> StoreResult<bool> {
        let filter = doc! { "_id": id, "org_id": org.as_str(), "accepted_at": Bson::Null, "revoked_at": Bson::Null };
        Ok(self.pending_update(filter, doc! { "revoked_at": to_millis(now) }).await?.is_some())
    }

    async fn renew_invitation(
        &self,
        org: &OrgId,
        id: &str,
        token_hash: &str,
        expires_at: OffsetDateTime,
        now: OffsetDateTime,
    ) -> StoreResult<Option<InvitationRecord>> {
        let filter = doc! {
            "_id": id, "org_id": org.as_str(), "accepted_at": Bson::Null, "revoked_at": Bson::Null,
            "expires_at": { "$gt": to_millis(now) },
        };
        self.pending_update(filter, doc! { "token_hash": token_hash, "expires_at": to_millis(expires_at) }).await
    }
}
